// A detection is data: what it catches, how bad it is, its KQL and its schedule. TapMonitoring turns each one into
// an Azure Monitor log search alert (and a Microsoft Sentinel analytics rule when Sentinel is on).

/** Values from config that some queries embed: who may issue passes, and whose pass is a privileged event. */
export interface DetectionContext {
  /** Object ids of the identities that issue passes in the approved process (the deployment's). */
  deploymentIdentityIds: string[];
  /** Object ids of privileged accounts (listed, or members of the listed groups). */
  privilegedObjectIds: string[];
  /** User principal names of privileged accounts. */
  privilegedUserPrincipalNames: string[];
}

/** Azure Monitor alert severity: 0 critical, 1 error, 2 warning, 3 informational, 4 verbose. */
export type Severity = 0 | 1 | 2 | 3 | 4;

export interface Detection {
  /** Config key under `entra-tap:monitoring.detections`. */
  key: string;
  displayName: string;
  /** What it catches. */
  description: string;
  /** What it cannot see (for docs/monitoring.md). */
  blindSpots: string;
  severity: Severity;
  /** ISO 8601 durations: how often the query runs, and over how much time. */
  evaluationFrequency: string;
  windowSize: string;
  /** An alert fires when the query returns more rows than this. */
  threshold: number;
  /** MITRE ATT&CK tactics, for Sentinel. */
  tactics: string[];
  query(context: DetectionContext): string;
}

/** A KQL string literal for any text: double-quoted, with backslash, quote and control characters escaped. */
export function kqlString(value: string): string {
  const escaped = value.replace(
    /[\\"\n\r\t]/g,
    (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]!,
  );
  return `"${escaped}"`;
}

/** A KQL list of string literals, e.g. `dynamic(["a", "b"])`; an empty list matches nothing. */
export function kqlStringList(values: readonly string[]): string {
  return `dynamic([${values.map(kqlString).join(", ")}])`;
}

/**
 * A pass issued by an admin, from the audit trail. The reason text sits in ResultReason in some workspaces and in
 * ResultDescription in others, so both are matched.
 */
export const tapIssuedEvents = `AuditLogs
| where LoggedByService == "Authentication Methods"
| where OperationName == "Admin registered security info"
| where ResultReason has "temporary access pass" or ResultDescription has "temporary access pass"
| extend TargetUserId = tostring(TargetResources[0].id), TargetUser = tostring(TargetResources[0].userPrincipalName)
| extend InitiatorId = coalesce(tostring(InitiatedBy.user.id), tostring(InitiatedBy.app.servicePrincipalId))
| extend Initiator = coalesce(tostring(InitiatedBy.user.userPrincipalName), tostring(InitiatedBy.app.displayName))`;

/** The projection every audit detection ends with, so alerts read the same. */
export const auditProjection = `| project TimeGenerated, OperationName, Initiator, InitiatorId, TargetUser, TargetUserId, Result, CorrelationId`;

/** Sign-ins in which a Temporary Access Pass was one of the methods; AuthenticationDetails is JSON text. */
export const tapSignInEvents = `SigninLogs
| where AuthenticationDetails has "Temporary Access Pass"
| mv-expand Step = todynamic(AuthenticationDetails)
| where tostring(Step.authenticationMethod) == "Temporary Access Pass"
| extend StepSucceeded = tobool(Step.succeeded)`;
