import { type Detection } from "./detection";

export const tapPolicyChanged: Detection = {
  key: "tapPolicyChanged",
  version: "1.0.0",
  tables: ["AuditLogs"],
  displayName: "Authentication methods policy changed or reset",
  description:
    "The authentication methods policy, which holds the Temporary Access Pass policy, was updated or reset to Microsoft's defaults. MentionsTap says whether the change names the TAP configuration.",
  blindSpots:
    "Every change to the authentication methods policy is reported, not only TAP's: the audit record does not reliably name the method changed.",
  severity: 2,
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  threshold: 0,
  tactics: ["DefenseEvasion", "Persistence"],
  techniques: ["T1556", "T1562"],
  entities: [
    {
      entityType: "Account",
      fieldMappings: [
        { identifier: "FullName", columnName: "Initiator" },
        { identifier: "AadUserId", columnName: "InitiatorId" },
      ],
    },
  ],
  query: () => `AuditLogs
| where OperationName in ("Authentication Methods Policy Update", "Authentication Methods Policy Reset")
| extend MentionsTap = tostring(TargetResources) has "TemporaryAccessPass" or tostring(AdditionalDetails) has "TemporaryAccessPass"
| extend InitiatorId = coalesce(tostring(InitiatedBy.user.id), tostring(InitiatedBy.app.servicePrincipalId))
| extend Initiator = coalesce(tostring(InitiatedBy.user.userPrincipalName), tostring(InitiatedBy.app.displayName))
| project TimeGenerated, OperationName, MentionsTap, Initiator, InitiatorId, Result, CorrelationId`,
};
