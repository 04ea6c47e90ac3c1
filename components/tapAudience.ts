// The groups the TAP policy includes and excludes, and the Conditional Access that users expect around TAP.
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { conditionalAccessStates } from "./conditionalAccess";
import { componentType } from "./providerInputs";
import type { TapPolicyExcludeTarget, TapPolicyIncludeTarget } from "./tapPolicySettings";

interface TapAudienceGroup {
  /** An existing group; when set, nothing is created. */
  objectId?: pulumi.Input<string>;
  displayName?: string;
  description?: string;
  owners?: pulumi.Input<string>[];
  isRegistrationRequired?: boolean;
}

export interface TapAudienceArgs {
  /** The groups the TAP policy includes, by key (grants name their group by this key). */
  targets: Record<string, TapAudienceGroup>;
  /** The groups the TAP policy excludes: break-glass accounts at least. */
  exclusions: Record<string, TapAudienceGroup>;
  /** Conditional Access around TAP; left out, none is declared. */
  sessionControls?: {
    state?: (typeof conditionalAccessStates)[number];
    /** Registering security info requires an authentication strength that allows TAP. */
    requireTapToRegisterSecurityInfo?: boolean;
    /** TAP expiry does not end a session: this bounds how long targeted users stay signed in. */
    signInFrequencyInHours?: number;
  };
}

/** Authentication methods the registration strength allows: TAP, and phishing-resistant methods already held. */
const registrationStrengthCombinations = [
  "temporaryAccessPassOneTime",
  "temporaryAccessPassMultiUse",
  "fido2",
  "windowsHelloForBusiness",
  "x509CertificateMultiFactor",
];

export class TapAudience extends pulumi.ComponentResource {
  /** Object ids of the targeted groups, by key. */
  readonly targetGroupIds: Record<string, pulumi.Output<string>>;
  /** Object ids of the excluded groups, by key. */
  readonly exclusionGroupIds: Record<string, pulumi.Output<string>>;
  /** The TAP policy's include targets, from the targeted groups. */
  readonly includeTargets: pulumi.Output<TapPolicyIncludeTarget[]>;
  /** The TAP policy's exclude targets, from the excluded groups. */
  readonly excludeTargets: pulumi.Output<TapPolicyExcludeTarget[]>;
  readonly conditionalAccessPolicyIds: pulumi.Output<string>[];

  constructor(name: string, args: TapAudienceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("TapAudience"), name, {}, opts);
    const groupId = (kind: string, key: string, group: TapAudienceGroup): pulumi.Output<string> =>
      group.objectId !== undefined
        ? pulumi.output(group.objectId)
        : new azuread.Group(
            `${name}-${kind}-${key}`,
            {
              displayName: group.displayName!,
              description: group.description,
              owners: group.owners,
              securityEnabled: true,
              mailEnabled: false,
              assignableToRole: false,
              preventDuplicateNames: true,
            },
            { parent: this },
          ).objectId;
    this.targetGroupIds = mapValues(args.targets, (key, group) => groupId("target", key, group));
    this.exclusionGroupIds = mapValues(args.exclusions, (key, group) => groupId("exclusion", key, group));
    this.includeTargets = pulumi.all(
      Object.entries(args.targets).map(([key, group]) =>
        this.targetGroupIds[key].apply((id) => ({
          id,
          isRegistrationRequired: group.isRegistrationRequired ?? false,
        })),
      ),
    );
    this.excludeTargets = pulumi.all(
      Object.values(this.exclusionGroupIds).map((id) => id.apply((value) => ({ id: value }))),
    );

    const targeted = Object.values(this.targetGroupIds);
    const excluded = Object.values(this.exclusionGroupIds);
    const controls = args.sessionControls;
    this.conditionalAccessPolicyIds = [];
    const requireTapToRegister =
      controls !== undefined && (controls.requireTapToRegisterSecurityInfo ?? true);
    if (requireTapToRegister) {
      const strength = new azuread.AuthenticationStrengthPolicy(
        `${name}-registration-strength`,
        {
          displayName: "entra-tap: Temporary Access Pass for security info registration",
          description:
            "Allows a Temporary Access Pass, or a phishing-resistant method, to register security info.",
          allowedCombinations: registrationStrengthCombinations,
        },
        { parent: this },
      );
      const registration = new azuread.ConditionalAccessPolicy(
        `${name}-registration`,
        {
          displayName: "entra-tap: TAP users register security info with a TAP",
          state: controls?.state ?? "enabledForReportingButNotEnforced",
          conditions: {
            clientAppTypes: ["all"],
            applications: { includedUserActions: ["urn:user:registersecurityinfo"] },
            users: { includedGroups: targeted, excludedGroups: excluded },
          },
          grantControls: { operator: "OR", authenticationStrengthPolicyId: strength.id },
        },
        { parent: this },
      );
      this.conditionalAccessPolicyIds.push(registration.id);
    }
    if (controls?.signInFrequencyInHours !== undefined) {
      const frequency = new azuread.ConditionalAccessPolicy(
        `${name}-sign-in-frequency`,
        {
          displayName: `entra-tap: TAP users sign in again every ${controls.signInFrequencyInHours} h`,
          state: controls.state ?? "enabledForReportingButNotEnforced",
          conditions: {
            clientAppTypes: ["all"],
            applications: { includedApplications: ["All"] },
            users: { includedGroups: targeted, excludedGroups: excluded },
          },
          sessionControls: {
            signInFrequency: controls.signInFrequencyInHours,
            signInFrequencyPeriod: "hours",
            signInFrequencyAuthenticationType: "primaryAndSecondaryAuthentication",
            signInFrequencyInterval: "timeBased",
          },
        },
        { parent: this },
      );
      this.conditionalAccessPolicyIds.push(frequency.id);
    }

    this.registerOutputs({
      targetGroupIds: this.targetGroupIds,
      exclusionGroupIds: this.exclusionGroupIds,
      includeTargets: this.includeTargets,
      excludeTargets: this.excludeTargets,
      conditionalAccessPolicyIds: this.conditionalAccessPolicyIds,
    });
  }
}

function mapValues<T, U>(record: Record<string, T>, map: (key: string, value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(key, value)]));
}
