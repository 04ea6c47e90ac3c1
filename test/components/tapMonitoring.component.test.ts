import type { DeclaredResource } from "../../scripts/declaredResources";
import { billingSubscriptionId as billing } from "../support/fixtures";
import { mockRuntime } from "../support/mockRuntime";
import { settled } from "../support/outputs";
import { detections } from "../../components/detections";

const existingWorkspace =
  "/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc";
const deployer = "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const tierZeroGroup = "0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f";
const tierZeroMember = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";
const webhookUrl = "https://hooks.example.com/services/T000/B000/very-secret-token";
const sandbox = "6A4D3B2C-9F8E-4D7C-8B6A-1F2E3D4C5B6A";
const contractorsGroup = "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";
const now = new Date("2027-12-20T00:00:00Z");

/** Grants as index.ts passes them; one also carries what a grant must never hand to a query. */
const activeGrant = {
  name: "contractor-jane-doe",
  user: "jane.doe@contoso.com",
  ticket: "CHG-20418",
  start: "2027-12-01T08:00:00Z",
  expiry: "2027-12-31T18:00:00Z",
  expectedLocations: { countries: ["NL"], ipRanges: ["203.0.113.0/24"] },
  purpose: "passkey-onboarding" as const,
  // Not part of a grant's monitoring args: must be dropped even when an object carries it.
  reason: "Data platform migration",
  temporaryAccessPass: "Tap-Passcode-8xK2",
};
const endedWithinRetention = {
  name: "support-ahmed-khan",
  user: "ahmed.khan@contoso.com",
  ticket: "INC-7731",
  start: "2027-11-27T09:00:00Z",
  expiry: "2027-11-28T17:00:00Z",
};
const endedBeyondRetention = {
  name: "old-contractor",
  user: "old.contractor@contoso.com",
  ticket: "CHG-100",
  start: "2027-01-04T09:00:00Z",
  expiry: "2027-01-08T17:00:00Z",
};

const baseArgs = {
  resourceGroupName: "rg-entra-tap",
  location: "westeurope",
  diagnosticSetting: { name: "entra-tap", nonInteractiveSignIns: false },
  actionGroup: {
    shortName: "EntraTAP",
    emails: [{ name: "soc", address: "soc@contoso.com" }],
    webhooks: [{ name: "soar", url: webhookUrl }],
  },
  deploymentIdentities: [deployer],
  privilegedAccounts: { users: ["Admin@contoso.com"], groups: [tierZeroGroup] },
  sentinel: false,
};

describe("TapMonitoring under the mock runtime", () => {
  let declared: DeclaredResource[];
  let Monitoring: typeof import("../../components/tapMonitoring").TapMonitoring;

  beforeAll(async () => {
    declared = await mockRuntime({
      invokeResults: (token, inputs) =>
        token === "azuread:index/getGroup:getGroup" ? { ...inputs, members: [tierZeroMember] } : undefined,
    });
    ({ TapMonitoring: Monitoring } = await import("../../components/tapMonitoring"));
    const created = new Monitoring("mon", {
      ...baseArgs,
      workspace: { name: "law-entra-tap", retentionInDays: 180 },
      detections: { tapSignIn: { notify: false, severity: 4 }, multiUseTapIssued: { enabled: false } },
      activityLog: { subscriptionIds: [billing, sandbox] },
      grants: [activeGrant, endedWithinRetention, endedBeyondRetention],
      targetGroups: [contractorsGroup, "TAP - Contractors"],
      knownIssuers: [
        { name: "Lifecycle Workflows", id: "CE79FDC4-CD1D-4EA5-8139-E74D7DBE0BB7" },
        { name: "Lifecycle Workflows, again", id: "ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7" },
      ],
      bootstrap: { registrationWithinMinutes: 240 },
      now,
    });
    await settled(created.workspaceId);
    await Promise.all(Object.values(created.alertRuleIds).map((id) => settled(id)));
  });

  const named = (name: string) => declared.find((r) => r.name === name)!;
  const ofType = (type: string, prefix = "mon-") =>
    declared.filter((r) => r.type === type && r.name.startsWith(prefix));

  it("creates the workspace with the configured retention, and routes Entra's logs to it", () => {
    expect(named("mon-workspace")).toMatchObject({
      type: "azure-native:operationalinsights:Workspace",
      parent: "mon",
      inputs: { workspaceName: "law-entra-tap", retentionInDays: 180, location: "westeurope" },
    });
    expect(named("mon-entra-logs")).toMatchObject({
      type: "azure-native:aadiam:DiagnosticSetting",
      inputs: {
        name: "entra-tap",
        workspaceId: "mon-workspace-id",
        logs: [
          { category: "AuditLogs", enabled: true },
          { category: "SignInLogs", enabled: true },
          { category: "NonInteractiveUserSignInLogs", enabled: false },
        ],
      },
    });
  });

  it("notifies through an action group whose webhook URL is a secret", async () => {
    const group = named("mon-notifications");
    expect(group.inputs).toMatchObject({
      location: "Global",
      groupShortName: "EntraTAP",
      emailReceivers: [{ name: "soc", emailAddress: "soc@contoso.com", useCommonAlertSchema: true }],
    });
    const { displayInputs } = await import("../../scripts/declaredResources");
    expect(displayInputs(group.inputs).webhookReceivers).toBe("[secret]");
    expect(JSON.stringify(declared.map((r) => displayInputs(r.inputs)))).not.toContain("very-secret-token");
  });

  it("declares one alert rule per enabled detection, scoped to the workspace, with its query and schedule", () => {
    const rules = ofType("azure-native:monitor:ScheduledQueryRule");
    expect(rules.map((r) => r.name).sort()).toEqual(
      detections
        .filter((d) => d.key !== "multiUseTapIssued")
        .map((d) => `mon-${d.key}`)
        .sort(),
    );
    const issued = named("mon-tapIssued");
    const detection = detections.find((d) => d.key === "tapIssued")!;
    expect(issued.inputs).toMatchObject({
      scopes: ["mon-workspace-id"],
      severity: detection.severity,
      evaluationFrequency: detection.evaluationFrequency,
      windowSize: detection.windowSize,
      kind: "LogAlert",
      criteria: {
        allOf: [
          {
            query: detection.query({
              deploymentIdentityIds: [],
              privilegedObjectIds: [],
              privilegedUserPrincipalNames: [],
              targetGroups: [],
              privilegedOperations: { azure: [], directory: [] },
              knownIssuerIds: [],
              registrationWithinMinutes: 60,
            }),
            operator: "GreaterThan",
            threshold: 0,
            timeAggregation: "Count",
          },
        ],
      },
      actions: { actionGroups: ["mon-notifications-id"] },
    });
  });

  it("applies per-detection overrides: severity, and no notification", () => {
    expect(named("mon-tapSignIn").inputs).toMatchObject({ severity: 4, actions: { actionGroups: [] } });
  });

  it("builds the config-dependent queries from the deployment identity and the privileged group's members", () => {
    const query = (name: string) =>
      (named(name).inputs.criteria as { allOf: { query: string }[] }).allOf[0].query;
    expect(query("mon-tapIssuedOutOfProcess")).toContain(`let ApprovedIssuers = dynamic(["${deployer}"]);`);
    expect(query("mon-tapIssuedToPrivilegedAccount")).toContain(
      `let PrivilegedIds = dynamic(["${tierZeroMember}"]);`,
    );
    expect(query("mon-tapIssuedToPrivilegedAccount")).toContain(
      'let PrivilegedNames = dynamic(["admin@contoso.com"]);',
    );
  });

  it("trusts the known issuers' passes (ids lower-cased, once each) and gives a bootstrap the configured time", () => {
    const query = (name: string) =>
      (named(name).inputs.criteria as { allOf: { query: string }[] }).allOf[0].query;
    expect(query("mon-tapIssuedOutOfProcess")).toContain(
      'let KnownIssuers = dynamic(["ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7"]);',
    );
    expect(query("mon-tapBootstrapFailed")).toContain("let Within = 240m;");
    expect(named("mon-tapBootstrapFailed").inputs).toMatchObject({
      evaluationFrequency: "PT15M",
      windowSize: "P1D",
    });
  });

  it("gives the queries each grant's purpose, in the grants function", () => {
    const body = named("mon-function-EntraTapGrants").inputs.query as string;
    expect(body).toMatch(/"contractor-jane-doe", .*, "passkey-onboarding",?\n/);
    expect(body).toMatch(/"support-ahmed-khan", .*, ""\n/);
  });

  it("routes each configured subscription's activity log to the workspace, one setting named by its id", () => {
    const settings = ofType("azure-native:monitor:DiagnosticSetting");
    expect(settings.map((r) => r.name).sort()).toEqual([
      `mon-activity-log-${billing}`,
      `mon-activity-log-${sandbox.toLowerCase()}`,
    ]);
    expect(named(`mon-activity-log-${billing}`)).toMatchObject({
      parent: "mon",
      inputs: {
        name: "entra-tap",
        resourceUri: `/subscriptions/${billing}`,
        workspaceId: "mon-workspace-id",
        logs: [
          { category: "Administrative", enabled: true },
          { category: "Security", enabled: true },
          { category: "Policy", enabled: true },
        ],
      },
    });
  });

  it("holds the grants in workspace functions: active and ended within retention, not older", () => {
    const grantsFunction = named("mon-function-EntraTapGrants");
    expect(grantsFunction).toMatchObject({
      type: "azure-native:operationalinsights:SavedSearch",
      parent: "mon",
      inputs: {
        resourceGroupName: "rg-entra-tap",
        workspaceName: "law-entra-tap",
        functionAlias: "EntraTapGrants",
        savedSearchId: "EntraTapGrants",
        category: "entra-tap",
      },
    });
    const body = grantsFunction.inputs.query as string;
    expect(body).toContain("contractor-jane-doe");
    expect(body).toContain("support-ahmed-khan");
    expect(body).not.toContain("old-contractor");
    expect(named("mon-function-EntraTapGrantLocations").inputs.query).toContain(
      '"contractor-jane-doe", dynamic(["NL"]), dynamic(["203.0.113.0/24"]), dynamic([])',
    );
  });

  it("keeps the grants out of every query and the workbook, which call the functions and wait for them", () => {
    const query = (name: string) =>
      (named(name).inputs.criteria as { allOf: { query: string }[] }).allOf[0].query;
    const functions = ["mon-function-EntraTapGrants", "mon-function-EntraTapGrantLocations"];
    for (const rule of ofType("azure-native:monitor:ScheduledQueryRule")) {
      expect(JSON.stringify(rule.inputs)).not.toContain("contractor-jane-doe");
      expect(rule.dependsOn).toEqual(expect.arrayContaining(functions));
    }
    expect(named("mon-review").inputs.serializedData).not.toContain("contractor-jane-doe");
    expect(named("mon-review").dependsOn).toEqual(expect.arrayContaining(functions));
    expect(query("mon-accessAfterGrantWindow")).toContain("EntraTapGrants()");
    expect(query("mon-accessAfterGrantWindow")).toContain(contractorsGroup);
    expect(query("mon-unexpectedGrantLocation")).toContain("EntraTapGrantLocations()");
    expect(query("mon-privilegedOperationByTemporaryUser")).toContain(
      "Microsoft.Authorization/roleAssignments/write",
    );
  });

  it("puts no secret, passcode or grant detail beyond the monitored fields in any query or the workbook", () => {
    const texts = declared
      .filter((r) => r.name.startsWith("mon-"))
      .map((r) => JSON.stringify(r.inputs.criteria ?? r.inputs.query ?? r.inputs.serializedData ?? ""));
    expect(texts.filter((text) => text.includes("contractor-jane-doe")).length).toBe(2);
    for (const text of texts) {
      expect(text).not.toContain("very-secret-token");
      expect(text).not.toContain("Tap-Passcode-8xK2");
      expect(text).not.toContain("Data platform migration");
    }
  });

  it("adds the review workbook on the workspace", () => {
    const workbook = named("mon-review");
    expect(workbook).toMatchObject({
      type: "azure-native:applicationinsights:Workbook",
      inputs: { kind: "shared", category: "workbook", sourceId: "mon-workspace-id" },
    });
    expect(JSON.parse(workbook.inputs.serializedData as string).version).toBe("Notebook/1.0");
  });

  it("onboards a workspace it creates to Sentinel before any Sentinel rule", async () => {
    const onboarded = new Monitoring("sen", {
      ...baseArgs,
      workspace: { name: "law-sentinel" },
      detections: {},
      sentinel: true,
    });
    await Promise.all(Object.values(onboarded.sentinelRuleIds).map((id) => settled(id)));
    expect(named("sen-sentinel")).toMatchObject({
      type: "azure-native:securityinsights:SentinelOnboardingState",
      parent: "sen",
      inputs: {
        resourceGroupName: "rg-entra-tap",
        workspaceName: "law-sentinel",
        sentinelOnboardingStateName: "default",
      },
    });
    const rules = ofType("azure-native:securityinsights:ScheduledAlertRule", "sen-");
    expect(rules).toHaveLength(detections.length);
    for (const rule of rules) {
      expect(rule.dependsOn).toEqual(expect.arrayContaining(["sen-sentinel", "sen-function-EntraTapGrants"]));
    }
    // The monitoring without Sentinel ("mon-") onboards nothing.
    expect(ofType("azure-native:securityinsights:SentinelOnboardingState", "mon-")).toHaveLength(0);
  });

  it("uses an existing workspace without creating one, and mirrors the detections to Sentinel when asked", async () => {
    const existing = new Monitoring("soc", {
      ...baseArgs,
      workspace: { resourceId: existingWorkspace },
      detections: {},
      sentinel: true,
    });
    await settled(existing.workspaceId);
    await Promise.all(Object.values(existing.sentinelRuleIds).map((id) => settled(id)));
    expect(ofType("azure-native:operationalinsights:Workspace", "soc-")).toEqual([]);
    expect(named("soc-tapIssued").inputs.scopes).toEqual([existingWorkspace]);
    const sentinel = ofType("azure-native:securityinsights:ScheduledAlertRule", "soc-");
    expect(sentinel).toHaveLength(detections.length);
    // An existing workspace is onboarded by its owners (docs/monitoring.md): entra-tap declares no onboarding there.
    expect(ofType("azure-native:securityinsights:SentinelOnboardingState", "soc-")).toEqual([]);
    // Its functions and rules live in the workspace's own resource group.
    expect(named("soc-function-EntraTapGrants").inputs).toMatchObject({
      resourceGroupName: "rg-soc",
      workspaceName: "law-soc",
    });
    expect(named("soc-sentinel-tapIssuedToPrivilegedAccount").inputs).toMatchObject({
      resourceGroupName: "rg-soc",
      workspaceName: "law-soc",
      kind: "Scheduled",
      severity: "High",
      triggerOperator: "GreaterThan",
      triggerThreshold: 0,
      queryFrequency: "PT5M",
      tactics: ["PrivilegeEscalation", "Persistence"],
    });
  });
});
