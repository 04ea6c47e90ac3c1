import { type Detection, signInAccount } from "./detection";
import { tapSignInEvents } from "./fragments";

export const repeatedFailedTapSignIns: Detection = {
  key: "repeatedFailedTapSignIns",
  version: "1.0.0",
  tables: ["SigninLogs"],
  displayName: "Repeated failed sign-ins with a Temporary Access Pass",
  description:
    "Three or more failed Temporary Access Pass sign-ins for one user within the window: guessing, or a pass handed to the wrong person.",
  blindSpots:
    "Counts failures per user; a spray across many users with one attempt each stays under the threshold.",
  severity: 2,
  evaluationFrequency: "PT15M",
  windowSize: "PT1H",
  threshold: 0,
  tactics: ["CredentialAccess"],
  techniques: ["T1110"],
  entities: [signInAccount],
  query: () => `${tapSignInEvents}
| where not(StepSucceeded) or ResultType != "0"
| summarize FailedSignIns = count(), IPAddresses = make_set(IPAddress), LastAttempt = max(TimeGenerated) by UserPrincipalName, UserId
| where FailedSignIns >= 3`,
};
