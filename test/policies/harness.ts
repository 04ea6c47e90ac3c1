// What the policy tests share: valid resources to vary one field at a time, a runner for one policy, and the
// violation it should report.
import type { EnforcementLevel } from "@pulumi/policy";
import { resourceTypes } from "../../policies/lib";
import {
  type CheckedResource,
  type PackConfig,
  runPolicies,
  type Violation,
} from "../../scripts/policyRunner";

type Policy = Parameters<typeof runPolicies>[0][number];

export const helpdesk = "5f1c2a34-8d0e-4b6a-9c71-2e3f4a5b6c7d";
export const newHires = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
export const breakGlass = "0b2d4f60-1a3c-4e5f-8a9b-c0d1e2f3a4b5";

/** A TAP policy that every TAP-policy rule passes with its defaults. */
export const validTapPolicyProps = {
  state: "enabled",
  minimumLifetimeInMinutes: 60,
  defaultLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLength: 14,
  isUsableOnce: true,
  includeTargets: [{ id: helpdesk, isRegistrationRequired: false }],
  excludeTargets: [],
};

export const validJustification = {
  reason: "Lost phone",
  ticket: "OPS-42",
  requestedBy: "alice",
  approvedBy: "bob",
};

/** A user's pass, issued through a grant, that every grant rule passes with its defaults. */
const validUserTapProps = {
  cloud: "global",
  user: "alice@contoso.com",
  startDateTime: "2026-03-02T08:00:00Z",
  lifetimeInMinutes: 480,
  isUsableOnce: true,
  grantExpiry: "2026-03-06T17:00:00Z",
  justification: validJustification,
  sealTo: [{ name: "bob", key: "age1n8apj95m7nptqvkmr6xpatp5scwn2auarn0spljkvxp300clxpkq3tfj5r" }],
  keepPasscodeInState: false,
};

/** The valid TAP policy with `props` put over it. */
export function tapPolicyResource(props: Record<string, unknown> = {}, name = "tap-policy"): CheckedResource {
  return { type: resourceTypes.tapPolicy, name, props: { ...validTapPolicyProps, ...props } };
}

/** The valid user pass with `props` put over it. */
export function userTapResource(props: Record<string, unknown> = {}, name = "alice-pass"): CheckedResource {
  return { type: resourceTypes.userTap, name, props: { ...validUserTapProps, ...props } };
}

/** One resource of every type but `except`, each named by its type and holding `props`. */
export function resourcesOfOtherTypes(
  props: Record<string, unknown>,
  ...except: string[]
): CheckedResource[] {
  return Object.values(resourceTypes)
    .filter((type) => !except.includes(type))
    .map((type) => ({ type, name: type, props }));
}

/** Target list entries holding only an id: `[{ id }, ...]`. */
export function ids(...values: unknown[]) {
  return values.map((id) => ({ id }));
}

/** Runs `policy` alone over the resources. */
export function checkerFor(policy: Policy) {
  return (resources: CheckedResource[], config?: PackConfig): Promise<Violation[]> =>
    runPolicies([policy], resources, config);
}

/** Builds the violations `policyName` reports, by default mandatory and on `defaultResource` (null: stack-wide). */
export function violationsOf(policyName: string, defaultResource: string | null) {
  return (
    message: string,
    enforcementLevel: EnforcementLevel = "mandatory",
    resource: string | null = defaultResource,
  ): Violation => ({ policy: policyName, enforcementLevel, message, resource });
}
