// The grants, as data the queries join.
//
// The grants reach the queries from one place in the workspace: two workspace functions (saved searches with an alias,
// `Microsoft.OperationalInsights/workspaces/savedSearches`) that TapMonitoring declares from the stack's config. Built
// into each query instead, they made every grant query grow with the grants (about 140 characters a grant): a Sentinel
// scheduled rule's query is at most 10,000 characters (Azure-Sentinel's ScheduledTemplateInternalModel.cs,
// StringLength(10000)) and a log search alert rule's properties at most 64 KB together (Azure Monitor service limits),
// crossed at about 30 and 400 grants. Why a function, of the places a workspace offers:
// - a Sentinel watchlist exists only in a workspace onboarded to Sentinel, and the log search alerts must work without
//   it (a local upload is at most 3.8 MB, 10 million active items per workspace: Sentinel's watchlist documentation);
// - a custom table needs an ingestion pipeline (a data collection rule and the Logs Ingestion API) outside `pulumi up`,
//   and rows that cannot be taken back when a grant is corrected;
// - a function changes only with a reviewed `pulumi up`, as the grants do, and every rule, hunt and workbook calls it
//   by name. Its body has no documented size limit (the savedSearches API, 2020-08-01 and 2025-02-01, gives `query`
//   no maxLength, and neither the service limits page nor the Kusto query limits name one): a body ARM refuses fails
//   `pulumi up` with ARM's message, loudly. Measured: about 725 KB at 5,000 grants (docs/monitoring.md).
// Only a grant's name, user, ticket, window and purpose (and declared locations) go into them.
import { type GrantLocations, type MonitoredGrant } from "./detection";
import { kqlDatetime, kqlString, kqlStringList } from "./kql";

/** A workspace function entra-tap declares: its alias (what queries call) and its body. */
export interface WorkspaceFunction {
  alias: string;
  displayName: string;
  body: string;
}

/** The alias of the function that returns the grants, one row each (see grantsDatatable). */
export const grantsFunctionAlias = "EntraTapGrants";
/** The alias of the function that returns the grants' expected locations (see grantLocationsDatatable). */
export const grantLocationsFunctionAlias = "EntraTapGrantLocations";

/**
 * The grants as a KQL table, one row each: GrantName, GrantUser (lower-cased: the logs spell user principal names in
 * any case), Ticket, GrantStart, GrantExpiry, Purpose ("" when the grant names none). Text goes through kqlString,
 * dates through kqlDatetime.
 */
export function grantsDatatable(grants: readonly MonitoredGrant[]): string {
  const rows = grants.map((grant) =>
    [
      kqlString(grant.name),
      kqlString(grant.user.toLowerCase()),
      kqlString(grant.ticket),
      kqlDatetime(grant.start),
      kqlDatetime(grant.expiry),
      kqlString(grant.purpose ?? ""),
    ].join(", "),
  );
  const body = rows.length > 0 ? `\n  ${rows.join(",\n  ")}\n` : "";
  return `datatable(GrantName: string, GrantUser: string, Ticket: string, GrantStart: datetime, GrantExpiry: datetime, Purpose: string) [${body}]`;
}

/** The workspace functions that hold the grants and their expected locations, built from the stack's config. */
export function grantFunctions(
  grants: readonly MonitoredGrant[],
  locations: readonly GrantLocations[],
): WorkspaceFunction[] {
  return [
    { alias: grantsFunctionAlias, displayName: "entra-tap: grants", body: grantsDatatable(grants) },
    {
      alias: grantLocationsFunctionAlias,
      displayName: "entra-tap: grants' expected locations",
      body: grantLocationsDatatable(locations),
    },
  ];
}

/** The let statements every grant query starts with: `Grants`, and `GrantUsers` (their users, one column). */
export const grantLets = `let Grants = ${grantsFunctionAlias}();
let GrantUsers = Grants | distinct GrantUser;`;

/**
 * The places grants expect their users to sign in from, one row per grant that declares them: GrantName, Countries
 * (upper-case ISO codes), Ipv4Ranges, Ipv6Ranges (CIDR).
 */
export function grantLocationsDatatable(locations: readonly GrantLocations[]): string {
  const rows = locations.map((location) =>
    [
      kqlString(location.grant),
      kqlStringList(location.countries.map((country) => country.toUpperCase())),
      kqlStringList(location.ipRanges.filter((range) => !range.includes(":"))),
      kqlStringList(location.ipRanges.filter((range) => range.includes(":"))),
    ].join(", "),
  );
  const body = rows.length > 0 ? `\n  ${rows.join(",\n  ")}\n` : "";
  return `datatable(GrantName: string, Countries: dynamic, Ipv4Ranges: dynamic, Ipv6Ranges: dynamic) [${body}]`;
}
