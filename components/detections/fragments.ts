// The filters and fragments detections share, each defined once: the pass's audit events, the sign-ins with a pass, the
// grants' users' activity per log and the changes that give or take their access.
import { phishingResistantRegistrationWords, registrationAuditOperation } from "../passBootstrap";
import { kqlString, kqlStringList } from "./kql";

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

const registrationWords = kqlStringList(phishingResistantRegistrationWords);

/**
 * A user's own successful registration of a phishing-resistant method, from the audit trail: the operation and the
 * reason's words of components/passBootstrap.ts, matched with `has_any` (whole terms, case-insensitive) in ResultReason
 * or ResultDescription, as for a pass issued. The wording is not documented (docs/monitoring.md says where to look).
 * Registration is the reason as logged; UserKeys the user as the record's target and as its initiator.
 */
export const phishingResistantRegistrationEvents = `AuditLogs
| where OperationName == ${kqlString(registrationAuditOperation)} and Result =~ "success"
| where ResultReason has_any (${registrationWords}) or ResultDescription has_any (${registrationWords})
| extend Registration = iff(isnotempty(ResultReason), ResultReason, ResultDescription)
| extend UserKeys = pack_array(tolower(tostring(TargetResources[0].userPrincipalName)), tolower(tostring(TargetResources[0].id)),
    tolower(tostring(InitiatedBy.user.userPrincipalName)), tolower(tostring(InitiatedBy.user.id)))`;

// The grants' users' activity, one fragment per log, each in the same columns: EventId, TimeGenerated, Ingested (when
// the workspace received it), Source (the table), Actor, ActorId, Operation, Target, IPAddress, Result, CorrelationId,
// and UserKeys (the names the user may be known by, for joinedToGrants). They need the lets of grantLets (grantFunctions.ts).

/** Interactive sign-ins of the grants' users (non-interactive ones are in another table). */
export const grantUserSignIns = `SigninLogs
| extend Ingested = ingestion_time()
| where tolower(UserPrincipalName) in (GrantUsers) or tolower(UserId) in (GrantUsers)
| project EventId = Id, TimeGenerated, Ingested, Source = "SigninLogs", Actor = UserPrincipalName, ActorId = UserId,
    Operation = strcat("Sign-in to ", AppDisplayName), Target = ResourceDisplayName, IPAddress,
    Country = tostring(LocationDetails.countryOrRegion), UsedPass = AuthenticationDetails has "${tapMethodName}",
    Result = ResultType, CorrelationId, UserKeys = pack_array(tolower(UserPrincipalName), tolower(UserId))`;

/**
 * The grants' users' successful sign-ins with a pass, one row per sign-in (one may hold more than one pass step): Id,
 * TimeGenerated, UserPrincipalName, UserId, IPAddress, AppDisplayName, CorrelationId, UserKeys.
 */
export const grantUserTapSignIns = `${tapSignInEvents}
| where StepSucceeded
| where tolower(UserPrincipalName) in (GrantUsers) or tolower(UserId) in (GrantUsers)
| distinct Id, TimeGenerated, UserPrincipalName, UserId, IPAddress, AppDisplayName, CorrelationId
| extend UserKeys = pack_array(tolower(UserPrincipalName), tolower(UserId))`;

/**
 * The grants' users' phishing-resistant registrations, one row per registration and name of the user a grant knows:
 * RegistrationId, RegisteredAt, Registration, UserKey (join it to GrantUser).
 */
export const grantUserRegistrations = `${phishingResistantRegistrationEvents}
| mv-expand UserKey = UserKeys to typeof(string)
| where UserKey in (GrantUsers)
| project RegistrationId = Id, RegisteredAt = TimeGenerated, Registration, UserKey
| distinct RegistrationId, RegisteredAt, Registration, UserKey`;

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
