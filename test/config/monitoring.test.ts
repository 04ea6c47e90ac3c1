// entra-tap:monitoring in the stack config: a valid config and its defaults, and the problems of the whole.
import { defaultPrivilegedOperations } from "../../components/detections";
import { parseStackConfig } from "../../config";
import { billingSubscriptionId as subscription } from "../support/fixtures";
import {
  actionGroup,
  deployer,
  type Json,
  monitoring,
  monitoringProblems,
  now,
  parsedMonitoring,
  policy,
  soarWebhook,
  tierZeroGroup,
} from "./monitoring.support";

describe("a valid monitoring config", () => {
  it("parses with a created workspace, filling the documented defaults", () => {
    expect(parsedMonitoring()).toEqual({
      resourceGroupName: "rg-entra-tap-prod",
      location: "westeurope",
      workspace: { name: "law-entra-tap-prod", retentionInDays: 365 },
      diagnosticSetting: { name: "entra-tap", nonInteractiveSignIns: false },
      actionGroup: { ...actionGroup, webhooks: [] },
      deploymentIdentities: [deployer],
      privilegedAccounts: { users: [], groups: [] },
      detections: {},
      sentinel: false,
      activityLog: { subscriptionIds: [] },
      privilegedOperations: defaultPrivilegedOperations,
    });
  });

  it("fills the diagnostic setting's defaults when it is given empty", () => {
    expect(parsedMonitoring({ diagnosticSetting: {} })?.diagnosticSetting).toEqual({
      name: "entra-tap",
      nonInteractiveSignIns: false,
    });
  });

  it("keeps the values given instead of the defaults", () => {
    const given: Json = {
      diagnosticSetting: { name: "entra-tap-prod", nonInteractiveSignIns: true },
      actionGroup: { ...actionGroup, webhooks: [{ name: "soar", url: soarWebhook }] },
      privilegedAccounts: { users: ["admin.breakglass1@contoso.onmicrosoft.com"], groups: [tierZeroGroup] },
      detections: { tapSignIn: { notify: false }, tapIssued: { severity: 2, threshold: 3 } },
      sentinel: true,
      activityLog: { subscriptionIds: [subscription] },
      privilegedOperations: { azure: ["Microsoft.Compute/virtualMachines/runCommand/action"], directory: [] },
    };
    expect(parsedMonitoring(given)).toEqual({ ...monitoring, ...given });
  });

  it("has no emails when only webhooks are given", () => {
    expect(
      parsedMonitoring({
        actionGroup: { shortName: "EntraTAPprod", webhooks: [{ name: "soar", url: soarWebhook }] },
      })?.actionGroup,
    ).toEqual({ shortName: "EntraTAPprod", emails: [], webhooks: [{ name: "soar", url: soarWebhook }] });
  });

  it("leaves monitoring out when entra-tap:monitoring is not set", () => {
    expect(parseStackConfig({ "entra-tap:policy": JSON.stringify(policy) }, now).monitoring).toBeUndefined();
  });
});

describe("entra-tap:monitoring", () => {
  it("refuses an unknown key, naming the known keys", () => {
    expect(monitoringProblems({ sentinels: true })).toEqual([
      "entra-tap:monitoring.sentinels: not a known key; known keys: resourceGroupName, location, workspace, diagnosticSetting, actionGroup, deploymentIdentities, privilegedAccounts, detections, sentinel, activityLog, privilegedOperations",
    ]);
  });

  it("reports problems in several places at once, one message each", () => {
    expect(
      monitoringProblems({
        location: "West Europe",
        workspace: {},
        deploymentIdentities: [],
        sentinel: "yes",
      }),
    ).toEqual([
      'entra-tap:monitoring.location: "West Europe" is not allowed; expected an Azure region name, e.g. westeurope',
      "entra-tap:monitoring.workspace.name: missing is not allowed; expected either name (a workspace to create) or resourceId (an existing workspace), exactly one",
      "entra-tap:monitoring.deploymentIdentities: [] is not allowed; expected the object id of at least one identity that runs pulumi up (passes it issues are in process)",
      'entra-tap:monitoring.sentinel: "yes" is not allowed; expected true or false',
    ]);
  });
});
