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

/** The tag on each alert rule that names its detection (the policy pack keeps its own copy, pinned by a test). */
export const detectionTag = "entra-tap-detection";

/** MITRE ATT&CK tactics (Sentinel's names). */
export type Tactic =
  "InitialAccess" | "Persistence" | "PrivilegeEscalation" | "DefenseEvasion" | "CredentialAccess";

/** The MITRE ATT&CK techniques the detections use, with the tactics each belongs to (attack.mitre.org). */
export const mitreTechniques = {
  T1078: {
    name: "Valid Accounts",
    tactics: ["InitialAccess", "Persistence", "PrivilegeEscalation", "DefenseEvasion"],
  },
  T1098: { name: "Account Manipulation", tactics: ["Persistence", "PrivilegeEscalation"] },
  T1110: { name: "Brute Force", tactics: ["CredentialAccess"] },
  T1556: {
    name: "Modify Authentication Process",
    tactics: ["CredentialAccess", "DefenseEvasion", "Persistence"],
  },
  T1562: { name: "Impair Defenses", tactics: ["DefenseEvasion"] },
} as const satisfies Record<string, { name: string; tactics: readonly Tactic[] }>;
export type Technique = keyof typeof mitreTechniques;

/** A Sentinel entity mapping: which output columns identify an account or an address in an alert. */
export interface EntityMapping {
  entityType: "Account" | "IP";
  fieldMappings: { identifier: "FullName" | "AadUserId" | "Address"; columnName: string }[];
}

/** The audit detections' entities: the user whose pass it is, and who acted. */
export const auditEntities: EntityMapping[] = [
  {
    entityType: "Account",
    fieldMappings: [
      { identifier: "FullName", columnName: "TargetUser" },
      { identifier: "AadUserId", columnName: "TargetUserId" },
    ],
  },
  {
    entityType: "Account",
    fieldMappings: [
      { identifier: "FullName", columnName: "Initiator" },
      { identifier: "AadUserId", columnName: "InitiatorId" },
    ],
  },
];

/** The sign-in detections' account: the user who signed in. */
export const signInAccount: EntityMapping = {
  entityType: "Account",
  fieldMappings: [
    { identifier: "FullName", columnName: "UserPrincipalName" },
    { identifier: "AadUserId", columnName: "UserId" },
  ],
};

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
  /** MITRE ATT&CK tactics and techniques, for Sentinel. */
  tactics: Tactic[];
  techniques: Technique[];
  /** Output columns that name the accounts and addresses involved, for Sentinel's entity mapping. */
  entities: EntityMapping[];
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

/**
 * A pass deleted (revoked), from the audit trail. The reason text of a deletion is not documented, so the target's
 * properties are matched too. The alert and the review workbook count the same events.
 */
export const tapDeletedEvents = `AuditLogs
| where LoggedByService == "Authentication Methods"
| where OperationName == "Admin deleted security info"
| where ResultReason has "temporary access pass" or ResultDescription has "temporary access pass" or tostring(TargetResources) has "TemporaryAccessPass"
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
