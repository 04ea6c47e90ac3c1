import { onboardingPurposes, phishingResistantRegistrationWords } from "../passBootstrap";
import { actorAddress, type Detection, type DetectionSchedule, signInAccount } from "./detection";
import { grantUserRegistrations, grantUserTapSignIns, joinedToGrants } from "./fragments";
import { grantLets } from "./grantFunctions";
import { kqlMinutes, kqlStringList, kqlTimespan } from "./kql";

// Each sign-in is judged once, registrationWithinMinutes after it: a run looks at the sign-ins of one evaluation
// period that ended that long ago, [ago(Within + Every), ago(Within)), and at the registrations since. The window must
// cover Within + Every: one day covers the longest Within config allows (720 minutes) with room for an
// evaluationFrequency of up to 12 hours.
const schedule: DetectionSchedule = { evaluationFrequency: "PT15M", windowSize: "P1D" };

export const tapBootstrapFailed: Detection = {
  key: "tapBootstrapFailed",
  version: "1.0.0",
  tables: ["SigninLogs", "AuditLogs"],
  displayName: "Onboarding pass used, no phishing-resistant method registered",
  description: `The user of a grant whose purpose is onboarding (${onboardingPurposes.join(", ")}) signed in with a Temporary Access Pass inside the grant's window, and registered no phishing-resistant method (passkey or FIDO2 key, Windows Hello for Business, platform credential) within entra-tap:bootstrap.registrationWithinMinutes (60 by default) after: the bootstrap failed, or the pass was used for something else.`,
  blindSpots: `A registration counts when AuditLogs records 'User registered security info' with a reason (ResultReason or ResultDescription) that has one of the terms ${phishingResistantRegistrationWords.map((word) => `'${word}'`).join(", ")} (whole terms, any case); that wording is not verified, and a registration worded otherwise is not seen: the bootstrap is then reported failed (loud, not missed; docs/monitoring.md says where to look). A method an admin registers for the user counts only when the record names the user. Each sign-in is judged once, registrationWithinMinutes after it: one that reaches the workspace later than that is never judged, and a registration that reaches it after the judgement counts as none. Only grants with an onboarding purpose are checked; non-interactive sign-ins are not read.`,
  severity: 2,
  ...schedule,
  threshold: 0,
  tactics: ["InitialAccess", "Persistence"],
  techniques: ["T1078"],
  entities: [signInAccount, actorAddress],
  query: (context, { evaluationFrequency } = schedule) => `${grantLets}
let OnboardingPurposes = ${kqlStringList(onboardingPurposes)};
let Within = ${kqlMinutes(context.registrationWithinMinutes)};
let Every = ${kqlTimespan(evaluationFrequency)};
let Registrations = ${grantUserRegistrations};
${grantUserTapSignIns}
| where TimeGenerated >= ago(Within + Every) and TimeGenerated < ago(Within)
${joinedToGrants}
| where Purpose in (OnboardingPurposes) and TimeGenerated between (GrantStart .. GrantExpiry)
| summarize arg_max(GrantStart, GrantName, Ticket, Purpose, GrantExpiry, GrantUser)
    by Id, TimeGenerated, UserPrincipalName, UserId, IPAddress, AppDisplayName, CorrelationId
| join kind=leftouter Registrations on $left.GrantUser == $right.UserKey
| summarize Registered = countif(RegisteredAt between (TimeGenerated .. TimeGenerated + Within))
    by Id, TimeGenerated, UserPrincipalName, UserId, IPAddress, AppDisplayName, CorrelationId, GrantName, Ticket, Purpose
| where Registered == 0
| project TimeGenerated, GrantName, Ticket, Purpose, UserPrincipalName, UserId, IPAddress, AppDisplayName,
    RegisterBy = TimeGenerated + Within, CorrelationId`,
};
