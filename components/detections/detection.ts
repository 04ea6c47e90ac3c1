// A detection is data: what it catches, how bad it is, the tables it reads, its KQL and its schedule. TapMonitoring
// turns each one into an Azure Monitor log search alert (and a Microsoft Sentinel analytics rule when Sentinel is on).
// The KQL literal builders are in kql.ts, the filters detections share in fragments.ts, the grants' workspace
// functions in grantFunctions.ts.
import { type GrantPurpose } from "../passBootstrap";

/**
 * Values from config that some queries embed: who may issue passes, whose pass is a privileged event, which groups and
 * operations count. Each is bounded by the config, not by the number of grants: the grants reach the queries through
 * the workspace functions below.
 */
export interface DetectionContext {
  /** Object ids of the identities that issue passes in the approved process (the deployment's). */
  deploymentIdentityIds: string[];
  /** Object ids of privileged accounts (listed, or members of the listed groups). */
  privilegedObjectIds: string[];
  /** User principal names of privileged accounts. */
  privilegedUserPrincipalNames: string[];
  /**
   * The groups the TAP policy targets, as the audit log names them (object ids, or display names of groups entra-tap
   * creates): a membership of one of them puts a user in scope for a pass.
   */
  targetGroups: string[];
  /** Operations that are privileged when a grant's user performs them. */
  privilegedOperations: PrivilegedOperations;
  /**
   * Application (client) ids and service principal object ids, lower-cased, of processes other than entra-tap that
   * issue passes on purpose (`entra-tap:knownIssuers`): their passes are not issued outside the process.
   */
  knownIssuerIds: string[];
  /**
   * Minutes an onboarding grant's pass, once used, is given to leave a phishing-resistant method behind
   * (`entra-tap:bootstrap.registrationWithinMinutes`).
   */
  registrationWithinMinutes: number;
}

/**
 * A grant as the queries see it: which grant, whose, under which ticket, its window and what its pass is for. Nothing
 * else of the grant (reason, requester, approver, pass) reaches a query: alert rules and the workbook are readable by
 * more people than the stack's config.
 */
export interface MonitoredGrant {
  name: string;
  /** A user principal name or object id, as the grant names the user. */
  user: string;
  ticket: string;
  /** ISO 8601 date and time. */
  start: string;
  /** ISO 8601 date and time. */
  expiry: string;
  /** What the pass is for (components/passBootstrap.ts); an onboarding purpose expects a phishing-resistant method. */
  purpose?: GrantPurpose;
}

/** Where a grant expects its user to sign in from: countries (ISO 3166 two-letter codes) and IP ranges (CIDR). */
export interface GrantLocations {
  grant: string;
  countries: string[];
  ipRanges: string[];
}

/** Operations that are privileged when a grant's user performs them, by log. */
export interface PrivilegedOperations {
  /** AzureActivity OperationNameValue values, e.g. Microsoft.Authorization/roleAssignments/write. */
  azure: string[];
  /** AuditLogs OperationName values, e.g. Add member to role. */
  directory: string[];
}

/** The tag on each alert rule that names its detection (the policy pack keeps its own copy, pinned by a test). */
export const detectionTag = "entra-tap-detection";
/** The tag on each alert rule that gives its detection's version. */
export const detectionVersionTag = "entra-tap-detection-version";

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
  T1484: { name: "Domain or Tenant Policy Modification", tactics: ["DefenseEvasion", "PrivilegeEscalation"] },
  T1555: { name: "Credentials from Password Stores", tactics: ["CredentialAccess"] },
  T1556: {
    name: "Modify Authentication Process",
    tactics: ["CredentialAccess", "DefenseEvasion", "Persistence"],
  },
  T1562: { name: "Impair Defenses", tactics: ["DefenseEvasion"] },
} as const satisfies Record<string, { name: string; tactics: readonly Tactic[] }>;
type Technique = keyof typeof mitreTechniques;

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

/** The grant detections' account: the grant's user as the log names them. */
export const actorAccount: EntityMapping = {
  entityType: "Account",
  fieldMappings: [
    { identifier: "FullName", columnName: "Actor" },
    { identifier: "AadUserId", columnName: "ActorId" },
  ],
};

/** The grant detections' address: where the sign-in or operation came from. */
export const actorAddress: EntityMapping = {
  entityType: "IP",
  fieldMappings: [{ identifier: "Address", columnName: "IPAddress" }],
};

/** The Log Analytics tables detections read (their schemas are in tables/, from the Azure Monitor table reference). */
type LogTable = "AuditLogs" | "SigninLogs" | "AzureActivity";

/** Azure Monitor alert severity: 0 critical, 1 error, 2 warning, 3 informational, 4 verbose. */
export type Severity = 0 | 1 | 2 | 3 | 4;

export interface Detection {
  /** Config key under `entra-tap:monitoring.detections`. */
  key: string;
  /**
   * The detection's version (semantic, as Sentinel's templates carry one): raised with each change of its query or
   * defaults, so a rule in a workspace says which logic it runs (the alert rule's tags).
   */
  version: string;
  /** The tables its query reads: what the workspace must receive for it to see anything. */
  tables: LogTable[];
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
  /** The query; `schedule` is the rule's (the detection's defaults under config overrides) for queries that need it. */
  query(context: DetectionContext, schedule?: DetectionSchedule): string;
}

/** When a rule runs and over how much time (ISO 8601 durations). */
export interface DetectionSchedule {
  evaluationFrequency: string;
  windowSize: string;
}
