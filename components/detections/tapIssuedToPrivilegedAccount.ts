import { auditEntities, type Detection } from "./detection";
import { auditProjection, tapIssuedEvents } from "./fragments";
import { kqlStringList } from "./kql";

export const tapIssuedToPrivilegedAccount: Detection = {
  key: "tapIssuedToPrivilegedAccount",
  version: "1.0.0",
  tables: ["AuditLogs"],
  displayName: "Temporary Access Pass issued to a privileged account",
  description:
    "A Temporary Access Pass was issued to one of the configured privileged accounts (listed users, or members of listed groups when deployed). Microsoft's guide for privileged accounts rates this High.",
  blindSpots:
    "Group members are resolved when the rule is deployed: someone added to a privileged group later is covered only after the next pulumi up.",
  severity: 1,
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  threshold: 0,
  tactics: ["PrivilegeEscalation", "Persistence"],
  techniques: ["T1098", "T1078"],
  entities: auditEntities,
  query: (context) => `let PrivilegedIds = ${kqlStringList(context.privilegedObjectIds)};
let PrivilegedNames = ${kqlStringList(context.privilegedUserPrincipalNames.map((name) => name.toLowerCase()))};
${tapIssuedEvents}
| where TargetUserId in (PrivilegedIds) or tolower(TargetUser) in (PrivilegedNames)
${auditProjection}`,
};
