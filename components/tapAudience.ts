// The groups the TAP policy includes and excludes, and the Conditional Access that users expect around TAP.
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { TapPolicyExcludeTarget, TapPolicyIncludeTarget } from "./temporaryAccessPassPolicy";
import { integerInRange, oneOf, strictObject } from "./validation";

const objectId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const groupKey = /^[a-zA-Z][a-zA-Z0-9-]{0,39}$/;

export const conditionalAccessStates = ["enabledForReportingButNotEnforced", "enabled", "disabled"] as const;

function audienceGroupShape() {
  const nonEmpty = z
    .string({ error: "a non-empty string" })
    .refine((text) => text.trim().length > 0, { error: "a non-empty string" })
    .transform((text) => text.trim());
  const owner = z
    .string({ error: "an owner's object id (GUID)" })
    .regex(objectId, { error: "an owner's object id (GUID)" });
  return {
    objectId: z
      .string({ error: "a group object id (GUID)" })
      .regex(objectId, { error: "a group object id (GUID)" })
      .optional(),
    displayName: nonEmpty.optional(),
    description: nonEmpty.optional(),
    owners: z
      .array(owner, { error: "a list of owner object ids" })
      .min(1, { error: "at least one owner, so the group is never orphaned" })
      .optional(),
  };
}

/** A group is either an existing one (objectId) or one entra-tap creates (displayName, description, owners). */
function checkAudienceGroup(
  group: { objectId?: string; displayName?: string; description?: string; owners?: string[] },
  ctx: z.RefinementCtx,
) {
  const creates =
    group.displayName !== undefined || group.description !== undefined || group.owners !== undefined;
  if (group.objectId !== undefined && creates) {
    ctx.addIssue({
      code: "custom",
      path: ["objectId"],
      input: group.objectId,
      message:
        "either objectId (an existing group) or displayName, description and owners (a new group), not both",
    });
  } else if (group.objectId === undefined) {
    for (const key of ["displayName", "description", "owners"] as const) {
      if (group[key] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: undefined,
          message: `${key === "owners" ? "owners" : `a ${key}`} for a group entra-tap creates (or objectId for an existing group)`,
        });
      }
    }
  }
}

/** An excluded group: an existing one by object id, or a security group entra-tap creates (owned, no mail). */
export function audienceExclusionSchema() {
  return strictObject(audienceGroupShape()).superRefine(checkAudienceGroup);
}

/** A targeted group, which also says whether its members must register security info with their pass. */
export function audienceTargetSchema() {
  return strictObject({
    ...audienceGroupShape(),
    isRegistrationRequired: z.boolean({ error: "true or false" }).default(false),
  }).superRefine(checkAudienceGroup);
}

export function tapAudienceConfigSchema() {
  const groups = <S extends z.ZodType>(group: S, atLeast: string) =>
    z.record(z.string(), group, { error: "a map of group keys to groups" }).superRefine((map, ctx) => {
      if (Object.keys(map).length === 0) ctx.addIssue({ code: "custom", input: map, message: atLeast });
      for (const key of Object.keys(map).filter((k) => !groupKey.test(k))) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: key,
          message: "a key of letters, digits and dashes, starting with a letter (at most 40)",
        });
      }
    });
  return strictObject({
    targets: groups(audienceTargetSchema(), "at least one targeted group"),
    exclusions: groups(
      audienceExclusionSchema(),
      "at least one excluded group (break-glass accounts at least)",
    ),
    sessionControls: strictObject({
      state: oneOf(conditionalAccessStates).default("enabledForReportingButNotEnforced"),
      requireTapToRegisterSecurityInfo: z.boolean({ error: "true or false" }).default(true),
      signInFrequencyInHours: integerInRange(1, 24).optional(),
    }).optional(),
  });
}

export type TapAudienceConfig = z.output<ReturnType<typeof tapAudienceConfigSchema>>;

export interface TapAudienceGroup {
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
export const registrationStrengthCombinations = [
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
    super("entra-tap:index:TapAudience", name, {}, opts);
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
