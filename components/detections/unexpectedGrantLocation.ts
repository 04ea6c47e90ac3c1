import { actorAccount, actorAddress, type Detection } from "./detection";
import { grantUserSignIns, joinedToGrants } from "./fragments";
import { grantLets, grantLocationsFunctionAlias } from "./grantFunctions";

export const unexpectedGrantLocation: Detection = {
  key: "unexpectedGrantLocation",
  version: "1.0.0",
  tables: ["SigninLogs"],
  displayName: "Sign-in from an unexpected place during a grant",
  description:
    "During a grant's window, its user signed in (with the pass or any other method: UsedPass says which) from outside the countries and IP ranges the grant declares in expectedLocations. Only grants that declare locations are checked.",
  blindSpots:
    "Relies on Entra's IP geolocation (LocationDetails.countryOrRegion) and the sign-in's IPAddress: a VPN or proxy in an expected place hides the real one. Grants without expectedLocations are not checked; non-interactive sign-ins are not read.",
  severity: 2,
  evaluationFrequency: "PT15M",
  windowSize: "PT15M",
  threshold: 0,
  tactics: ["InitialAccess"],
  techniques: ["T1078"],
  entities: [actorAccount, actorAddress],
  query: () => `${grantLets}
let GrantLocations = ${grantLocationsFunctionAlias}();
${grantUserSignIns}
${joinedToGrants}
| where TimeGenerated between (GrantStart .. GrantExpiry)
| join kind=inner GrantLocations on GrantName
| extend Expected = set_has_element(Countries, Country)
    or coalesce(ipv4_is_in_any_range(IPAddress, Ipv4Ranges), false)
    or coalesce(ipv6_is_in_any_range(IPAddress, Ipv6Ranges), false)
| where not(Expected)
| project TimeGenerated, GrantName, Ticket, Actor, ActorId, IPAddress, Country, UsedPass, Operation, Target, Result, CorrelationId`,
};
