// Each detection's query, bound by Kusto's language service against Azure Monitor's tables; its config-made parts.
import {
  type DetectionContext,
  detections,
  kqlString,
  kqlStringList,
  mitreTechniques,
} from "../../components/detections";
import { tapIssuedOutOfProcess } from "../../components/detections/tapIssuedOutOfProcess";
import { tapIssuedToPrivilegedAccount } from "../../components/detections/tapIssuedToPrivilegedAccount";
import { kqlErrors, loadTables } from "../support/kusto";
import { context } from "./detections.support";

/** A context with every list empty: no grant, no location, no group, no operation. */
const emptyContext: DetectionContext = {
  deploymentIdentityIds: [],
  privilegedObjectIds: [],
  privilegedUserPrincipalNames: [],
  targetGroups: [],
  privilegedOperations: { azure: [], directory: [] },
  knownIssuerIds: [],
  registrationWithinMinutes: 60,
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
      "tapBootstrapFailed",
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

  it("lets known issuers issue passes, by service principal object id or application id, lower-cased", () => {
    const query = tapIssuedOutOfProcess.query({
      ...context,
      knownIssuerIds: ["CE79FDC4-CD1D-4EA5-8139-E74D7DBE0BB7", "0a4b6c8d-2e1f-4a3b-8c5d-7e9f1a2b3c4d"],
    });
    expect(query).toContain(
      'let KnownIssuers = dynamic(["ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7", "0a4b6c8d-2e1f-4a3b-8c5d-7e9f1a2b3c4d"]);',
    );
    expect(query).toContain(
      "| where not(tolower(tostring(InitiatedBy.app.servicePrincipalId)) in (KnownIssuers) or tolower(tostring(InitiatedBy.app.appId)) in (KnownIssuers))",
    );
    // Every other issuer still alerts: the deployment identities are the only other exclusion.
    expect(query.match(/^\| where not\(/gm)).toHaveLength(2);
  });

  it("excludes nothing more with no known issuer: an empty list, which `in` matches nothing of", () => {
    const query = tapIssuedOutOfProcess.query({ ...context, knownIssuerIds: [] });
    expect(query).toContain("let KnownIssuers = dynamic([]);");
    expect(kqlErrors(query)).toEqual([]);
    expect(query.replace("let KnownIssuers = dynamic([]);", "")).toBe(
      tapIssuedOutOfProcess
        .query({ ...context, knownIssuerIds: ["ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7"] })
        .replace('let KnownIssuers = dynamic(["ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7"]);', ""),
    );
  });

  it("escapes a known issuer's id like every other value", () => {
    const query = tapIssuedOutOfProcess.query({ ...context, knownIssuerIds: ['x") or true //'] });
    expect(query).toContain(String.raw`let KnownIssuers = dynamic(["x\") or true //"]);`);
    expect(kqlErrors(query)).toEqual([]);
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
