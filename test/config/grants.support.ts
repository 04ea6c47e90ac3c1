// What the grants' and audience's config tests share: a valid policy, audience and grants, and their problems.
import { ValidationError } from "../../components/validation";
import { parseStackConfig } from "../../config";
import type { ResolvedGrant } from "../../config/grantRules";
import {
  billingScope,
  breakGlassGroupId as breakGlassGroup,
  contractorsGroupId,
  readerRoleId as readerRole,
  validGrant,
  validHandover,
} from "../support/fixtures";

/** The time every grant is judged at; the grants below start after it. */
export const now = Date.parse("2026-11-26T12:00:00Z");

const identityLead = "7c1e4b2a-9d3f-4a6e-8b5c-2f1d0e9a8b7c";
const securityLead = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
export const janeObjectId = "d4c1a7e9-2b3f-4e6a-8c5d-9f0e1b2a3c4d";
/** The support group, an existing group given by its object id (any group's id will do). */
export const supportGroup = contractorsGroupId;

export type Json = Record<string, unknown>;

export const policy: Json = {
  state: "enabled",
  minimumLifetimeInMinutes: 60,
  defaultLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  isUsableOnce: true,
  includeTargets: [],
  excludeTargets: [],
};

export const contractors: Json = {
  displayName: "TAP - Contractors",
  description: "External contractors on a time-boxed project; membership is managed by entra-tap grants.",
  owners: [identityLead, securityLead],
};

export const audience: Json = {
  targets: {
    contractors,
    support: { objectId: supportGroup, isRegistrationRequired: true },
  },
  exclusions: { breakGlass: { objectId: breakGlassGroup } },
};

export const grant: Json = validGrant;

/** The sample grant as the rules across grants see it: every default filled in. */
export const resolvedGrant: ResolvedGrant = {
  ...validGrant,
  membership: "direct",
  isUsableOnce: true,
  azureRoles: [],
  revokeSessionsOnEnd: true,
  reissue: 0,
};

/** A second grant, of another user, in another group, without a lifetime of its own. */
export const supportGrant: Json = {
  name: "support-ahmed-khan",
  user: "ahmed.khan@contoso.com",
  reason: "Troubleshoot failed nightly exports in the billing subscription",
  ticket: "INC-7731",
  requestedBy: "lisa.wong@contoso.com",
  approvedBy: "tom.becker@contoso.com",
  start: "2026-11-27T09:00:00Z",
  expiry: "2026-11-28T17:00:00Z",
  group: "support",
  azureRoles: [{ roleDefinitionId: readerRole, scope: billingScope }],
};

/** The raw config as Pulumi hands it to the program: `entra-tap:<key>` → JSON text; undefined keys left out. */
export function raw(values: {
  policy?: unknown;
  audience?: unknown;
  grants?: unknown;
  /** The approvers' keys unless given (`undefined`: no handover section). */
  handover?: unknown;
  knownIssuers?: unknown;
  bootstrap?: unknown;
}): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries({ handover: validHandover, ...values })) {
    if (value !== undefined) config[`entra-tap:${key}`] = JSON.stringify(value);
  }
  return config;
}

/** The problems parseStackConfig reports, or [] when the config is valid. */
export function problems(config: Record<string, string>, at: number = now): string[] {
  try {
    parseStackConfig(config, at);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  return [];
}

/** Problems of a config with the valid policy and audience, and the given grants. */
export function grantsProblems(grants: Json[], policyChanges: Json = {}, at: number = now): string[] {
  return problems(raw({ policy: { ...policy, ...policyChanges }, audience, grants }), at);
}

/** Problems of the valid grant with some keys changed (undefined: left out). */
export function grantProblems(changes: Json, policyChanges: Json = {}): string[] {
  return grantsProblems([withChanges(grant, changes)], policyChanges);
}

/** A copy with some keys changed; a key changed to undefined is left out. */
export function withChanges(value: Json, changes: Json): Json {
  const copy: Json = { ...value, ...changes };
  for (const [key, change] of Object.entries(changes)) {
    if (change === undefined) delete copy[key];
  }
  return copy;
}
