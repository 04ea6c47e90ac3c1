import { auditEntities, type Detection } from "./detection";
import { auditProjection, tapIssuedEvents } from "./fragments";

export const multiUseTapIssued: Detection = {
  key: "multiUseTapIssued",
  version: "1.0.0",
  tables: ["AuditLogs"],
  displayName: "Reusable (multi-use) Temporary Access Pass issued",
  description:
    "A Temporary Access Pass usable more than once was issued: a documented exception at most (device set-up).",
  blindSpots:
    "Reads the pass's usage from modifiedProperties (AccessPassUsage: Multiple); the property's name has changed over time, so it is matched loosely.",
  severity: 2,
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  threshold: 0,
  tactics: ["Persistence"],
  techniques: ["T1098"],
  entities: auditEntities,
  query: () => `${tapIssuedEvents}
| mv-expand Property = TargetResources[0].modifiedProperties
| where tostring(Property.displayName) has "Usage" and tostring(Property.newValue) has "Multiple"
${auditProjection}`,
};
