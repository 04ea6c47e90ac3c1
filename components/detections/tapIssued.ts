import { auditEntities, type Detection } from "./detection";
import { auditProjection, tapIssuedEvents } from "./fragments";

export const tapIssued: Detection = {
  key: "tapIssued",
  version: "1.0.0",
  tables: ["AuditLogs"],
  displayName: "Temporary Access Pass issued",
  description: "An admin (or the deployment) issued a Temporary Access Pass to a user.",
  blindSpots:
    "Sees only what the Entra audit log records; the pass's lifetime and usage are in modifiedProperties, whose names have changed over time.",
  severity: 3,
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  threshold: 0,
  tactics: ["Persistence", "CredentialAccess"],
  techniques: ["T1098", "T1556"],
  entities: auditEntities,
  query: () => `${tapIssuedEvents}
${auditProjection}`,
};
