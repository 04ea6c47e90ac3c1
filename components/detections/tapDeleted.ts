import { auditProjection, type Detection } from "./detection";

export const tapDeleted: Detection = {
  key: "tapDeleted",
  displayName: "Temporary Access Pass deleted (revoked)",
  description:
    "A user's Temporary Access Pass was deleted: revoked by an admin or by the deployment at a grant's end.",
  blindSpots:
    "The reason text of a TAP deletion is not documented: the query matches 'temporary access pass' in the reason or the target's properties, and misses a deletion logged with neither. Passes that simply expire are not deleted and log nothing.",
  severity: 3,
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  threshold: 0,
  tactics: ["Persistence"],
  query: () => `AuditLogs
| where LoggedByService == "Authentication Methods"
| where OperationName == "Admin deleted security info"
| where ResultReason has "temporary access pass" or ResultDescription has "temporary access pass" or tostring(TargetResources) has "TemporaryAccessPass"
| extend TargetUserId = tostring(TargetResources[0].id), TargetUser = tostring(TargetResources[0].userPrincipalName)
| extend InitiatorId = coalesce(tostring(InitiatedBy.user.id), tostring(InitiatedBy.app.servicePrincipalId))
| extend Initiator = coalesce(tostring(InitiatedBy.user.userPrincipalName), tostring(InitiatedBy.app.displayName))
${auditProjection}`,
};
