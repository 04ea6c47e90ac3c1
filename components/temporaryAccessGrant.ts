// One person's temporary access: membership of a targeted group, a Temporary Access Pass, and optional Azure role
// eligibilities, all bounded by the grant's window. A grant past its expiry declares nothing but the ended pass.
import * as authorization from "@pulumi/azure-native/authorization";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { GraphCloud } from "./graphClient";
import type { TapPolicySettings } from "./temporaryAccessPassPolicy";
import { type TapStatus, UserTemporaryAccessPass } from "./userTemporaryAccessPass";
import { integerInRange, type Problem, strictObject } from "./validation";

const objectId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const roleDefinitionId = new RegExp(
  `^(/subscriptions/${guid})?/providers/Microsoft\\.Authorization/roleDefinitions/${guid}$`,
);
const azureScope = new RegExp(
  `^(/subscriptions/${guid}(/.+)?|/providers/Microsoft\\.Management/managementGroups/[^/]+)$`,
);

export function isObjectId(value: string): boolean {
  return objectId.test(value);
}

export function temporaryAccessGrantConfigSchema() {
  // Blank text is refused as typed (the message shows it), and kept trimmed.
  const text = (what: string) =>
    z
      .string({ error: what })
      .refine((value) => value.trim().length > 0, { error: what })
      .transform((value) => value.trim());
  const isoDate = z.iso.datetime({
    offset: true,
    error: "an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z",
  });
  return strictObject({
    name: z
      .string({ error: "a name of lowercase letters, digits and dashes" })
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { error: "a name of lowercase letters, digits and dashes" }),
    user: z
      .string({ error: "a user principal name (name@domain) or object id" })
      .refine((user) => isObjectId(user) || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user), {
        error: "a user principal name (name@domain) or object id",
      }),
    reason: text("the reason for the access, not empty"),
    ticket: text("the ticket of the request, not empty"),
    requestedBy: text("who asked for the access, not empty"),
    approvedBy: text("who approved the access, not empty"),
    start: isoDate,
    expiry: isoDate,
    group: text("the key of a targeted group in entra-tap:audience.targets"),
    lifetimeInMinutes: integerInRange(10, 43200).optional(),
    isUsableOnce: z.boolean({ error: "true or false" }).default(true),
    azureRoles: z
      .array(
        strictObject({
          roleDefinitionId: z
            .string({
              error: "a role definition id, /providers/Microsoft.Authorization/roleDefinitions/<guid>",
            })
            .regex(roleDefinitionId, {
              error: "a role definition id, /providers/Microsoft.Authorization/roleDefinitions/<guid>",
            }),
          scope: z
            .string({ error: "an Azure scope: /subscriptions/<guid>[/...] or a management group" })
            .regex(azureScope, {
              error: "an Azure scope: /subscriptions/<guid>[/...] or a management group",
            }),
          end: isoDate.optional(),
        }),
        { error: "a list of Azure roles" },
      )
      .default([]),
    revokeSessionsOnEnd: z.boolean({ error: "true or false" }).default(true),
    reissue: z.int({ error: "an integer from 0" }).min(0, { error: "an integer from 0" }).default(0),
  });
}

export type TemporaryAccessGrantConfig = z.output<ReturnType<typeof temporaryAccessGrantConfigSchema>>;

export interface GrantContext {
  policy: Pick<
    TapPolicySettings,
    "minimumLifetimeInMinutes" | "maximumLifetimeInMinutes" | "defaultLifetimeInMinutes" | "isUsableOnce"
  >;
  /** Keys of the targeted groups (entra-tap:audience.targets). */
  targetGroups: string[];
  now: number;
}

/** The pass's lifetime: the grant's own, or the policy's default. */
export function grantLifetime(grant: TemporaryAccessGrantConfig, policy: GrantContext["policy"]): number {
  return grant.lifetimeInMinutes ?? policy.defaultLifetimeInMinutes;
}

export function isGrantExpired(grant: Pick<TemporaryAccessGrantConfig, "expiry">, now: number): boolean {
  return Date.parse(grant.expiry) <= now;
}

/** Rules across a grant's fields, the TAP policy, the audience and the other grants. Paths are under `grants`. */
export function grantProblems(grants: TemporaryAccessGrantConfig[], context: GrantContext): Problem[] {
  const problems: Problem[] = [];
  const { policy } = context;
  grants.forEach((grant, index) => {
    const at = (...path: PropertyKey[]) => ["grants", index, ...path];
    const start = Date.parse(grant.start);
    const expiry = Date.parse(grant.expiry);
    const lifetime = grantLifetime(grant, policy);
    if (expiry <= start) {
      problems.push({
        path: at("expiry"),
        value: grant.expiry,
        allowed: `a time after start (${grant.start})`,
      });
    }
    const withinMicrosoftLimits = lifetime >= 10 && lifetime <= 43200;
    if (!withinMicrosoftLimits) {
      // The schema reports it; comparing it with the policy too would say the same thing twice.
    } else if (lifetime < policy.minimumLifetimeInMinutes || lifetime > policy.maximumLifetimeInMinutes) {
      problems.push({
        path: at("lifetimeInMinutes"),
        value: lifetime,
        allowed: `a lifetime within the TAP policy's minimum (${policy.minimumLifetimeInMinutes}) and maximum (${policy.maximumLifetimeInMinutes})`,
      });
    } else if (expiry > start && start + lifetime * 60_000 > expiry) {
      problems.push({
        path: at("lifetimeInMinutes"),
        value: lifetime,
        allowed: `a lifetime that ends by the grant's expiry (${grant.expiry})`,
      });
    }
    if (!grant.isUsableOnce && policy.isUsableOnce) {
      problems.push({
        path: at("isUsableOnce"),
        value: false,
        allowed: "true: the TAP policy makes every pass one-time (entra-tap:policy.isUsableOnce)",
      });
    }
    if (!context.targetGroups.includes(grant.group)) {
      const known = context.targetGroups.length > 0 ? context.targetGroups.join(", ") : "none is configured";
      problems.push({
        path: at("group"),
        value: grant.group,
        allowed: `a targeted group of entra-tap:audience.targets (${known})`,
      });
    }
    if (grant.approvedBy.toLowerCase() === grant.requestedBy.toLowerCase()) {
      problems.push({
        path: at("approvedBy"),
        value: grant.approvedBy,
        allowed: "someone other than requestedBy",
      });
    }
    grant.azureRoles.forEach((role, roleIndex) => {
      if (role.end !== undefined && (Date.parse(role.end) > expiry || Date.parse(role.end) <= start)) {
        problems.push({
          path: at("azureRoles", roleIndex, "end"),
          value: role.end,
          allowed: `a time after the grant's start and no later than its expiry (${grant.expiry})`,
        });
      }
    });
    const sameName = grants.findIndex((other) => other.name === grant.name);
    if (sameName !== index) {
      problems.push({
        path: at("name"),
        value: grant.name,
        allowed: `a name no other grant has (grants[${sameName}])`,
      });
    }
    const overlapping = grants.findIndex(
      (other, otherIndex) =>
        otherIndex < index &&
        other.user.toLowerCase() === grant.user.toLowerCase() &&
        !isGrantExpired(other, context.now) &&
        !isGrantExpired(grant, context.now) &&
        Date.parse(other.start) < expiry &&
        start < Date.parse(other.expiry),
    );
    if (overlapping !== -1) {
      problems.push({
        path: at("user"),
        value: grant.user,
        allowed: `at most one active grant per user (overlaps grants[${overlapping}], ${grants[overlapping].name})`,
      });
    }
  });
  return problems;
}

export interface TemporaryAccessGrantArgs {
  /** The user, by user principal name or object id. */
  user: string;
  /** Object id of the targeted group the user joins for the grant. */
  groupObjectId: pulumi.Input<string>;
  reason: string;
  ticket: string;
  requestedBy: string;
  approvedBy: string;
  /** ISO 8601 start and end of the grant. */
  start: string;
  expiry: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  /** Azure role eligibilities for the grant's window; each ends at `end` or the grant's expiry. */
  azureRoles?: { roleDefinitionId: string; scope: string; end?: string }[];
  revokeSessionsOnEnd?: boolean;
  reissue?: number;
  cloud?: GraphCloud;
  /** Resources to be in place before a pass is issued (the TAP policy that includes the group). */
  issueAfter?: pulumi.Resource[];
  /** The time the grant is judged at; the current time unless a test says otherwise. */
  now?: Date;
}

export class TemporaryAccessGrant extends pulumi.ComponentResource {
  /** The grant's expiry has passed: its membership and roles are no longer declared, and its pass is deleted. */
  readonly expired: boolean;
  /** The passcode, from Graph's answer when the pass was issued. Secret. */
  readonly temporaryAccessPass: pulumi.Output<string | null>;
  readonly tapStatus: pulumi.Output<TapStatus>;
  readonly passEndDateTime: pulumi.Output<string>;
  readonly pass: UserTemporaryAccessPass;

  constructor(name: string, args: TemporaryAccessGrantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("entra-tap:index:TemporaryAccessGrant", name, {}, opts);
    this.expired = isGrantExpired(args, args.now?.getTime() ?? Date.now());
    const userObjectId = isObjectId(args.user)
      ? pulumi.output(args.user)
      : azuread.getUserOutput({ userPrincipalName: args.user }, { parent: this }).objectId;

    const membership = this.expired
      ? undefined
      : new azuread.GroupMember(
          `${name}-membership`,
          { groupObjectId: args.groupObjectId, memberObjectId: userObjectId },
          { parent: this },
        );

    this.pass = new UserTemporaryAccessPass(
      `${name}-tap`,
      {
        cloud: args.cloud ?? "global",
        user: args.user,
        startDateTime: args.start,
        lifetimeInMinutes: args.lifetimeInMinutes,
        isUsableOnce: args.isUsableOnce,
        grantExpiry: args.expiry,
        expired: this.expired,
        reissue: args.reissue ?? 0,
        revokeSessionsOnDelete: args.revokeSessionsOnEnd ?? true,
        justification: {
          reason: args.reason,
          ticket: args.ticket,
          requestedBy: args.requestedBy,
          approvedBy: args.approvedBy,
        },
      },
      // A pass can only be issued to a user in scope: after the membership and the policy that includes the group.
      { parent: this, dependsOn: [...(membership ? [membership] : []), ...(args.issueAfter ?? [])] },
    );

    if (!this.expired) {
      (args.azureRoles ?? []).forEach((role, index) => {
        new authorization.PimRoleEligibilitySchedule(
          `${name}-role-${index}`,
          {
            principalId: userObjectId,
            roleDefinitionId: role.roleDefinitionId,
            scope: role.scope,
            justification: `${args.reason} (${args.ticket}, approved by ${args.approvedBy})`,
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
      pulumi.log.warn(
        `grant ${name} expired at ${args.expiry}: its group membership and Azure roles are removed and its pass ` +
          "deleted; remove it from entra-tap:grants",
        this,
      );
    }

    this.temporaryAccessPass = this.pass.temporaryAccessPass;
    this.tapStatus = this.pass.status;
    this.passEndDateTime = this.pass.passEndDateTime;
    this.registerOutputs({
      expired: this.expired,
      temporaryAccessPass: this.temporaryAccessPass,
      tapStatus: this.tapStatus,
      passEndDateTime: this.passEndDateTime,
    });
  }
}
