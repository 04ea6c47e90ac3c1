// The rules across a grant's fields, the TAP policy, the audience and the other grants: one small function each,
// returning its problems with paths under the grant (`["expiry"]`); grantProblems puts them under `grants[i]`.
import { calendarTime, grantWindow, hasGrantEnded } from "../components/grant";
import { roleAtScopeIdentity, roleDefinitionIdForScope } from "../components/roleDefinitionId";
import {
  isLifetimeWithinPolicy,
  isUseAllowedByPolicy,
  isWithinTapLifetimeLimits,
  type TapPolicySettings,
} from "../components/tapPolicySettings";
import type { Problem } from "../components/validation";
import type { TemporaryAccessGrantConfig } from "./grants";
import { grantRecipientNames, type HandoverConfig } from "./handover";

/** A grant whose lifetime is known (its own, or the policy's default). */
export type ResolvedGrant = TemporaryAccessGrantConfig & { lifetimeInMinutes: number };

export interface GrantContext {
  /** The TAP policy; undefined when it is refused itself (then no grant is compared with it). */
  policy:
    | Pick<TapPolicySettings, "minimumLifetimeInMinutes" | "maximumLifetimeInMinutes" | "isUsableOnce">
    | undefined;
  /** Keys of the targeted groups (entra-tap:audience.targets); undefined when the audience is refused itself. */
  targetGroups: string[] | undefined;
  /** Who receives passes; undefined when entra-tap:handover is refused itself. */
  handover: HandoverConfig | undefined;
  /** Every grant of the stack, in order. */
  grants: readonly ResolvedGrant[];
  now: number;
}

type GrantRule = (grant: ResolvedGrant, index: number, context: GrantContext) => Problem[];

export const expiryAfterStart: GrantRule = (grant) => {
  const window = grantWindow(grant);
  if (!window || window.expiry > window.start) return [];
  return [{ path: ["expiry"], value: grant.expiry, allowed: `a time after start (${grant.start})` }];
};

export const lifetimeWithinPolicy: GrantRule = (grant, _index, { policy }) => {
  const lifetime = grant.lifetimeInMinutes;
  // Outside Microsoft's limits, the schema says so; comparing it with the policy too would say it twice.
  if (!policy || !isWithinTapLifetimeLimits(lifetime)) return [];
  if (isLifetimeWithinPolicy(policy, lifetime)) return [];
  return [
    {
      path: ["lifetimeInMinutes"],
      value: lifetime,
      allowed: `a lifetime within the TAP policy's minimum (${policy.minimumLifetimeInMinutes}) and maximum (${policy.maximumLifetimeInMinutes})`,
    },
  ];
};

/**
 * The pass ends by the grant's expiry (checked here only: the provider checks again when it issues). Not for a grant
 * that has ended: its pass is deleted at the next run, and ending access early (the expiry set to now) must not ask
 * for a shorter lifetime, which would issue a new pass.
 */
export const lifetimeEndsByExpiry: GrantRule = (grant, index, context) => {
  const window = grantWindow(grant);
  // A window that is itself wrong, or a lifetime already refused, is reported once, by its own rule.
  if (!window || window.expiry <= window.start || hasGrantEnded(grant, context.now)) return [];
  if (!context.policy || !isWithinTapLifetimeLimits(grant.lifetimeInMinutes)) return [];
  if (lifetimeWithinPolicy(grant, index, context).length > 0) return [];
  if (window.start + grant.lifetimeInMinutes * 60_000 <= window.expiry) return [];
  return [
    {
      path: ["lifetimeInMinutes"],
      value: grant.lifetimeInMinutes,
      allowed: `a lifetime that ends by the grant's expiry (${grant.expiry})`,
    },
  ];
};

export const oneTimeWhenPolicyRequires: GrantRule = (grant, _index, { policy }) =>
  policy && grant.isUsableOnce === false && !isUseAllowedByPolicy(policy, false)
    ? [
        {
          path: ["isUsableOnce"],
          value: false,
          allowed: "true: the TAP policy makes every pass one-time (entra-tap:policy.isUsableOnce)",
        },
      ]
    : [];

export const knownTargetGroup: GrantRule = (grant, _index, { targetGroups }) => {
  if (!targetGroups || typeof grant.group !== "string" || targetGroups.includes(grant.group)) return [];
  const known = targetGroups.length > 0 ? targetGroups.join(", ") : "none is configured";
  return [
    {
      path: ["group"],
      value: grant.group,
      allowed: `a targeted group of entra-tap:audience.targets (${known})`,
    },
  ];
};

/** Four eyes: whoever approves is not whoever asked. */
export const approverIsNotRequester: GrantRule = (grant) =>
  typeof grant.approvedBy === "string" &&
  typeof grant.requestedBy === "string" &&
  grant.approvedBy.toLowerCase() === grant.requestedBy.toLowerCase()
    ? [{ path: ["approvedBy"], value: grant.approvedBy, allowed: "someone other than requestedBy" }]
    : [];

export const rolesEndWithinGrant: GrantRule = (grant) => {
  const window = grantWindow(grant);
  if (!window || !Array.isArray(grant.azureRoles)) return [];
  return grant.azureRoles.flatMap((role, roleIndex) => {
    const end = calendarTime(role?.end);
    if (end === undefined || (end <= window.expiry && end > window.start)) return [];
    return [
      {
        path: ["azureRoles", roleIndex, "end"],
        value: role.end,
        allowed: `a time after the grant's start and no later than its expiry (${grant.expiry})`,
      },
    ];
  });
};

/**
 * A role's id fits its scope: either form at a subscription, resource group or resource (the grant declares the
 * subscription form), the tenant form at a management group. An id or scope the schema refuses is left to it.
 */
export const roleDefinitionFitsScope: GrantRule = (grant) => {
  if (!Array.isArray(grant.azureRoles)) return [];
  return grant.azureRoles.flatMap((role, roleIndex) => {
    const { roleDefinitionId, scope } = (role ?? {}) as Record<string, unknown>;
    if (typeof roleDefinitionId !== "string" || typeof scope !== "string") return [];
    const declared = roleDefinitionIdForScope(roleDefinitionId, scope);
    return declared === undefined || declared.ok
      ? []
      : [
          {
            path: ["azureRoles", roleIndex, "roleDefinitionId"],
            value: roleDefinitionId,
            allowed: declared.allowed,
          },
        ];
  });
};

/**
 * Each role once per grant: a role at a scope is one eligibility (and one child resource, named after it), whichever
 * form of its id the config holds.
 */
export const eachRoleOnce: GrantRule = (grant) => {
  if (!Array.isArray(grant.azureRoles)) return [];
  const identity = (role: unknown) => {
    const { roleDefinitionId, scope } = (role ?? {}) as Record<string, unknown>;
    return typeof roleDefinitionId === "string" && typeof scope === "string"
      ? roleAtScopeIdentity(roleDefinitionId, scope)
      : undefined;
  };
  return grant.azureRoles.flatMap((role, roleIndex) => {
    const key = identity(role);
    const first = grant.azureRoles.findIndex((other) => identity(other) === key);
    return key === undefined || first === roleIndex
      ? []
      : [
          {
            path: ["azureRoles", roleIndex],
            value: role,
            allowed: `each role definition once per scope (the same as azureRoles[${first}])`,
          },
        ];
  });
};

/**
 * What the rules across grants look up, built once per list of grants (and time) rather than scanned per grant: a scan
 * per grant made validating N grants O(N²), half a minute for 5,000 grants (and the plan validates twice).
 */
interface GrantIndex {
  grants: readonly ResolvedGrant[];
  now: number;
  /** The first grant of each name (`grant?.name`, whatever it is), as `findIndex` would find it. */
  firstByName: Map<unknown, number>;
  /** Grants with a valid window that have not ended at `now`, by user (lower-cased), in the order declared. */
  activeByUser: Map<string, { index: number; window: { start: number; expiry: number } }[]>;
}

/** The latest index, per list of grants: rules of one validation share it; lists no longer used are dropped. */
const grantIndexes = new WeakMap<readonly ResolvedGrant[], GrantIndex>();

function grantIndexOf({ grants, now }: Pick<GrantContext, "grants" | "now">): GrantIndex {
  const known = grantIndexes.get(grants);
  if (known && known.now === now && known.grants.length === grants.length) return known;
  const index: GrantIndex = { grants, now, firstByName: new Map(), activeByUser: new Map() };
  grants.forEach((grant, i) => {
    const name = (grant as ResolvedGrant | null | undefined)?.name;
    if (!index.firstByName.has(name)) index.firstByName.set(name, i);
    const window = grantWindow(grant);
    if (!window || typeof grant.user !== "string" || hasGrantEnded(grant, now)) return;
    const user = grant.user.toLowerCase();
    const ofUser = index.activeByUser.get(user);
    if (ofUser) ofUser.push({ index: i, window });
    else index.activeByUser.set(user, [{ index: i, window }]);
  });
  grantIndexes.set(grants, index);
  return index;
}

export const uniqueName: GrantRule = (grant, index, context) => {
  const first = grantIndexOf(context).firstByName.get(grant.name) ?? -1;
  return first === index
    ? []
    : [{ path: ["name"], value: grant.name, allowed: `a name no other grant has (grants[${first}])` }];
};

/** The first earlier active grant of the same user whose window overlaps this one's. */
export const oneActiveGrantPerUser: GrantRule = (grant, index, context) => {
  const window = grantWindow(grant);
  if (!window || typeof grant.user !== "string" || hasGrantEnded(grant, context.now)) return [];
  const ofUser = grantIndexOf(context).activeByUser.get(grant.user.toLowerCase()) ?? [];
  const overlapping =
    ofUser.find(
      (other) =>
        other.index < index && other.window.start < window.expiry && window.start < other.window.expiry,
    )?.index ?? -1;
  if (overlapping === -1) return [];
  return [
    {
      path: ["user"],
      value: grant.user,
      allowed: `at most one active grant per user (overlaps grants[${overlapping}], ${context.grants[overlapping].name})`,
    },
  ];
};

/**
 * Each person a live grant's pass goes to has a key: a pass is sealed to its recipients, and one sealed to nobody has a
 * passcode nobody can hand over. Not needed when the stack keeps passcodes in the state (an opt-in the pack flags).
 */
export const recipientsHaveKeys: GrantRule = (grant, _index, { handover, now }) => {
  if (!handover || handover.passcodeInState || hasGrantEnded(grant, now)) return [];
  if (typeof grant.approvedBy !== "string") return [];
  // A name that is not one (blank, or not text) has its own message.
  const missing = grantRecipientNames(grant)
    .map((name, recipientIndex) => ({ name, recipientIndex }))
    .filter(
      ({ name }) =>
        typeof name === "string" && name.trim() !== "" && !Object.hasOwn(handover.recipients, name),
    );
  if (missing.length === 0) return [];
  // Built only for a grant that has a problem: every grant of the stack passes this rule.
  const declared = Object.keys(handover.recipients);
  const known =
    declared.length > 0 ? declared.map((name) => JSON.stringify(name)).join(", ") : "none is declared";
  const allowed = `a person with an age public key in entra-tap:handover.recipients (${known}), to receive grant ${JSON.stringify(grant.name)}'s pass`;
  return missing.map(({ name, recipientIndex }) => ({
    path: grant.handoverTo ? ["handoverTo", recipientIndex] : ["approvedBy"],
    value: name,
    allowed: grant.handoverTo ? allowed : `${allowed} (or handoverTo: the people who receive it)`,
  }));
};

const grantRules: readonly GrantRule[] = [
  expiryAfterStart,
  lifetimeWithinPolicy,
  lifetimeEndsByExpiry,
  oneTimeWhenPolicyRequires,
  knownTargetGroup,
  approverIsNotRequester,
  rolesEndWithinGrant,
  roleDefinitionFitsScope,
  eachRoleOnce,
  uniqueName,
  oneActiveGrantPerUser,
  recipientsHaveKeys,
];

/** Every grant rule over every grant; paths are under `grants`. */
export function grantProblems(context: GrantContext): Problem[] {
  return context.grants.flatMap((grant, index) =>
    // A grant that is not even an object has its own message; no rule can read it.
    grant === null || typeof grant !== "object"
      ? []
      : grantRules.flatMap((rule) =>
          rule(grant, index, context).map((problem) => ({
            ...problem,
            path: ["grants", index, ...problem.path],
          })),
        ),
  );
}
