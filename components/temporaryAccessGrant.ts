// One person's temporary access: membership of a targeted group, a Temporary Access Pass, and optional Azure role
// eligibilities, all bounded by the grant's window. A grant past its expiry declares nothing but the ended pass.
// Nothing whose end has passed is declared: Entra and Azure remove ended PIM schedules, and one declared again would
// be re-created with an end in the past.
import * as authorization from "@pulumi/azure-native/authorization";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import {
  type GrantJustification,
  type GrantMembershipMode,
  hasGrantEnded,
  isRoleDeclared,
  justificationText,
  roleKey,
} from "./grant";
import type { GraphCloud } from "./graph/clouds";
import { PimGroupMembership, UserTemporaryAccessPass } from "./graphResources";
import { warnOfRegistrationPath } from "./registrationWarnings";
import { temporaryAccessGrantType } from "./providerInputs";
import { roleDefinitionIdForScope } from "./roleDefinitionId";
import type { TapStatus } from "./userTemporaryAccessPass";
import type { HandoverRecipient } from "./handover";
import type { GrantPurpose } from "./passBootstrap";
import { isObjectId, neutralJson } from "./validation";

/**
 * The role definition id each role declares: the form its scope needs (components/roleDefinitionId.ts). The config
 * refuses an id that has none; a grant declared with one anyway is refused here, before anything is declared.
 */
function declaredRoleDefinitionIds(
  grantName: string,
  roles: readonly { roleDefinitionId: string; scope: string }[],
) {
  return roles.map((role, index) => {
    const declared = roleDefinitionIdForScope(role.roleDefinitionId, role.scope);
    if (declared?.ok === false) {
      throw new Error(
        `grant ${grantName}: azureRoles[${index}].roleDefinitionId ${JSON.stringify(role.roleDefinitionId)} is not ` +
          `allowed; expected ${declared.allowed}`,
      );
    }
    // An id or scope of no known form is declared as given: Azure says what is wrong with it.
    return declared?.roleDefinitionId ?? role.roleDefinitionId;
  });
}

/**
 * A live pass sealed to other recipients than the grant now declares (one removed, or a key changed): its ciphertext
 * cannot be re-sealed, so the warning says who can still open it, and how to issue a pass for the new ones.
 */
function warnOfStaleSeal(
  name: string,
  declared: readonly HandoverRecipient[],
  pass: UserTemporaryAccessPass,
): void {
  pass.sealedTo.apply((sealedTo) => {
    if (!sealedTo || sealedTo.length === 0) return;
    const isDeclared = (recipient: HandoverRecipient) =>
      declared.some((other) => other.name === recipient.name && other.key === recipient.key);
    const stale = sealedTo.filter((recipient) => !isDeclared(recipient));
    if (stale.length === 0) return;
    void pulumi.log.warn(
      `grant ${name}: its pass was sealed to ${stale.map((recipient) => neutralJson(recipient.name)).join(", ")}, ` +
        "who the grant no longer declares (removed, or a new key): they can still open the passcode. " +
        "To seal a new pass to today's recipients, raise the grant's reissue",
      pass,
    );
  });
}

export interface TemporaryAccessGrantArgs extends GrantJustification {
  /** The user, by user principal name or object id. */
  user: string;
  /** Object id of the targeted group the user joins for the grant. */
  groupObjectId: pulumi.Input<string>;
  /** How the user joins the group (default `direct`). */
  membership?: GrantMembershipMode;
  /** ISO 8601 start and end of the grant. */
  start: string;
  expiry: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  /** Azure role eligibilities for the grant's window; each ends at `end` or the grant's expiry. */
  azureRoles?: { roleDefinitionId: string; scope: string; end?: string }[];
  revokeSessionsOnEnd?: boolean;
  reissue?: number;
  /** Who hands the pass over: its passcode is sealed to each one's public key (components/handover.ts). */
  sealTo: HandoverRecipient[];
  /** Keep the plaintext passcode in the state too, as a Pulumi secret (opt-in, flagged by the policy pack). */
  keepPasscodeInState?: boolean;
  /** What the pass is for: an onboarding expects a phishing-resistant method (components/passBootstrap.ts). */
  purpose?: GrantPurpose;
  cloud?: GraphCloud;
  /** The stack's tenant (entra-tap:tenantId): every Graph call of the grant goes to it, and only to it. */
  tenantId?: string;
  /** Resources to be in place before a pass is issued (the TAP policy that includes the group). */
  issueAfter?: pulumi.Resource[];
  /** The time the grant is judged at; the current time unless a test says otherwise. */
  now?: Date;
}

export class TemporaryAccessGrant extends pulumi.ComponentResource {
  /** The grant's expiry has passed: its membership and roles are no longer declared, and its pass is deleted. */
  readonly ended: boolean;
  /** How the user joins the targeted group. */
  readonly membershipMode: GrantMembershipMode;
  /** The passcode, only when keepPasscodeInState. Secret. */
  readonly temporaryAccessPass: pulumi.Output<string | null>;
  /** The passcode sealed to `sealedTo` (ASCII-armored age): `age -d` or `npm run handover` opens it. */
  readonly sealedPasscode: pulumi.Output<string | null>;
  /** The names of the recipients the passcode was sealed to. */
  readonly sealedTo: pulumi.Output<string[]>;
  readonly passStartDateTime: pulumi.Output<string>;
  readonly tapStatus: pulumi.Output<TapStatus>;
  readonly passEndDateTime: pulumi.Output<string>;

  constructor(name: string, args: TemporaryAccessGrantArgs, opts?: pulumi.ComponentResourceOptions) {
    const roles = args.azureRoles ?? [];
    const roleDefinitionIds = declaredRoleDefinitionIds(name, roles);
    super(temporaryAccessGrantType, name, {}, opts);
    const now = args.now?.getTime() ?? Date.now();
    this.ended = hasGrantEnded(args, now);
    this.membershipMode = args.membership ?? "direct";
    const justification: GrantJustification = {
      reason: args.reason,
      ticket: args.ticket,
      requestedBy: args.requestedBy,
      approvedBy: args.approvedBy,
    };
    const userObjectId = isObjectId(args.user)
      ? pulumi.output(args.user)
      : azuread.getUserOutput({ userPrincipalName: args.user }, { parent: this }).objectId;

    const membership = this.ended
      ? undefined
      : this.membershipMode === "pim"
        ? new PimGroupMembership(
            `${name}-pim-membership`,
            {
              cloud: args.cloud,
              tenantId: args.tenantId,
              groupId: args.groupObjectId,
              principalId: userObjectId,
              endDateTime: args.expiry,
              justification,
            },
            { parent: this },
          )
        : new azuread.GroupMember(
            `${name}-membership`,
            { groupObjectId: args.groupObjectId, memberObjectId: userObjectId },
            { parent: this },
          );

    const pass = new UserTemporaryAccessPass(
      `${name}-tap`,
      {
        cloud: args.cloud ?? "global",
        tenantId: args.tenantId,
        user: args.user,
        startDateTime: args.start,
        lifetimeInMinutes: args.lifetimeInMinutes,
        isUsableOnce: args.isUsableOnce,
        grantExpiry: args.expiry,
        grantEnded: this.ended,
        reissue: args.reissue ?? 0,
        revokeSessionsOnDelete: args.revokeSessionsOnEnd ?? true,
        justification,
        sealTo: args.sealTo,
        keepPasscodeInState: args.keepPasscodeInState,
        purpose: args.purpose,
      },
      // A pass can only be issued to a user in scope: after the membership and the policy that includes the group.
      { parent: this, dependsOn: [...(membership ? [membership] : []), ...(args.issueAfter ?? [])] },
    );

    if (!this.ended) {
      roles.forEach((role, index) => {
        if (!isRoleDeclared(role, args, now)) return;
        new authorization.PimRoleEligibilitySchedule(
          `${name}-role-${roleKey(role)}`,
          {
            principalId: userObjectId,
            // At a subscription, resource group or resource scope, the subscription form: azure-native waits for a
            // schedule whose id is this one, and Azure answers with that form (the tenant form would time out).
            roleDefinitionId: roleDefinitionIds[index],
            scope: role.scope,
            justification: justificationText(justification),
            // Azure ends the eligibility itself; entra-tap never declares one past the grant's expiry.
            scheduleInfo: {
              startDateTime: args.start,
              expiration: { type: "AfterDateTime", endDateTime: role.end ?? args.expiry },
            },
            ticketInfo: { ticketNumber: args.ticket, ticketSystem: "entra-tap" },
          },
          { parent: this },
        );
      });
    } else {
      // The engine records the warning whenever it lands; nothing waits for it.
      void pulumi.log.warn(
        `grant ${name} ended at ${args.expiry}: its group membership and Azure roles are removed and its pass ` +
          "deleted; remove it from entra-tap:grants",
        this,
      );
    }

    if (!this.ended) {
      warnOfStaleSeal(name, args.sealTo, pass);
      warnOfRegistrationPath(name, pass);
    }
    this.temporaryAccessPass = pass.temporaryAccessPass;
    this.sealedPasscode = pass.sealedPasscode;
    this.sealedTo = pass.sealedTo.apply((recipients) =>
      (recipients ?? []).map((recipient) => recipient.name),
    );
    this.passStartDateTime = pass.passStartDateTime;
    this.tapStatus = pass.status;
    this.passEndDateTime = pass.passEndDateTime;
    this.registerOutputs({
      ended: this.ended,
      membershipMode: this.membershipMode,
      temporaryAccessPass: this.temporaryAccessPass,
      sealedPasscode: this.sealedPasscode,
      sealedTo: this.sealedTo,
      passStartDateTime: this.passStartDateTime,
      tapStatus: this.tapStatus,
      passEndDateTime: this.passEndDateTime,
    });
  }
}
