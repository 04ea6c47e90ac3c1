// The review workbook: TAPs issued, revoked and used over time, who holds one now, what people with temporary access
// did in their grant's window, and whether each grant's pass turned into a phishing-resistant method, so reviewers look
// at a picture rather than raw logs. Its queries are data, checked by the Kusto language service in the tests.
import {
  grantActivity,
  grantUserRegistrations,
  grantUserTapSignIns,
  joinedToGrants,
  tapDeletedEvents,
  tapIssuedEvents,
  tapSignInEvents,
} from "./detections/fragments";
import { grantLets } from "./detections/grantFunctions";

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

/** Each grant's user's activity inside the grant's window, for the panels below. */
const inWindow = `${grantLets}
let InWindow = ${grantActivity}
| where TimeGenerated between (GrantStart .. GrantExpiry);`;

/**
 * The "Activity of temporary access" section's queries by panel: per grant, what its user did inside the grant's
 * window (sign-ins, directory changes they initiated, Azure operations), over the time range the reviewer picks.
 * The grants come from the workspace function entra-tap declares (components/detections/grantFunctions.ts); ended ones stay
 * while the workspace keeps their logs.
 */
export const grantActivityQueries = {
  activityPerGrant: `${inWindow}
Grants
| join kind=leftouter (InWindow
    | summarize SignIns = countif(Source == "SigninLogs"), DirectoryChanges = countif(Source == "AuditLogs"),
        AzureOperations = countif(Source == "AzureActivity"), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated)
        by GrantName) on GrantName
| project GrantName, Ticket, User = GrantUser, GrantStart, GrantExpiry, SignIns = coalesce(SignIns, tolong(0)),
    DirectoryChanges = coalesce(DirectoryChanges, tolong(0)), AzureOperations = coalesce(AzureOperations, tolong(0)), FirstSeen, LastSeen
| order by GrantStart desc`,
  topOperations: `${inWindow}
InWindow
| summarize Count = count() by GrantName, Source, Operation
| order by GrantName asc, Count desc
| extend Rank = row_number(1, prev(GrantName) != GrantName)
| where Rank <= 10
| project GrantName, Rank, Source, Operation, Count`,
  activityOverTime: `${inWindow}
InWindow
| summarize Events = count() by bin(TimeGenerated, 1h), GrantName
| render timechart`,
  timeline: `${inWindow}
InWindow
| project TimeGenerated, GrantName, Ticket, Source, Operation, Target, IPAddress, Result
| order by TimeGenerated desc
| take 1000`,
};

/**
 * Per grant, inside its window: the passes issued to its user (PassesIssued), its user's successful sign-ins with a pass
 * (PassesUsed), and their phishing-resistant registrations after the first pass was issued (Registrations), with the
 * same filters as the alerts (components/detections/fragments.ts). Grants are joined by user, as the grant names them.
 */
const conversion = `${grantLets}
let Issued = ${tapIssuedEvents}
| project IssuedAt = TimeGenerated, UserKeys = pack_array(tolower(TargetUser), tolower(TargetUserId))
${joinedToGrants}
| where IssuedAt between (GrantStart .. GrantExpiry)
| summarize PassesIssued = count(), FirstIssued = min(IssuedAt) by GrantName;
let Used = ${grantUserTapSignIns}
${joinedToGrants}
| where TimeGenerated between (GrantStart .. GrantExpiry)
| summarize PassesUsed = count(), FirstUsed = min(TimeGenerated) by GrantName;
let Registered = Grants
| join kind=inner (${grantUserRegistrations}) on $left.GrantUser == $right.UserKey
| join kind=inner Issued on GrantName
| where RegisteredAt > FirstIssued and RegisteredAt <= GrantExpiry
| summarize Registrations = count(), FirstRegistered = min(RegisteredAt), Methods = make_set(Registration) by GrantName;
let Conversion = Grants
| join kind=leftouter Issued on GrantName
| join kind=leftouter Used on GrantName
| join kind=leftouter Registered on GrantName
| project GrantName, Ticket, User = GrantUser, Purpose, GrantStart, GrantExpiry,
    PassesIssued = coalesce(PassesIssued, tolong(0)), PassesUsed = coalesce(PassesUsed, tolong(0)),
    Registrations = coalesce(Registrations, tolong(0)), FirstIssued, FirstUsed, FirstRegistered, Methods;`;

/**
 * The "From pass to phishing-resistant method" section's queries: per grant and in total, passes issued, passes used,
 * and whether a phishing-resistant method followed (Converted), over the time range the reviewer picks.
 */
export const conversionQueries = {
  conversionPerGrant: `${conversion}
Conversion
| extend Converted = Registrations > 0
| project GrantName, Ticket, User, Purpose, GrantStart, GrantExpiry, PassesIssued, PassesUsed, Converted,
    Registrations, FirstIssued, FirstUsed, FirstRegistered, Methods
| order by GrantStart desc`,
  conversionTotal: `${conversion}
Conversion
| summarize Grants = count(), PassesIssued = sum(PassesIssued), PassesUsed = sum(PassesUsed),
    GrantsIssued = countif(PassesIssued > 0), GrantsUsed = countif(PassesUsed > 0), GrantsConverted = countif(Registrations > 0)
| extend ConvertedPercent = iff(GrantsIssued == 0, real(null), round(100.0 * GrantsConverted / GrantsIssued, 1))`,
};

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
  const activity = grantActivityQueries;
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
      {
        type: 1,
        content: {
          json: "## Activity of temporary access\nPer grant, what its user did inside the grant's window: sign-ins, directory changes they initiated, and Azure operations (from the subscriptions whose activity log reaches the workspace). The grants come from the stack's config at the last `pulumi up`; ended grants stay while the workspace keeps their logs. Pick a time range that covers the windows you review.",
        },
      },
      query("Activity per grant", activity.activityPerGrant, "table"),
      query("Top operations per grant", activity.topOperations, "table"),
      query("Activity per hour, per grant", activity.activityOverTime, "timechart"),
      query("Timeline of activity (newest first)", activity.timeline, "table"),
      {
        type: 1,
        content: {
          json: "## From pass to phishing-resistant method\nPer grant and in total, inside each grant's window: the passes issued to its user, the user's sign-ins with a pass, and whether a phishing-resistant method (passkey or FIDO2 key, Windows Hello for Business, platform credential) was registered after the first pass was issued. An onboarding grant (purpose passkey-onboarding or windows-hello-onboarding) whose pass was used but not converted is a bootstrap that failed, or a pass used for something else. The registration's wording in the audit log is not verified: see docs/monitoring.md.",
        },
      },
      query("Conversion per grant", conversionQueries.conversionPerGrant, "table"),
      query("Conversion in total", conversionQueries.conversionTotal, "table"),
    ],
    isLocked: false,
  };
}
