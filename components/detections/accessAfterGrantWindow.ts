import { actorAccount, actorAddress, type Detection, type DetectionSchedule } from "./detection";
import { accessChanges, grantActivity } from "./fragments";
import { grantLets } from "./grantFunctions";
import { kqlTimespan } from "./kql";

const schedule: DetectionSchedule = { evaluationFrequency: "PT1H", windowSize: "P1D" };

export const accessAfterGrantWindow: Detection = {
  key: "accessAfterGrantWindow",
  version: "1.0.0",
  tables: ["AuditLogs", "SigninLogs", "AzureActivity"],
  displayName: "Access after a grant's window",
  description:
    "A grant's user signed in, changed the directory or operated on Azure after the grant's expiry (outside any other grant of theirs) while the audit trail says they still held access: nothing was removed (targeted group membership, pass, directory role) between the expiry and the access, or the last change before it gave access. The clean-up did not happen. Evidence says which.",
  blindSpots:
    "The workspace cannot see current membership, passes or roles: the query approximates them from the last add or removal in AuditLogs (targeted groups, directory roles, the pass) within its window (one day by default). An access more than a window after the expiry is reported only when an add within the window shows access was given again. Azure role eligibilities end in Azure and log nothing it reads; a membership held through PIM for Groups (membership: pim) counts as ended only if Entra logs its end as 'Remove member from group' (not verified here: otherwise the first access after such a grant is reported, which says so loudly); a group entra-tap creates is matched by its display name, so a rename outside entra-tap hides its changes. Azure operations need the subscriptions' activity log in the workspace; non-interactive sign-ins are not read.",
  severity: 1,
  ...schedule,
  threshold: 0,
  tactics: ["Persistence", "InitialAccess"],
  techniques: ["T1078"],
  entities: [actorAccount, actorAddress],
  // Each access is reported once: by the run after the workspace received it (Ingested), while the one-day window
  // lets the query see the clean-up that should have come between the expiry and the access.
  query: (context, { evaluationFrequency } = schedule) => `${grantLets}
let VisibleFrom = toscalar(AuditLogs | summarize min(TimeGenerated));
let Activity = materialize(${grantActivity});
let InsideAGrant = Activity
| where TimeGenerated between (GrantStart .. GrantExpiry)
| distinct EventId;
let Changes = ${accessChanges(context.targetGroups)};
Activity
| where TimeGenerated > GrantExpiry and Ingested > ago(${kqlTimespan(evaluationFrequency)})
| join kind=leftanti InsideAGrant on EventId
| summarize arg_max(GrantExpiry, GrantName, Ticket) by EventId, TimeGenerated, Source, Actor, ActorId, Operation, Target, IPAddress, Result, CorrelationId, GrantUser
| join kind=leftouter Changes on $left.GrantUser == $right.UserKey
| summarize LastHeld = maxif(ChangedAt, ChangedAt < TimeGenerated and Holds), LastRemoved = maxif(ChangedAt, ChangedAt < TimeGenerated and not(Holds))
    by EventId, TimeGenerated, Source, Actor, ActorId, Operation, Target, IPAddress, Result, CorrelationId, GrantName, Ticket, GrantExpiry
| extend StillHolds = isnotnull(LastHeld) and (isnull(LastRemoved) or LastHeld > LastRemoved)
| where StillHolds or (isnull(LastHeld) and isnull(LastRemoved) and GrantExpiry >= VisibleFrom)
| extend Evidence = iff(StillHolds, "the last change before the access gave access", "nothing removed since the expiry")
| project TimeGenerated, GrantName, Ticket, GrantExpiry, Source, Operation, Target, Actor, ActorId, IPAddress, Result, Evidence, LastHeld, LastRemoved, CorrelationId`,
};
