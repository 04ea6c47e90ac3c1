import { type Detection, signInAccount } from "./detection";
import { tapSignInEvents } from "./fragments";

export const tapSignIn: Detection = {
  key: "tapSignIn",
  version: "1.0.0",
  tables: ["SigninLogs"],
  displayName: "Sign-in with a Temporary Access Pass",
  description: "A user signed in with a Temporary Access Pass (usage).",
  blindSpots:
    "Needs the SignInLogs category (and NonInteractiveUserSignInLogs for non-interactive sign-ins); the method's name in AuthenticationDetails is not documented as stable.",
  severity: 4,
  evaluationFrequency: "PT15M",
  windowSize: "PT15M",
  threshold: 0,
  tactics: ["InitialAccess"],
  techniques: ["T1078"],
  entities: [
    signInAccount,
    { entityType: "IP", fieldMappings: [{ identifier: "Address", columnName: "IPAddress" }] },
  ],
  query: () => `${tapSignInEvents}
| where StepSucceeded
| project TimeGenerated, UserPrincipalName, UserId, IPAddress, AppDisplayName, ResultType, CorrelationId`,
};
