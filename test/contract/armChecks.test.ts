// The contract's checker and rules on inputs made to break them: a rule that cannot fail would pass any stack.
import * as pulumi from "@pulumi/pulumi";
import type { DeclaredResource } from "../../scripts/declaredResources";
import { unknownMarker } from "../support/contractStacks";
import { durationMinutes, fieldProblems, walk } from "./armChecks";
import { armRules, logAlertPropertiesMaxBytes, stackRules } from "./armRules";

const secret = (value: unknown) => ({
  [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
  value,
});

/** The problems every rule of `type` finds in `inputs`. */
function problemsOf(type: string, inputs: Record<string, unknown>): string[] {
  const rules = armRules[type];
  return [
    ...rules.fields.flatMap((rule) => fieldProblems(rule, inputs).problems),
    ...(rules.resource ?? []).flatMap((rule) => rule.problems(inputs, { name: "r" })),
  ];
}

const logAlert = (overrides: Record<string, unknown> = {}, condition: Record<string, unknown> = {}) => ({
  resourceGroupName: "rg",
  location: "westeurope",
  kind: "LogAlert",
  enabled: true,
  scopes: ["/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w"],
  severity: 2,
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  criteria: {
    allOf: [
      { query: "AuditLogs", timeAggregation: "Count", operator: "GreaterThan", threshold: 0, ...condition },
    ],
  },
  ...overrides,
});

describe("walk", () => {
  it("finds values in arrays and maps, unwraps secrets, and counts unknown values without returning them", () => {
    const inputs = {
      receivers: [{ uri: secret("https://hook?token=t") }, { uri: unknownMarker }],
      tags: { a: "1", b: "2" },
    };
    expect(walk(inputs, "receivers[].uri")).toEqual({
      values: [{ path: "receivers[0].uri", value: "https://hook?token=t", secret: true }],
      unknown: 1,
    });
    expect(walk(inputs, "tags.[]").values.map((v) => v.path)).toEqual(["tags.a", "tags.b"]);
    expect(walk(inputs, "missing.field").values).toEqual([
      { path: "missing.field", value: undefined, secret: false },
    ]);
  });

  it("never shows a secret in a problem", () => {
    const [rule] = armRules["azure-native:monitor:ActionGroup"].fields.filter(
      (r) => r.path === "webhookReceivers[].serviceUri",
    );
    expect(
      fieldProblems(rule, { webhookReceivers: [{ serviceUri: secret("ftp://token@host") }] }).problems,
    ).toEqual(["webhookReceivers[0].serviceUri = [secret]: must be a URI"]);
  });
});

describe("durationMinutes", () => {
  it.each([
    ["PT5M", 5],
    ["PT1H", 60],
    ["P1D", 1440],
    ["PT24H", 1440],
    ["P1DT12H", 2160],
    ["PT30S", 0.5],
  ])("%s is %d minutes", (text, minutes) => {
    expect(durationMinutes(text)).toBe(minutes);
  });

  it.each(["P", "PT", "5M", "P1W", "P1M", "PT5m", 5])(
    "%s is not a duration of days, hours, minutes",
    (text) => {
      expect(durationMinutes(text)).toBeUndefined();
    },
  );
});

describe("ARM's rules catch what ARM refuses", () => {
  const sqr = "azure-native:monitor:ScheduledQueryRule";

  it("accept a valid log search alert", () => {
    expect(problemsOf(sqr, logAlert())).toEqual([]);
  });

  it.each([
    ["severity 5", logAlert({ severity: 5 })],
    ["azure-native's ConditionOperator value gt", logAlert({}, { operator: "gt" })],
    ["timeAggregation count (lower case)", logAlert({}, { timeAggregation: "count" })],
    ["evaluationFrequency PT2M", logAlert({ evaluationFrequency: "PT2M" })],
    ["windowSize PT1M at a PT5M frequency", logAlert({ windowSize: "PT1M" })],
    ["windowSize P3D", logAlert({ windowSize: "P3D" })],
    [
      "a look-back of 3 days",
      logAlert(
        { windowSize: "P1D" },
        { failingPeriods: { numberOfEvaluationPeriods: 3, minFailingPeriodsToAlert: 1 } },
      ),
    ],
    [
      "more failing periods than periods",
      logAlert({}, { failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 2 } }),
    ],
    ["a description of 4,097 characters", logAlert({ description: "x".repeat(4097) })],
    ["two scopes", logAlert({ scopes: ["a", "b"] })],
    ["kind Metric", logAlert({ kind: "Metric" })],
    ["six action groups", logAlert({ actions: { actionGroups: ["1", "2", "3", "4", "5", "6"] } })],
    ["properties over 64 KB", logAlert({}, { query: "x".repeat(logAlertPropertiesMaxBytes) })],
  ])("a log search alert with %s", (_, inputs) => {
    expect(problemsOf(sqr, inputs)).not.toEqual([]);
  });

  it.each([
    ["a query of 10,001 characters", { query: "x".repeat(10001) }],
    ["severity 2 (Azure Monitor's number)", { severity: 2 }],
    ["triggerOperator gt", { triggerOperator: "gt" }],
    ["a sub-technique", { techniques: ["T1078.004"] }],
    ["tactic Reconnaisance (misspelt)", { tactics: ["Reconnaisance"] }],
    ["queryFrequency PT1M", { queryFrequency: "PT1M" }],
    ["queryPeriod P15D", { queryPeriod: "P15D" }],
    ["queryPeriod shorter than queryFrequency", { queryFrequency: "PT1H", queryPeriod: "PT30M" }],
    ["a suppression of a day and a minute", { suppressionEnabled: true, suppressionDuration: "P1DT1M" }],
  ])("a Sentinel rule with %s", (_, overrides) => {
    const rule = {
      resourceGroupName: "rg",
      workspaceName: "law-x",
      kind: "Scheduled",
      displayName: "d",
      enabled: true,
      query: "AuditLogs",
      queryFrequency: "PT5M",
      queryPeriod: "PT5M",
      severity: "Low",
      triggerOperator: "GreaterThan",
      triggerThreshold: 0,
      suppressionEnabled: false,
      suppressionDuration: "PT1H",
    };
    expect(problemsOf("azure-native:securityinsights:ScheduledAlertRule", rule)).toEqual([]);
    expect(
      problemsOf("azure-native:securityinsights:ScheduledAlertRule", { ...rule, ...overrides }),
    ).not.toEqual([]);
  });

  it("a PIM eligibility: the tenant form at a resource group, another subscription's form, a subscription form at a management group", () => {
    const pim = "azure-native:authorization:PimRoleEligibilitySchedule";
    const sub = "5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59";
    const other = "00000000-0000-0000-0000-000000000001";
    const role = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    const at = (roleDefinitionId: string, scope: string) => ({
      roleDefinitionId,
      scope,
      principalId: "p",
      scheduleInfo: {
        startDateTime: "2027-11-27T09:00:00Z",
        expiration: { type: "AfterDateTime", endDateTime: "2027-11-28T17:00:00Z" },
      },
    });
    const tenantForm = `/providers/Microsoft.Authorization/roleDefinitions/${role}`;
    const subscriptionForm = (s: string) => `/subscriptions/${s}${tenantForm}`;
    const rg = `/subscriptions/${sub}/resourceGroups/rg`;
    const mg = "/providers/Microsoft.Management/managementGroups/mg";
    expect(problemsOf(pim, at(subscriptionForm(sub), rg))).toEqual([]);
    expect(problemsOf(pim, at(tenantForm, mg))).toEqual([]);
    expect(problemsOf(pim, at(tenantForm, rg))).toHaveLength(1);
    expect(problemsOf(pim, at(subscriptionForm(other), rg))).toHaveLength(1);
    expect(problemsOf(pim, at(subscriptionForm(sub), mg))).toHaveLength(1);
  });

  it("an action group with a 13-character short name, or two receivers of one name", () => {
    const group = {
      resourceGroupName: "rg",
      location: "Global",
      enabled: true,
      groupShortName: "EntraTAPdev",
    };
    const ag = "azure-native:monitor:ActionGroup";
    expect(problemsOf(ag, group)).toEqual([]);
    expect(problemsOf(ag, { ...group, groupShortName: "EntraTAPdev12" })).not.toEqual([]);
    expect(
      problemsOf(ag, {
        ...group,
        emailReceivers: [{ name: "soc", emailAddress: "soc@contoso.com" }],
        webhookReceivers: [{ name: "SOC", serviceUri: "https://example.com" }],
      }),
    ).toEqual(['receiver name "SOC" appears more than once']);
  });

  it("Sentinel rules on a workspace the stack creates and never onboards", () => {
    const [onboarding] = stackRules.filter((rule) => rule.rule.startsWith("a Sentinel rule"));
    const resource = (
      type: string,
      name: string,
      inputs: Record<string, unknown>,
      dependsOn: string[] = [],
    ) => ({ type, name, parent: null, inputs, dependsOn, additionalSecretOutputs: [] }) as DeclaredResource;
    const where = { resourceGroupName: "rg", workspaceName: "law" };
    const workspace = resource("azure-native:operationalinsights:Workspace", "ws", where);
    const rule = resource("azure-native:securityinsights:ScheduledAlertRule", "rule", where, ["ws"]);
    const state = resource("azure-native:securityinsights:SentinelOnboardingState", "onboarding", where);
    expect(onboarding.problems([workspace, rule])).toHaveLength(1);
    expect(onboarding.problems([workspace, rule, state])).toHaveLength(1);
    expect(onboarding.problems([workspace, { ...rule, dependsOn: ["ws", "onboarding"] }, state])).toEqual([]);
  });
});
