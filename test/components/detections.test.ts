// Every detection's query, parsed and bound by Microsoft's Kusto language service against the Azure Monitor table
// schemas: a misspelt column or table fails the build. Parts generated from config are checked for their content.
import {
  type DetectionContext,
  detections,
  type GrantLocations,
  type MonitoredGrant,
  kqlString,
  kqlStringList,
  mitreTechniques,
} from "../../components/detections";
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
import { unexpectedGrantLocation } from "../../components/detections/unexpectedGrantLocation";
import { tapDeleted } from "../../components/detections/tapDeleted";
import { tapIssuedOutOfProcess } from "../../components/detections/tapIssuedOutOfProcess";
import { tapIssuedToPrivilegedAccount } from "../../components/detections/tapIssuedToPrivilegedAccount";
import {
  grantActivityQueries,
  reviewWorkbook,
  reviewWorkbookQueries,
} from "../../components/tapReviewWorkbook";
import { kqlErrors, loadTables } from "../support/kusto";

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
  },
];
const locations: GrantLocations[] = [
  { grant: "contractor-jane-doe", countries: ["nl"], ipRanges: ["203.0.113.0/24", "2001:db8::/32"] },
];

const context: DetectionContext = {
  deploymentIdentityIds: ["5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"],
  privilegedObjectIds: ["0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f"],
  privilegedUserPrincipalNames: ["Global.Admin@contoso.com"],
  targetGroups: ["3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", "TAP - Contractors"],
  privilegedOperations: {
    azure: ["Microsoft.Authorization/roleAssignments/write"],
    directory: ["Add member to role"],
  },
};

/** A context with every list empty: no grant, no location, no group, no operation. */
const emptyContext: DetectionContext = {
  deploymentIdentityIds: [],
  privilegedObjectIds: [],
  privilegedUserPrincipalNames: [],
  targetGroups: [],
  privilegedOperations: { azure: [], directory: [] },
};

describe("the Kusto checker", () => {
  it("knows the tables from the Azure Monitor reference", () => {
    const tables = Object.fromEntries(loadTables().map((t) => [t.table, t.columns.map((c) => c.name)]));
    expect(tables.AuditLogs).toEqual(
      expect.arrayContaining(["OperationName", "TargetResources", "ResultReason"]),
    );
    expect(tables.SigninLogs).toEqual(expect.arrayContaining(["AuthenticationDetails", "UserPrincipalName"]));
    expect(tables.AzureActivity).toEqual(
      expect.arrayContaining([
        "TimeGenerated",
        "Caller",
        "CallerIpAddress",
        "OperationNameValue",
        "OperationName",
        "ActivityStatusValue",
        "ResourceId",
        "ResourceGroup",
        "SubscriptionId",
        "CategoryValue",
        "Properties_d",
        "Authorization_d",
        "Claims_d",
        "CorrelationId",
        "Level",
        "ResourceProviderValue",
        "_ResourceId",
        "HTTPRequest",
        "EventSubmissionTimestamp",
        "ActivityStatus",
        "ActivitySubstatusValue",
        "Hierarchy",
        "TenantId",
        "SourceSystem",
        "Type",
      ]),
    );
  });

  it("fails a misspelt column, a misspelt table and a syntax error", () => {
    expect(kqlErrors('AuditLogs | where OperatonName == "x"')).toEqual([
      expect.stringContaining("OperatonName"),
    ]);
    expect(kqlErrors("AuditLog | take 1")).toEqual([expect.stringContaining("AuditLog")]);
    expect(kqlErrors("AuditLogs | where")).not.toEqual([]);
    expect(kqlErrors("SigninLogs | where UserPrincipalName has 'x' | take 1")).toEqual([]);
  });
});

describe.each(detections.map((d) => [d.key, d]))("detection %s", (_key, detection) => {
  it("has a query that parses and binds against the tables", () => {
    expect(kqlErrors(detection.query(context))).toEqual([]);
  });

  it("still binds with empty config lists", () => {
    expect(kqlErrors(detection.query(emptyContext))).toEqual([]);
  });

  it("binds under a schedule overridden in config", () => {
    const schedule = { evaluationFrequency: "P1D", windowSize: "P2D" };
    expect(kqlErrors(detection.query(context, schedule))).toEqual([]);
  });

  it("is complete data: a description, what it cannot see, a severity and a schedule", () => {
    expect(detection.description.length).toBeGreaterThan(20);
    expect(detection.blindSpots.length).toBeGreaterThan(20);
    expect([0, 1, 2, 3, 4]).toContain(detection.severity);
    expect(detection.evaluationFrequency).toMatch(/^PT\d+[MH]$/);
    expect(detection.windowSize).toMatch(/^(PT\d+[MH]|P[12]D)$/);
    expect(detection.tactics.length).toBeGreaterThan(0);
  });

  it("names MITRE techniques that belong to one of its tactics, as Sentinel expects", () => {
    expect(detection.techniques.length).toBeGreaterThan(0);
    for (const technique of detection.techniques) {
      const tactics: readonly string[] = mitreTechniques[technique].tactics;
      expect(detection.tactics.some((tactic) => tactics.includes(tactic))).toBe(true);
    }
  });

  it("maps entities to columns its query returns (checked by binding a projection of them)", () => {
    const columns = detection.entities.flatMap((entity) => entity.fieldMappings.map((m) => m.columnName));
    expect(columns.length).toBeGreaterThan(0);
    expect(kqlErrors(`${detection.query(context)}\n| project ${columns.join(", ")}`)).toEqual([]);
  });
});

describe("detections", () => {
  it("have unique keys and cover the signals entra-tap promises", () => {
    expect(detections.map((d) => d.key)).toEqual([
      "tapIssued",
      "tapDeleted",
      "tapPolicyChanged",
      "tapIssuedOutOfProcess",
      "tapIssuedToPrivilegedAccount",
      "multiUseTapIssued",
      "tapSignIn",
      "repeatedFailedTapSignIns",
      "accessAfterGrantWindow",
      "privilegedOperationByTemporaryUser",
      "unexpectedGrantLocation",
    ]);
  });

  // A table the query reads but does not declare would be missed by whoever checks what the workspace must receive.
  it.each(detections.map((d) => [d.key, d]))(
    "%s declares exactly the tables its query reads",
    (_key, detection) => {
      const query = detection.query(context);
      const read = loadTables()
        .map((table) => table.table)
        .filter((table) => new RegExp(`\\b${table}\\b`).test(query));
      expect([...detection.tables].sort()).toEqual(read.sort());
    },
  );

  it.each(detections.map((d) => [d.key, d]))("%s carries a semantic version", (_key, detection) => {
    expect(detection.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("config-generated query parts", () => {
  it("lets only the deployment identities issue passes", () => {
    const query = tapIssuedOutOfProcess.query({
      ...context,
      deploymentIdentityIds: ["5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "6b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"],
    });
    expect(query).toContain(
      'let ApprovedIssuers = dynamic(["5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "6b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"]);',
    );
    expect(query).toContain("| where not(InitiatorId in (ApprovedIssuers))");
  });

  it("matches privileged accounts by object id and by name, case-insensitively", () => {
    const query = tapIssuedToPrivilegedAccount.query(context);
    expect(query).toContain('let PrivilegedIds = dynamic(["0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f"]);');
    expect(query).toContain('let PrivilegedNames = dynamic(["global.admin@contoso.com"]);');
    expect(query).toContain(
      "| where TargetUserId in (PrivilegedIds) or tolower(TargetUser) in (PrivilegedNames)",
    );
  });

  it("escapes names that would otherwise break or change the query", () => {
    const awkward = [
      "o'brien@contoso.com",
      'x" or 1==1 //@contoso.com',
      "back\\slash@contoso.com",
      "line\nbreak@contoso.com",
    ];
    const query = tapIssuedToPrivilegedAccount.query({ ...context, privilegedUserPrincipalNames: awkward });
    expect(kqlErrors(query)).toEqual([]);
    expect(query).toContain(String.raw`"x\" or 1==1 //@contoso.com"`);
    expect(query).toContain(String.raw`"back\\slash@contoso.com"`);
    expect(query).toContain(String.raw`"line\nbreak@contoso.com"`);
    expect(query).toContain(`"o'brien@contoso.com"`);
  });

  it("produces literals that read back as the value given", () => {
    for (const value of ["plain", 'quo"te', "back\\slash", "tab\there", "new\nline", "o'brien"]) {
      // KQL's escapes for these characters are JSON's, so JSON reads the literal back.
      expect(JSON.parse(kqlString(value))).toBe(value);
      expect(kqlErrors(`print x = ${kqlString(value)}`)).toEqual([]);
    }
    expect(kqlStringList([])).toBe("dynamic([])");
  });
});

describe("the review workbook", () => {
  it("counts the same deletions and issues as the alerts: one filter each, shared", () => {
    expect(tapDeleted.query(context)).toContain(tapDeletedEvents);
    expect(reviewWorkbookQueries.revokedOverTime).toContain(tapDeletedEvents);
    expect(reviewWorkbookQueries.holdersNow).toContain(tapDeletedEvents);
    expect(reviewWorkbookQueries.holdersNow).toContain(tapIssuedEvents);
    // No second, hand-written copy of the deletion filter anywhere in the workbook.
    const workbookText = Object.values(reviewWorkbookQueries).join("\n");
    const copies = workbookText.split('OperationName == "Admin deleted security info"').length - 1;
    expect(copies).toBe(2);
  });

  it.each(Object.entries(reviewWorkbookQueries))("query %s parses and binds", (_name, query) => {
    expect(kqlErrors(query)).toEqual([]);
  });

  it("shows each query, over a time range the reviewer picks", () => {
    const workbook = reviewWorkbook();
    const queries = workbook.items.flatMap((item) => ("query" in item.content ? [item.content.query] : []));
    expect(queries.sort()).toEqual(
      [...Object.values(reviewWorkbookQueries), ...Object.values(grantActivityQueries)].sort(),
    );
    expect(JSON.stringify(workbook)).toContain('"timeContextFromParameter":"TimeRange"');
  });
});

describe("the grants as data the queries join", () => {
  const grantDetections = [
    accessAfterGrantWindow,
    privilegedOperationByTemporaryUser,
    unexpectedGrantLocation,
  ];

  it("are a datatable with one row per grant: name, lower-cased user, ticket, and the window in UTC", () => {
    expect(grantsDatatable(grants)).toBe(
      [
        "datatable(GrantName: string, GrantUser: string, Ticket: string, GrantStart: datetime, GrantExpiry: datetime) [",
        '  "contractor-jane-doe", "jane.doe@contoso.com", "CHG-20418", datetime(2027-11-30T08:00:00.000Z), datetime(2027-12-18T17:00:00.000Z),',
        '  "support-by-object-id", "2b3c4d5e-6f70-4a81-9b2c-3d4e5f6a7b8c", "INC-7731", datetime(2027-11-27T09:00:00.000Z), datetime(2027-11-28T17:00:00.000Z)',
        "]",
      ].join("\n"),
    );
    expect(grantsDatatable([])).toBe(
      "datatable(GrantName: string, GrantUser: string, Ticket: string, GrantStart: datetime, GrantExpiry: datetime) []",
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
    };
    const functions = grantFunctions([awkward], [{ grant: awkward.name, countries: ["NL"], ipRanges: [] }]);
    for (const fn of functions) expect(kqlErrors(`${fn.body} | count`)).toEqual([]);
    const table = grantsDatatable([awkward]);
    expect(table).toContain(kqlString(awkward.name));
    expect(table).toContain(String.raw`"CHG-1 \"quoted\"\nsecond line\\"`);
    expect(table).toContain(`"o'brien@contoso.com"`);
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

describe("the review workbook's activity of temporary access", () => {
  const queries = grantActivityQueries;

  it.each(Object.entries(queries))("query %s parses and binds", (_name, query) => {
    expect(kqlErrors(query)).toEqual([]);
  });

  it("reads each grant's window, from the workspace function", () => {
    for (const query of Object.values(queries)) {
      expect(query).toContain(`let Grants = ${grantsFunctionAlias}();`);
      expect(query).toContain("| where TimeGenerated between (GrantStart .. GrantExpiry);");
    }
  });

  it("shows counts, top operations and a timeline per grant, in its own section", () => {
    const workbook = reviewWorkbook();
    const text = JSON.stringify(workbook);
    expect(text).toContain("## Activity of temporary access");
    const titles = workbook.items.flatMap((item) => ("title" in item.content ? [item.content.title] : []));
    expect(titles).toEqual(
      expect.arrayContaining([
        "Activity per grant",
        "Top operations per grant",
        "Activity per hour, per grant",
        "Timeline of activity (newest first)",
      ]),
    );
  });
});
