// entra-tap:monitoring's workspace, resource group, location and diagnostic setting: the messages for each rule.
import { billingSubscriptionId as subscription } from "../support/fixtures";
import { monitoringProblems, parsedMonitoring } from "./monitoring.support";

const existingWorkspace = `/subscriptions/${subscription}/resourceGroups/rg-security-logs/providers/Microsoft.OperationalInsights/workspaces/law-soc-prod`;

describe("entra-tap:monitoring.workspace", () => {
  const exactlyOne =
    "expected either name (a workspace to create) or resourceId (an existing workspace), exactly one";

  it("accepts an existing workspace by resourceId", () => {
    expect(parsedMonitoring({ workspace: { resourceId: existingWorkspace } })?.workspace).toEqual({
      resourceId: existingWorkspace,
    });
  });

  it("refuses both name and resourceId", () => {
    expect(
      monitoringProblems({ workspace: { name: "law-entra-tap-prod", resourceId: existingWorkspace } }),
    ).toEqual([`entra-tap:monitoring.workspace.name: "law-entra-tap-prod" is not allowed; ${exactlyOne}`]);
  });

  it("refuses neither name nor resourceId", () => {
    expect(monitoringProblems({ workspace: {} })).toEqual([
      `entra-tap:monitoring.workspace.name: missing is not allowed; ${exactlyOne}`,
    ]);
  });

  it("refuses retentionInDays only with a name missing as well", () => {
    expect(monitoringProblems({ workspace: { retentionInDays: 90 } })).toEqual([
      `entra-tap:monitoring.workspace.name: missing is not allowed; ${exactlyOne}`,
    ]);
  });

  it("is required", () => {
    expect(monitoringProblems({ workspace: undefined })).toEqual([
      "entra-tap:monitoring.workspace: missing is not allowed; expected an object",
    ]);
  });

  it("refuses retentionInDays with resourceId", () => {
    expect(monitoringProblems({ workspace: { resourceId: existingWorkspace, retentionInDays: 90 } })).toEqual(
      [
        "entra-tap:monitoring.workspace.retentionInDays: 90 is not allowed; expected retention only for a workspace entra-tap creates (an existing one keeps its own)",
      ],
    );
  });

  it.each([30, 730])("accepts retentionInDays %p", (retentionInDays) => {
    expect(monitoringProblems({ workspace: { name: "law-entra-tap-prod", retentionInDays } })).toEqual([]);
  });

  it.each([29, 731, 90.5, "90"])("refuses retentionInDays %p", (retentionInDays) => {
    expect(monitoringProblems({ workspace: { name: "law-entra-tap-prod", retentionInDays } })).toEqual([
      `entra-tap:monitoring.workspace.retentionInDays: ${JSON.stringify(retentionInDays)} is not allowed; expected an integer from 30 to 730`,
    ]);
  });

  it("leaves retentionInDays undefined when it is not given (the component applies 90)", () => {
    expect(parsedMonitoring({ workspace: { name: "law-entra-tap-prod" } })?.workspace).toEqual({
      name: "law-entra-tap-prod",
    });
  });

  it.each(["law", "law_entra_tap", "-law-entra-tap", "law-entra-tap-", "law entra tap", "a".repeat(64)])(
    "refuses workspace name %p",
    (name) => {
      expect(monitoringProblems({ workspace: { name } })).toEqual([
        `entra-tap:monitoring.workspace.name: ${JSON.stringify(name)} is not allowed; expected a workspace name: 4..63 letters, digits and dashes`,
      ]);
    },
  );

  it.each(["law1", "a".repeat(63)])("accepts workspace name %p", (name) => {
    expect(monitoringProblems({ workspace: { name } })).toEqual([]);
  });

  it.each([
    "/subscriptions/contoso-prod/resourceGroups/rg-security-logs/providers/Microsoft.OperationalInsights/workspaces/law-soc-prod",
    `/subscriptions/${subscription}/resourceGroups/rg-security-logs/providers/Microsoft.Insights/components/law-soc-prod`,
    `/subscriptions/${subscription}/resourceGroups/rg-security-logs/providers/Microsoft.OperationalInsights/workspaces`,
    "law-soc-prod",
  ])("refuses resourceId %p", (resourceId) => {
    expect(monitoringProblems({ workspace: { resourceId } })).toEqual([
      `entra-tap:monitoring.workspace.resourceId: ${JSON.stringify(resourceId)} is not allowed; expected a Log Analytics workspace resource id`,
    ]);
  });

  it("refuses an unknown key", () => {
    expect(monitoringProblems({ workspace: { name: "law-entra-tap-prod", retention: 90 } })).toEqual([
      "entra-tap:monitoring.workspace.retention: not a known key; known keys: name, retentionInDays, resourceId",
    ]);
  });
});

describe("entra-tap:monitoring.resourceGroupName and location", () => {
  it("are required", () => {
    expect(monitoringProblems({ resourceGroupName: undefined, location: undefined })).toEqual([
      "entra-tap:monitoring.resourceGroupName: missing is not allowed; expected an existing resource group's name",
      "entra-tap:monitoring.location: missing is not allowed; expected an Azure region name, e.g. westeurope",
    ]);
  });

  it.each(["West Europe", "west-europe", ""])("refuses location %p", (location) => {
    expect(monitoringProblems({ location })).toEqual([
      `entra-tap:monitoring.location: ${JSON.stringify(location)} is not allowed; expected an Azure region name, e.g. westeurope`,
    ]);
  });

  it.each(["westeurope", "swedencentral", "eastus2"])("accepts location %p", (location) => {
    expect(monitoringProblems({ location })).toEqual([]);
  });

  it.each(["rg entra-tap", "rg/entra-tap", "", "r".repeat(91)])("refuses resourceGroupName %p", (name) => {
    expect(monitoringProblems({ resourceGroupName: name })).toEqual([
      `entra-tap:monitoring.resourceGroupName: ${JSON.stringify(name)} is not allowed; expected an existing resource group's name`,
    ]);
  });

  it.each(["rg-entra-tap-prod", "RG_Security.Logs(prod)"])("accepts resourceGroupName %p", (name) => {
    expect(monitoringProblems({ resourceGroupName: name })).toEqual([]);
  });
});

describe("entra-tap:monitoring.diagnosticSetting", () => {
  it("refuses a name with spaces and a non-boolean nonInteractiveSignIns", () => {
    expect(
      monitoringProblems({ diagnosticSetting: { name: "entra tap", nonInteractiveSignIns: "yes" } }),
    ).toEqual([
      'entra-tap:monitoring.diagnosticSetting.name: "entra tap" is not allowed; expected a name of letters, digits, dashes and underscores',
      'entra-tap:monitoring.diagnosticSetting.nonInteractiveSignIns: "yes" is not allowed; expected true or false',
    ]);
  });
});
