// The review workbook: TAPs issued, revoked and used over time, and who holds one now, so reviewers look at a
// picture rather than raw logs. Its queries are data, checked by the Kusto language service in the tests.
import { tapDeletedEvents, tapIssuedEvents, tapSignInEvents } from "./detections/detection";

/** The workbook's queries by panel, over the time range the reviewer picks. */
export const reviewWorkbookQueries = {
  issuedOverTime: `${tapIssuedEvents}
| summarize Issued = count() by bin(TimeGenerated, 1d)
| render timechart`,
  revokedOverTime: `${tapDeletedEvents}
| summarize Revoked = count() by bin(TimeGenerated, 1d)
| render timechart`,
  usedOverTime: `${tapSignInEvents}
| summarize SignIns = count(), Failed = countif(not(StepSucceeded)) by bin(TimeGenerated, 1d)
| render timechart`,
  // The last issue or deletion per user; a pass issued in the last 30 days (Microsoft's maximum lifetime) and not
  // deleted since may still be held. Lifetimes are not in every record, so this errs towards listing.
  holdersNow: `let Issued = ${tapIssuedEvents};
let Deleted = ${tapDeletedEvents};
union Issued, Deleted
| where TimeGenerated > ago(30d)
| summarize arg_max(TimeGenerated, OperationName, Initiator) by TargetUser
| where OperationName == "Admin registered security info"
| project TargetUser, IssuedAt = TimeGenerated, IssuedBy = Initiator
| order by IssuedAt desc`,
  issuedBy: `${tapIssuedEvents}
| summarize Issued = count() by Initiator
| order by Issued desc`,
} as const;

/** The workbook's JSON (Azure Workbooks "Notebook/1.0" format). */
export function reviewWorkbook() {
  const timeRange = {
    id: "timeRange",
    version: "KqlParameterItem/1.0",
    name: "TimeRange",
    type: 4,
    value: { durationMs: 2592000000 },
    typeSettings: { allowCustom: true },
  };
  const query = (title: string, kql: string, visualization: string) => ({
    type: 3,
    content: {
      version: "KqlItem/1.0",
      title,
      query: kql,
      size: 0,
      timeContextFromParameter: "TimeRange",
      queryType: 0,
      resourceType: "microsoft.operationalinsights/workspaces",
      visualization,
    },
  });
  return {
    version: "Notebook/1.0",
    items: [
      {
        type: 1,
        content: {
          json: "## Temporary Access Pass review\nPasses issued, revoked and used, and who may hold one now. Passes issued outside entra-tap show an issuer other than the deployment identity.",
        },
      },
      { type: 9, content: { version: "KqlParameterItem/1.0", parameters: [timeRange] } },
      query("Passes issued per day", reviewWorkbookQueries.issuedOverTime, "timechart"),
      query("Passes deleted (revoked) per day", reviewWorkbookQueries.revokedOverTime, "timechart"),
      query("Sign-ins with a pass per day", reviewWorkbookQueries.usedOverTime, "timechart"),
      query("Who may hold a pass now", reviewWorkbookQueries.holdersNow, "table"),
      query("Who issued passes", reviewWorkbookQueries.issuedBy, "table"),
    ],
    isLocked: false,
  };
}
