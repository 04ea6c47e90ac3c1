import { auditEntities, type Detection } from "./detection";
import { auditProjection, tapIssuedEvents } from "./fragments";
import { kqlStringList } from "./kql";

export const tapIssuedOutOfProcess: Detection = {
  key: "tapIssuedOutOfProcess",
  version: "1.1.0",
  tables: ["AuditLogs"],
  displayName: "Temporary Access Pass issued outside the approved process",
  description:
    "A Temporary Access Pass was issued by anyone other than the deployment identity or a known issuer (entra-tap:knownIssuers: Lifecycle Workflows, account recovery, a self-service issuing app): not through a reviewed grant.",
  blindSpots:
    "Trusts the initiator's ids in the audit record; a pass issued by the deployment identity or a known issuer itself (for example from a stolen credential) is not flagged here. A known issuer is matched by the application (client) id or the service principal's object id in InitiatedBy.app: every pass it issues is trusted, whoever asked it to.",
  severity: 1,
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  threshold: 0,
  tactics: ["Persistence", "PrivilegeEscalation"],
  techniques: ["T1098", "T1556"],
  entities: auditEntities,
  query: (context) => `let ApprovedIssuers = ${kqlStringList(context.deploymentIdentityIds)};
let KnownIssuers = ${kqlStringList(context.knownIssuerIds.map((id) => id.toLowerCase()))};
${tapIssuedEvents}
| where not(InitiatorId in (ApprovedIssuers))
| where not(tolower(tostring(InitiatedBy.app.servicePrincipalId)) in (KnownIssuers) or tolower(tostring(InitiatedBy.app.appId)) in (KnownIssuers))
${auditProjection}`,
};
