// The TAP policy's settings: Microsoft's limits, the fields and their types, the field's recommended defaults, and the
// rules a declaration must keep. Shared by the stack's config (config/policy.ts) and the provider's `check`.
import { z } from "zod";
import { integerInRange, isObjectId, objectId, oneOf, strictObject } from "./validation";

/** Microsoft's hard limits for the policy and for a pass's lifetime. */
export const tapLimits = { minLifetime: 10, maxLifetime: 43200, minLength: 8, maxLength: 48 } as const;

/** A lifetime in minutes within Microsoft's limits. */
export function tapLifetime() {
  return integerInRange(tapLimits.minLifetime, tapLimits.maxLifetime);
}

/** Whether a lifetime lies within Microsoft's limits (one outside is reported by the schema, once). */
export function isWithinTapLifetimeLimits(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes >= tapLimits.minLifetime && minutes <= tapLimits.maxLifetime;
}

/**
 * Whether the policy lets a pass have this lifetime: within its minimum and maximum. One rule, applied by the config
 * (to the declared policy, config/grantRules.ts) and by the pass provider before it issues (to the tenant's).
 */
export function isLifetimeWithinPolicy(
  policy: Pick<TapPolicySettings, "minimumLifetimeInMinutes" | "maximumLifetimeInMinutes">,
  minutes: number,
): boolean {
  return minutes >= policy.minimumLifetimeInMinutes && minutes <= policy.maximumLifetimeInMinutes;
}

/** Whether the policy lets a pass be reusable (`isUsableOnce: false`): not when it makes every pass one-time. */
export function isUseAllowedByPolicy(
  policy: Pick<TapPolicySettings, "isUsableOnce">,
  isUsableOnce: boolean,
): boolean {
  return isUsableOnce || !policy.isUsableOnce;
}

export const allUsersTarget = "all_users";

const onDestroyModes = ["restore", "reset", "disable", "retain"] as const;
/** What happens to the tenant's policy when the resource is destroyed. */
export type OnDestroy = (typeof onDestroyModes)[number];

/**
 * What a target is. entra-tap declares groups only; a tenant's existing policy may also hold users (v1.0's
 * `targetType` is `user` or `group`), and whatever is read is written back as read. Left out, it is `group`.
 */
type TapTargetType = "group" | "user" | (string & {});

export interface TapPolicyIncludeTarget {
  /** A group object id, or `all_users`. */
  id: string;
  isRegistrationRequired: boolean;
  targetType?: TapTargetType;
}

export interface TapPolicyExcludeTarget {
  /** A group object id. */
  id: string;
  targetType?: TapTargetType;
}

/** The policy's settings, as Graph holds them (a target's `targetType` left out means a group). */
export interface TapPolicySettings {
  state: "enabled" | "disabled";
  defaultLifetimeInMinutes: number;
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  defaultLength: number;
  isUsableOnce: boolean;
  includeTargets: TapPolicyIncludeTarget[];
  excludeTargets: TapPolicyExcludeTarget[];
}

export const tapPolicySettingKeys = [
  "state",
  "defaultLifetimeInMinutes",
  "minimumLifetimeInMinutes",
  "maximumLifetimeInMinutes",
  "defaultLength",
  "isUsableOnce",
  "includeTargets",
  "excludeTargets",
] as const satisfies readonly (keyof TapPolicySettings)[];

/** Defaults for left-out settings: the field's recommended values (see docs/configuration.md). */
export const tapPolicyDefaults = {
  state: "enabled",
  defaultLifetimeInMinutes: 60,
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLength: 14,
  isUsableOnce: true,
  onDestroy: "restore",
  cloud: "global",
} as const;

/** The policy's declared fields: its settings and what destroy does. */
export function tapPolicyShape() {
  const lifetime = tapLifetime();
  const includeTargetId = `a group object id (GUID) or "${allUsersTarget}"`;
  return {
    state: oneOf(["enabled", "disabled"]).default(tapPolicyDefaults.state),
    defaultLifetimeInMinutes: lifetime.default(tapPolicyDefaults.defaultLifetimeInMinutes),
    minimumLifetimeInMinutes: lifetime.default(tapPolicyDefaults.minimumLifetimeInMinutes),
    maximumLifetimeInMinutes: lifetime.default(tapPolicyDefaults.maximumLifetimeInMinutes),
    defaultLength: integerInRange(tapLimits.minLength, tapLimits.maxLength).default(
      tapPolicyDefaults.defaultLength,
    ),
    isUsableOnce: z.boolean({ error: "true or false" }).default(tapPolicyDefaults.isUsableOnce),
    includeTargets: z
      .array(
        strictObject({
          id: z
            .string({ error: includeTargetId })
            .refine((id) => id === allUsersTarget || isObjectId(id), { error: includeTargetId }),
          isRegistrationRequired: z.boolean({ error: "true or false" }).default(false),
        }),
        { error: "a list of targets" },
      )
      .default([]),
    excludeTargets: z
      .array(strictObject({ id: objectId("a group object id (GUID)") }), { error: "a list of targets" })
      .default([]),
    onDestroy: oneOf(onDestroyModes).default(tapPolicyDefaults.onDestroy),
  };
}

/** Rules across fields: Microsoft's ordering of lifetimes, each group once per list. */
export function checkTapPolicyRelations(policy: TapPolicySettings, ctx: z.RefinementCtx): void {
  const {
    minimumLifetimeInMinutes: min,
    maximumLifetimeInMinutes: max,
    defaultLifetimeInMinutes: def,
  } = policy;
  // A lifetime outside Microsoft's range is reported on its own; comparing it too would say the same thing twice.
  const comparable = [min, max, def].every(isWithinTapLifetimeLimits);
  if (comparable && min > max) {
    ctx.addIssue({
      code: "custom",
      path: ["minimumLifetimeInMinutes"],
      input: min,
      message: `at most maximumLifetimeInMinutes (${max})`,
    });
  } else if (comparable && (def < min || def > max)) {
    ctx.addIssue({
      code: "custom",
      path: ["defaultLifetimeInMinutes"],
      input: def,
      message: `a value from minimumLifetimeInMinutes (${min}) to maximumLifetimeInMinutes (${max})`,
    });
  }
  for (const field of ["includeTargets", "excludeTargets"] as const) {
    const seen = new Set<string>();
    policy[field].forEach((target, index) => {
      if (seen.has(target.id)) {
        ctx.addIssue({
          code: "custom",
          path: [field, index, "id"],
          input: target.id,
          message: "each group once per list",
        });
      }
      seen.add(target.id);
    });
  }
}
