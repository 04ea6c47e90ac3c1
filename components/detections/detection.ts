// A detection is data: what it catches, how bad it is, its KQL and its schedule. TapMonitoring turns each one into
// an Azure Monitor log search alert (and a Microsoft Sentinel analytics rule when Sentinel is on).

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
}

/**
 * A grant as the queries see it: which grant, whose, under which ticket, and its window. Nothing else of the grant
 * (reason, requester, approver, pass) reaches a query: alert rules and the workbook are readable by more people
 * than the stack's config.
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
  /** The query; `schedule` is the rule's (the detection's defaults under config overrides) for queries that need it. */
  query(context: DetectionContext, schedule?: DetectionSchedule): string;
}

/** When a rule runs and over how much time (ISO 8601 durations). */
export interface DetectionSchedule {
  evaluationFrequency: string;
  windowSize: string;
}

/** A KQL timespan for an ISO 8601 duration in minutes, hours or days (PT5M → 5m, PT1H → 1h, P1D → 1d). */
export function kqlTimespan(duration: string): string {
  const match = /^P(?:(\d+)D|T(\d+)([MH]))$/.exec(duration);
  if (!match) throw new Error(`not a duration in minutes, hours or days: ${kqlString(duration)}`);
  return match[1] !== undefined ? `${Number(match[1])}d` : `${Number(match[2])}${match[3].toLowerCase()}`;
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
 * A KQL datetime literal for an ISO 8601 date and time, normalised to UTC. The literal is built from the parsed date,
 * never from the text, so nothing of the input but the instant reaches the query.
 */
export function kqlDatetime(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`not a date and time: ${kqlString(value)}`);
  return `datetime(${new Date(time).toISOString()})`;
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

/** The method's name in a sign-in's AuthenticationDetails (not documented as stable). */
const tapMethodName = "Temporary Access Pass";

/** Sign-ins in which a Temporary Access Pass was one of the methods; AuthenticationDetails is JSON text. */
export const tapSignInEvents = `SigninLogs
| where AuthenticationDetails has "${tapMethodName}"
| mv-expand Step = todynamic(AuthenticationDetails)
| where tostring(Step.authenticationMethod) == "${tapMethodName}"
| extend StepSucceeded = tobool(Step.succeeded)`;

// The grants, as data the queries join.
//
// The grants reach the queries from one place in the workspace: two workspace functions (saved searches with an alias,
// `Microsoft.OperationalInsights/workspaces/savedSearches`) that TapMonitoring declares from the stack's config. Built
// into each query instead, they made every grant query grow with the grants (about 140 characters a grant): a Sentinel
// scheduled rule's query is at most 10,000 characters (Azure-Sentinel's ScheduledTemplateInternalModel.cs,
// StringLength(10000)) and a log search alert rule's properties at most 64 KB together (Azure Monitor service limits),
// crossed at about 30 and 400 grants. Why a function, of the places a workspace offers:
// - a Sentinel watchlist exists only in a workspace onboarded to Sentinel, and the log search alerts must work without
//   it (a local upload is at most 3.8 MB, 10 million active items per workspace: Sentinel's watchlist documentation);
// - a custom table needs an ingestion pipeline (a data collection rule and the Logs Ingestion API) outside `pulumi up`,
//   and rows that cannot be taken back when a grant is corrected;
// - a function changes only with a reviewed `pulumi up`, as the grants do, and every rule, hunt and workbook calls it
//   by name. Its body has no documented size limit (the savedSearches API, 2020-08-01 and 2025-02-01, gives `query`
//   no maxLength, and neither the service limits page nor the Kusto query limits name one): a body ARM refuses fails
//   `pulumi up` with ARM's message, loudly. Measured: about 700 KB at 5,000 grants (test/components/detections.test.ts).
// Only a grant's name, user, ticket and window (and declared locations) go into them.

/** A workspace function entra-tap declares: its alias (what queries call) and its body. */
export interface WorkspaceFunction {
  alias: string;
  displayName: string;
  body: string;
}

/** The alias of the function that returns the grants, one row each (see grantsDatatable). */
export const grantsFunctionAlias = "EntraTapGrants";
/** The alias of the function that returns the grants' expected locations (see grantLocationsDatatable). */
export const grantLocationsFunctionAlias = "EntraTapGrantLocations";

/**
 * The grants as a KQL table, one row each: GrantName, GrantUser (lower-cased: the logs spell user principal names in
 * any case), Ticket, GrantStart, GrantExpiry. Text goes through kqlString, dates through kqlDatetime.
 */
export function grantsDatatable(grants: readonly MonitoredGrant[]): string {
  const rows = grants.map((grant) =>
    [
      kqlString(grant.name),
      kqlString(grant.user.toLowerCase()),
      kqlString(grant.ticket),
      kqlDatetime(grant.start),
      kqlDatetime(grant.expiry),
    ].join(", "),
  );
  const body = rows.length > 0 ? `\n  ${rows.join(",\n  ")}\n` : "";
  return `datatable(GrantName: string, GrantUser: string, Ticket: string, GrantStart: datetime, GrantExpiry: datetime) [${body}]`;
}

/** The workspace functions that hold the grants and their expected locations, built from the stack's config. */
export function grantFunctions(
  grants: readonly MonitoredGrant[],
  locations: readonly GrantLocations[],
): WorkspaceFunction[] {
  return [
    { alias: grantsFunctionAlias, displayName: "entra-tap: grants", body: grantsDatatable(grants) },
    {
      alias: grantLocationsFunctionAlias,
      displayName: "entra-tap: grants' expected locations",
      body: grantLocationsDatatable(locations),
    },
  ];
}

/** The let statements every grant query starts with: `Grants`, and `GrantUsers` (their users, one column). */
export const grantLets = `let Grants = ${grantsFunctionAlias}();
let GrantUsers = Grants | distinct GrantUser;`;

/**
 * The places grants expect their users to sign in from, one row per grant that declares them: GrantName, Countries
 * (upper-case ISO codes), Ipv4Ranges, Ipv6Ranges (CIDR).
 */
export function grantLocationsDatatable(locations: readonly GrantLocations[]): string {
  const rows = locations.map((location) =>
    [
      kqlString(location.grant),
      kqlStringList(location.countries.map((country) => country.toUpperCase())),
      kqlStringList(location.ipRanges.filter((range) => !range.includes(":"))),
      kqlStringList(location.ipRanges.filter((range) => range.includes(":"))),
    ].join(", "),
  );
  const body = rows.length > 0 ? `\n  ${rows.join(",\n  ")}\n` : "";
  return `datatable(GrantName: string, Countries: dynamic, Ipv4Ranges: dynamic, Ipv6Ranges: dynamic) [${body}]`;
}

// The grants' users' activity, one fragment per log, each in the same columns: EventId, TimeGenerated, Ingested (when
// the workspace received it), Source (the table), Actor, ActorId, Operation, Target, IPAddress, Result, CorrelationId,
// and UserKeys (the names the user may be known by, for joinedToGrants). They need the lets of grantLets.

/** Interactive sign-ins of the grants' users (non-interactive ones are in another table). */
export const grantUserSignIns = `SigninLogs
| extend Ingested = ingestion_time()
| where tolower(UserPrincipalName) in (GrantUsers) or tolower(UserId) in (GrantUsers)
| project EventId = Id, TimeGenerated, Ingested, Source = "SigninLogs", Actor = UserPrincipalName, ActorId = UserId,
    Operation = strcat("Sign-in to ", AppDisplayName), Target = ResourceDisplayName, IPAddress,
    Country = tostring(LocationDetails.countryOrRegion), UsedPass = AuthenticationDetails has "${tapMethodName}",
    Result = ResultType, CorrelationId, UserKeys = pack_array(tolower(UserPrincipalName), tolower(UserId))`;

/** Directory changes the grants' users initiated (AuditLogs InitiatedBy). */
export const grantUserDirectoryChanges = `AuditLogs
| extend Ingested = ingestion_time(), Actor = tostring(InitiatedBy.user.userPrincipalName), ActorId = tostring(InitiatedBy.user.id)
| where tolower(Actor) in (GrantUsers) or tolower(ActorId) in (GrantUsers)
| project EventId = Id, TimeGenerated, Ingested, Source = "AuditLogs", Actor, ActorId, Operation = OperationName,
    Target = coalesce(tostring(TargetResources[0].userPrincipalName), tostring(TargetResources[0].displayName), tostring(TargetResources[0].id)),
    IPAddress = tostring(InitiatedBy.user.ipAddress), Result, CorrelationId, UserKeys = pack_array(tolower(Actor), tolower(ActorId))`;

/**
 * Azure control-plane operations of the grants' users (AzureActivity Caller, or the caller's object id claim), from
 * the subscriptions whose activity log reaches the workspace. An operation's "Started" record is left out, so each
 * operation counts once.
 */
export const grantUserAzureOperations = `AzureActivity
| extend Ingested = ingestion_time(), ActorId = tostring(Claims_d["http://schemas.microsoft.com/identity/claims/objectidentifier"])
| where tolower(Caller) in (GrantUsers) or tolower(ActorId) in (GrantUsers)
| where ActivityStatusValue !in~ ("Start", "Started")
| project EventId = EventDataId, TimeGenerated, Ingested, Source = "AzureActivity", Actor = Caller, ActorId,
    Operation = OperationNameValue, Target = _ResourceId, IPAddress = CallerIpAddress, Result = ActivityStatusValue,
    CorrelationId, UserKeys = pack_array(tolower(Caller), tolower(ActorId))`;

/** Joins activity to its user's grants (one row per event and grant), adding the grant's columns. */
export const joinedToGrants = `| mv-expand UserKey = UserKeys to typeof(string)
| join kind=inner Grants on $left.UserKey == $right.GrantUser
| project-away UserKeys, UserKey`;

/** Everything the grants' users did, with the grant's columns: sign-ins, directory changes, Azure operations. */
export const grantActivity = `union
(${grantUserSignIns}),
(${grantUserDirectoryChanges}),
(${grantUserAzureOperations})
${joinedToGrants}`;

/** Audit operations that add a user to a group or a directory role, or take them out (Holds: added). */
const groupChanges = ["Add member to group", "Remove member from group"];
const roleChanges = [
  "Add member to role",
  "Remove member from role",
  "Add eligible member to role",
  "Remove eligible member to role",
];

/**
 * What the audit trail says about the grants' users holding access, one row per change and user: ChangedAt, Change,
 * Holds (true: access given, false: taken away), UserKey. Counted: memberships of the targeted groups, matched by id or
 * name anywhere in the record's targets (of any group when none is known), directory roles, and passes (issued,
 * deleted). The workspace cannot see current state; the
 * last change it holds stands for it.
 */
export function accessChanges(targetGroups: readonly string[]): string {
  const groupFilter =
    targetGroups.length > 0
      ? `\n  | where not(OperationName in (${kqlStringList(groupChanges)})) or tostring(TargetResources) has_any (${kqlStringList(targetGroups)})`
      : "";
  const passChange = (events: string, change: string, holds: boolean) => `(${events}
  | project ChangedAt = TimeGenerated, Change = ${kqlString(change)}, Holds = ${holds}, UserKeys = pack_array(tolower(TargetUser), tolower(TargetUserId)))`;
  return `union
(AuditLogs
  | where OperationName in (${kqlStringList([...groupChanges, ...roleChanges])})${groupFilter}
  | mv-expand Target = TargetResources
  | where tostring(Target.type) == "User"
  | project ChangedAt = TimeGenerated, Change = OperationName, Holds = OperationName startswith "Add",
      UserKeys = pack_array(tolower(tostring(Target.userPrincipalName)), tolower(tostring(Target.id)))),
${passChange(tapIssuedEvents, "Temporary Access Pass issued", true)},
${passChange(tapDeletedEvents, "Temporary Access Pass deleted", false)}
| mv-expand UserKey = UserKeys to typeof(string)
| where UserKey in (GrantUsers)
| project ChangedAt, Change, Holds, UserKey`;
}
