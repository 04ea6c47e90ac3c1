import { auditEntities, type Detection } from "./detection";
import { auditProjection, tapIssuedEvents } from "./fragments";
import { kqlStringList } from "./kql";

export const tapIssuedOutOfProcess: Detection = {
  key: "tapIssuedOutOfProcess",
  version: "1.0.0",
  tables: ["AuditLogs"],
  displayName: "Temporary Access Pass issued outside the approved process",
  description:
    "A Temporary Access Pass was issued by anyone other than the deployment identity: not through a reviewed grant.",
  blindSpots:
    "Trusts the initiator's object id in the audit record; a pass issued by the deployment identity itself (for example from a stolen credential) is not flagged here.",
  severity: 1,
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  threshold: 0,
  tactics: ["Persistence", "PrivilegeEscalation"],
  techniques: ["T1098", "T1556"],
  entities: auditEntities,
  query: (context) => `let ApprovedIssuers = ${kqlStringList(context.deploymentIdentityIds)};
${tapIssuedEvents}
| where not(InitiatorId in (ApprovedIssuers))
${auditProjection}`,
};
