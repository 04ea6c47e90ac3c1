// The grants and their locations as data the queries join: the workspace functions, and the detections reading them.
import { type GrantLocations, type MonitoredGrant, kqlString } from "../../components/detections";
import { accessAfterGrantWindow } from "../../components/detections/accessAfterGrantWindow";
import { accessChanges, tapDeletedEvents, tapIssuedEvents } from "../../components/detections/fragments";
import {
  grantFunctions,
  grantLocationsDatatable,
  grantLocationsFunctionAlias,
  grantsDatatable,
  grantsFunctionAlias,
} from "../../components/detections/grantFunctions";
import { kqlDatetime, kqlTimespan } from "../../components/detections/kql";
import { privilegedOperationByTemporaryUser } from "../../components/detections/privilegedOperationByTemporaryUser";
import { tapBootstrapFailed } from "../../components/detections/tapBootstrapFailed";
import { unexpectedGrantLocation } from "../../components/detections/unexpectedGrantLocation";
import { type GrantPurpose } from "../../components/passBootstrap";
import { kqlErrors } from "../support/kusto";
import { context } from "./detections.support";

/** Two grants, one named by object id, and the locations one of them declares. */
const grants: MonitoredGrant[] = [
  {
    name: "contractor-jane-doe",
    user: "Jane.Doe@contoso.com",
    ticket: "CHG-20418",
    start: "2027-11-30T08:00:00Z",
    expiry: "2027-12-18T18:00:00+01:00",
  },
  {
    name: "support-by-object-id",
    user: "2b3c4d5e-6f70-4a81-9b2c-3d4e5f6a7b8c",
    ticket: "INC-7731",
    start: "2027-11-27T09:00:00Z",
    expiry: "2027-11-28T17:00:00Z",
    purpose: "passkey-onboarding",
  },
];
const locations: GrantLocations[] = [
  { grant: "contractor-jane-doe", countries: ["nl"], ipRanges: ["203.0.113.0/24", "2001:db8::/32"] },
];

describe("the grants as data the queries join", () => {
  const grantDetections = [
    accessAfterGrantWindow,
    privilegedOperationByTemporaryUser,
    unexpectedGrantLocation,
    tapBootstrapFailed,
  ];

  it("are a datatable with one row per grant: name, lower-cased user, ticket, the window in UTC, and the purpose", () => {
    expect(grantsDatatable(grants)).toBe(
      [
        "datatable(GrantName: string, GrantUser: string, Ticket: string, GrantStart: datetime, GrantExpiry: datetime, Purpose: string) [",
        '  "contractor-jane-doe", "jane.doe@contoso.com", "CHG-20418", datetime(2027-11-30T08:00:00.000Z), datetime(2027-12-18T17:00:00.000Z), "",',
        '  "support-by-object-id", "2b3c4d5e-6f70-4a81-9b2c-3d4e5f6a7b8c", "INC-7731", datetime(2027-11-27T09:00:00.000Z), datetime(2027-11-28T17:00:00.000Z), "passkey-onboarding"',
        "]",
      ].join("\n"),
    );
    expect(grantsDatatable([])).toBe(
      "datatable(GrantName: string, GrantUser: string, Ticket: string, GrantStart: datetime, GrantExpiry: datetime, Purpose: string) []",
    );
  });

  it("live in two workspace functions, whose bodies parse", () => {
    const functions = grantFunctions(grants, locations);
    expect(functions.map((fn) => [fn.alias, fn.body])).toEqual([
      [grantsFunctionAlias, grantsDatatable(grants)],
      [grantLocationsFunctionAlias, grantLocationsDatatable(locations)],
    ]);
    for (const fn of functions) expect(kqlErrors(fn.body)).toEqual([]);
  });

  it.each(grantDetections.map((d) => [d.key, d]))(
    "%s reads the grants from the workspace function, never from its own text",
    (_key, detection) => {
      const query = detection.query(context);
      expect(query).toContain(`let Grants = ${grantsFunctionAlias}();`);
      expect(query).not.toContain("datatable(GrantName");
    },
  );

  it("escapes grant values that would otherwise break or change the function", () => {
    const awkward = {
      name: 'x" | take 0 //',
      user: "O'Brien@contoso.com",
      ticket: 'CHG-1 "quoted"\nsecond line\\',
      start: "2027-11-30T08:00:00Z",
      expiry: "2027-12-01T08:00:00Z",
      // The config allows only known purposes; the function escapes whatever it is given all the same.
      purpose: 'support" | take 0 //' as GrantPurpose,
    };
    const functions = grantFunctions([awkward], [{ grant: awkward.name, countries: ["NL"], ipRanges: [] }]);
    for (const fn of functions) expect(kqlErrors(`${fn.body} | count`)).toEqual([]);
    const table = grantsDatatable([awkward]);
    expect(table).toContain(kqlString(awkward.name));
    expect(table).toContain(String.raw`"CHG-1 \"quoted\"\nsecond line\\"`);
    expect(table).toContain(`"o'brien@contoso.com"`);
    expect(table).toContain(String.raw`"support\" | take 0 //"`);
  });

  it("writes dates from the instant they name, never from their text", () => {
    expect(kqlDatetime("2027-12-18T18:00:00+01:00")).toBe("datetime(2027-12-18T17:00:00.000Z)");
    expect(() => kqlDatetime("2027-12-18) | take 0 //")).toThrow("not a date and time");
  });

  it("turns schedules into KQL timespans", () => {
    expect(kqlTimespan("PT5M")).toBe("5m");
    expect(kqlTimespan("PT1H")).toBe("1h");
    expect(kqlTimespan("P1D")).toBe("1d");
    expect(() => kqlTimespan("P1W")).toThrow("not a duration");
  });

  it("reports each access after a window once: by the run after the workspace received it", () => {
    expect(accessAfterGrantWindow.query(context)).toContain("Ingested > ago(1h)");
    const daily = { evaluationFrequency: "P1D", windowSize: "P2D" };
    expect(accessAfterGrantWindow.query(context, daily)).toContain("Ingested > ago(1d)");
  });

  it("reads clean-up from the targeted groups' memberships, or from any group's when none is known", () => {
    const groups = accessChanges(["3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", "TAP - Contractors"]);
    expect(groups).toContain(
      'has_any (dynamic(["3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", "TAP - Contractors"]))',
    );
    expect(accessChanges([])).not.toContain("has_any");
    // The pass's issue and deletion are the shared filters, not copies.
    expect(groups).toContain(tapIssuedEvents);
    expect(groups).toContain(tapDeletedEvents);
  });

  it("embeds the configured privileged operations", () => {
    const query = privilegedOperationByTemporaryUser.query(context);
    expect(query).toContain(
      'let PrivilegedAzureOperations = dynamic(["Microsoft.Authorization/roleAssignments/write"]);',
    );
    expect(query).toContain('let PrivilegedDirectoryOperations = dynamic(["Add member to role"]);');
  });

  it("declares each grant's locations: countries upper-cased, IPv4 and IPv6 ranges apart", () => {
    expect(grantLocationsDatatable(locations)).toBe(
      [
        "datatable(GrantName: string, Countries: dynamic, Ipv4Ranges: dynamic, Ipv6Ranges: dynamic) [",
        '  "contractor-jane-doe", dynamic(["NL"]), dynamic(["203.0.113.0/24"]), dynamic(["2001:db8::/32"])',
        "]",
      ].join("\n"),
    );
    expect(unexpectedGrantLocation.query(context)).toContain(
      `let GrantLocations = ${grantLocationsFunctionAlias}();`,
    );
  });
});
