import { auditEntities, type Detection } from "./detection";
import { auditProjection, tapDeletedEvents } from "./fragments";

export const tapDeleted: Detection = {
  key: "tapDeleted",
  version: "1.0.0",
  tables: ["AuditLogs"],
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
  techniques: ["T1098"],
  entities: auditEntities,
  query: () => `${tapDeletedEvents}
${auditProjection}`,
};
