// What the policies share: the resource types they look at, reading their config, and reading values that may not
// be known yet (during preview, an id created in the same update is unknown: policies check what is known).
import type { Policy } from "@pulumi/policy";

export const resourceTypes = {
  tapPolicy: "entra-tap:graph:TemporaryAccessPassPolicy",
  userTap: "entra-tap:graph:UserTemporaryAccessPass",
  pimEligibility: "azure-native:authorization:PimRoleEligibilitySchedule",
  alertRule: "azure-native:monitor:ScheduledQueryRule",
  actionGroup: "azure-native:monitor:ActionGroup",
  diagnosticSetting: "azure-native:aadiam:DiagnosticSetting",
} as const;

/** The tag entra-tap puts on each alert rule, naming its detection (components/detections has it too: the pack is
 * packaged on its own; a test pins the two). */
export const detectionTag = "entra-tap-detection";

/** The detections entra-tap declares, by key (the pack's own copy of components/detections' keys, pinned by a test):
 * the audit-trail policy's required detections are chosen among them. */
export const detectionKeys = [
  "tapIssued",
  "tapDeleted",
  "tapPolicyChanged",
  "tapIssuedOutOfProcess",
  "tapIssuedToPrivilegedAccount",
  "multiUseTapIssued",
  "tapSignIn",
  "repeatedFailedTapSignIns",
  "accessAfterGrantWindow",
  "privilegedOperationByTemporaryUser",
  "unexpectedGrantLocation",
  "tapBootstrapFailed",
] as const;

/** Microsoft's limits for the TAP policy (the pack's own copy of components/tapPolicySettings.ts's, pinned by a test). */
export const microsoftLimits = { minLifetime: 10, maxLifetime: 43200, minLength: 8, maxLength: 48 } as const;

/** A policy with the metadata every entra-tap policy carries. */
export type EntraTapPolicy = Policy &
  Required<Pick<Policy, "enforcementLevel" | "severity" | "remediationSteps">>;

export function isNumber(value: unknown): value is number {
  return typeof value === "number" && !Number.isNaN(value);
}

export function isString(value: unknown): value is string {
  return typeof value === "string";
}

/** Items of a list whose `id` is known; a list that is not known yet gives none. */
export function knownIds(targets: unknown): string[] {
  if (!Array.isArray(targets)) return [];
  return targets
    .map((t) => (t && typeof t === "object" ? (t as { id?: unknown }).id : undefined))
    .filter(isString);
}
