// entra-tap:monitoring in the stack config: the messages a user sees for each rule, and the pure helpers
// TapMonitoring builds its rules with.
import { defaultPrivilegedOperations, detections } from "../../components/detections";
import { isSecretMonitoringPath } from "../../config/monitoring";
import { undecryptedSecret, ValidationError } from "../../components/validation";
import { parseStackConfig } from "../../config";
import { billingSubscriptionId as subscription } from "../support/fixtures";

const now = Date.parse("2026-11-26T12:00:00Z");

const deployer = "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const tierZeroGroup = "0f9e8d7c-6b5a-4c3d-9e1f-0a9b8c7d6e5f";
const breakGlassObjectId = "d4c1a7e9-2b3f-4e6a-8c5d-9f0e1b2a3c4d";
const existingWorkspace = `/subscriptions/${subscription}/resourceGroups/rg-security-logs/providers/Microsoft.OperationalInsights/workspaces/law-soc-prod`;
const soarWebhook = "https://soar.contoso.com/api/webhooks/entra-tap?token=Zx81kQ2mVb7Lw0pR";

const knownDetections =
  "tapIssued, tapDeleted, tapPolicyChanged, tapIssuedOutOfProcess, tapIssuedToPrivilegedAccount, multiUseTapIssued, tapSignIn, repeatedFailedTapSignIns, accessAfterGrantWindow, privilegedOperationByTemporaryUser, unexpectedGrantLocation";
const durationAllowed = "an ISO 8601 duration in minutes, hours or days (PT5M, PT1H, P1D)";
const webhookUrlAllowed = "an https URL (set it with pulumi config set --secret)";

type Json = Record<string, unknown>;

/** A policy that is valid on its own, so every problem below is the monitoring's. */
const policy: Json = { includeTargets: [{ id: "all_users" }] };

const actionGroup: Json = {
  shortName: "EntraTAPprod",
  emails: [
    { name: "identity-team", address: "identity-team@contoso.com" },
    { name: "security-operations", address: "soc@contoso.com" },
  ],
};

/** A valid monitoring config with a created workspace and only the required keys. */
const monitoring: Json = {
  resourceGroupName: "rg-entra-tap-prod",
  location: "westeurope",
  workspace: { name: "law-entra-tap-prod", retentionInDays: 365 },
  actionGroup,
  deploymentIdentities: [deployer],
};

/** The raw config as Pulumi hands it to the program: `entra-tap:<key>` → JSON text. */
function raw(monitoringValue: unknown): Record<string, string> {
  return {
    "entra-tap:policy": JSON.stringify(policy),
    "entra-tap:monitoring": JSON.stringify(monitoringValue),
  };
}

/** The problems parseStackConfig reports, or [] when the config is valid. */
function problems(config: Record<string, string>): string[] {
  try {
    parseStackConfig(config, now);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  return [];
}

/** Problems of the valid monitoring config with some keys changed (undefined: left out). */
function monitoringProblems(changes: Json): string[] {
  return problems(raw(withChanges(monitoring, changes)));
}

function parsedMonitoring(changes: Json = {}) {
  return parseStackConfig(raw(withChanges(monitoring, changes)), now).monitoring;
}

/** A copy with some keys changed; a key changed to undefined is left out. */
function withChanges(value: Json, changes: Json): Json {
  const copy: Json = { ...value, ...changes };
  for (const [key, change] of Object.entries(changes)) {
    if (change === undefined) delete copy[key];
  }
  return copy;
}

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

describe("entra-tap:monitoring.actionGroup", () => {
  const withGroup = (changes: Json) => monitoringProblems({ actionGroup: withChanges(actionGroup, changes) });

  it.each(["E", "EntraTAPprod"])("accepts shortName %p (1..12 characters)", (shortName) => {
    expect(withGroup({ shortName })).toEqual([]);
  });

  it.each(["EntraTAPprod1", ""])("refuses shortName %p", (shortName) => {
    expect(withGroup({ shortName })).toEqual([
      `entra-tap:monitoring.actionGroup.shortName: ${JSON.stringify(shortName)} is not allowed; expected 1..12 characters`,
    ]);
  });

  it("requires shortName", () => {
    expect(withGroup({ shortName: undefined })).toEqual([
      "entra-tap:monitoring.actionGroup.shortName: missing is not allowed; expected 1..12 characters",
    ]);
  });

  it.each([
    ["left out", { emails: undefined }],
    ["empty", { emails: [], webhooks: [] }],
  ])("refuses receivers %s", (_, changes) => {
    expect(withGroup(changes)).toEqual([
      "entra-tap:monitoring.actionGroup.emails: [] is not allowed; expected at least one e-mail or webhook receiver, so alerts reach someone",
    ]);
  });

  it.each(["soc.contoso.com", "soc@", "soc @contoso.com"])("refuses e-mail address %p", (address) => {
    expect(withGroup({ emails: [{ name: "security-operations", address }] })).toEqual([
      `entra-tap:monitoring.actionGroup.emails[0].address: ${JSON.stringify(address)} is not allowed; expected an e-mail address`,
    ]);
  });

  it("refuses a blank receiver name", () => {
    expect(withGroup({ emails: [{ name: "  ", address: "soc@contoso.com" }] })).toEqual([
      'entra-tap:monitoring.actionGroup.emails[0].name: "  " is not allowed; expected a receiver name',
    ]);
  });

  it("accepts an https webhook URL", () => {
    expect(withGroup({ webhooks: [{ name: "soar", url: soarWebhook }] })).toEqual([]);
  });

  describe("a webhook URL that is not https", () => {
    const url = "http://hooks.example.com/x";
    const found = () => withGroup({ webhooks: [{ name: "soar", url }] });

    it("is refused, with [secret] in place of the URL", () => {
      expect(found()).toEqual([
        expect.stringMatching(
          /^entra-tap:monitoring\.actionGroup\.webhooks\[0\]\.url: \[secret\] is not allowed; expected /,
        ),
      ]);
    });

    it("never shows the URL, also next to other problems", () => {
      const all = [
        ...found(),
        ...withGroup({
          shortName: "EntraTAPprod1",
          webhooks: [
            { name: "soar", url },
            { name: "chat", url },
          ],
        }),
      ];
      expect(all).toHaveLength(4);
      for (const problem of all) {
        expect(problem).not.toContain("hooks.example.com");
        expect(problem).not.toContain(url);
      }
    });

    it("states that an https URL is expected", () => {
      expect(found()).toEqual([
        `entra-tap:monitoring.actionGroup.webhooks[0].url: [secret] is not allowed; expected ${webhookUrlAllowed}`,
      ]);
    });
  });

  it("refuses a webhook URL that is not a string, with [secret] in place of the value", () => {
    expect(withGroup({ webhooks: [{ name: "soar", url: 8443 }] })).toEqual([
      `entra-tap:monitoring.actionGroup.webhooks[0].url: [secret] is not allowed; expected ${webhookUrlAllowed}`,
    ]);
  });

  it("requires a webhook URL", () => {
    expect(withGroup({ webhooks: [{ name: "soar" }] })).toEqual([
      `entra-tap:monitoring.actionGroup.webhooks[0].url: missing is not allowed; expected ${webhookUrlAllowed}`,
    ]);
  });

  it("accepts the placeholder of a secret the offline plan cannot decrypt", () => {
    expect(undecryptedSecret).toBe("[secret]");
    expect(
      parsedMonitoring({
        actionGroup: { shortName: "EntraTAPprod", webhooks: [{ name: "soar", url: undecryptedSecret }] },
      })?.actionGroup.webhooks,
    ).toEqual([{ name: "soar", url: undecryptedSecret }]);
  });

  it("refuses an unknown key in a webhook, without its value", () => {
    expect(withGroup({ webhooks: [{ name: "soar", uri: soarWebhook }] })).toEqual([
      `entra-tap:monitoring.actionGroup.webhooks[0].url: missing is not allowed; expected ${webhookUrlAllowed}`,
      "entra-tap:monitoring.actionGroup.webhooks[0].uri: not a known key; known keys: name, url",
    ]);
  });

  it("refuses an unknown key", () => {
    expect(withGroup({ sms: [] })).toEqual([
      "entra-tap:monitoring.actionGroup.sms: not a known key; known keys: shortName, emails, webhooks",
    ]);
  });
});

describe("entra-tap:monitoring.deploymentIdentities", () => {
  it("is required", () => {
    expect(monitoringProblems({ deploymentIdentities: undefined })).toEqual([
      "entra-tap:monitoring.deploymentIdentities: missing is not allowed; expected a list of object ids",
    ]);
  });

  it("is not empty", () => {
    expect(monitoringProblems({ deploymentIdentities: [] })).toEqual([
      "entra-tap:monitoring.deploymentIdentities: [] is not allowed; expected the object id of at least one identity that runs pulumi up (passes it issues are in process)",
    ]);
  });

  it.each(["pulumi-deployer", "sp-entra-tap@contoso.com", `${deployer}0`])("refuses %p", (identity) => {
    expect(monitoringProblems({ deploymentIdentities: [deployer, identity] })).toEqual([
      `entra-tap:monitoring.deploymentIdentities[1]: ${JSON.stringify(identity)} is not allowed; expected an object id (GUID)`,
    ]);
  });

  it("accepts object ids in upper case", () => {
    expect(monitoringProblems({ deploymentIdentities: [deployer.toUpperCase()] })).toEqual([]);
  });
});

describe("entra-tap:monitoring.privilegedAccounts", () => {
  it("accepts user principal names and object ids as users", () => {
    const users = ["admin.breakglass1@contoso.onmicrosoft.com", "tom.becker@contoso.com", breakGlassObjectId];
    expect(parsedMonitoring({ privilegedAccounts: { users } })?.privilegedAccounts).toEqual({
      users,
      groups: [],
    });
  });

  it.each(["not a user", "tom.becker", "tom@becker@contoso.com"])("refuses user %p", (user) => {
    expect(monitoringProblems({ privilegedAccounts: { users: [user] } })).toEqual([
      `entra-tap:monitoring.privilegedAccounts.users[0]: ${JSON.stringify(user)} is not allowed; expected a user principal name or object id`,
    ]);
  });

  it("accepts group object ids", () => {
    expect(parsedMonitoring({ privilegedAccounts: { groups: [tierZeroGroup] } })?.privilegedAccounts).toEqual(
      {
        users: [],
        groups: [tierZeroGroup],
      },
    );
  });

  it.each(["Tier 0 administrators", "tier0@contoso.com"])("refuses group %p", (group) => {
    expect(monitoringProblems({ privilegedAccounts: { groups: [tierZeroGroup, group] } })).toEqual([
      `entra-tap:monitoring.privilegedAccounts.groups[1]: ${JSON.stringify(group)} is not allowed; expected an object id (GUID)`,
    ]);
  });

  it("refuses an unknown key", () => {
    expect(monitoringProblems({ privilegedAccounts: { admins: [] } })).toEqual([
      "entra-tap:monitoring.privilegedAccounts.admins: not a known key; known keys: users, groups",
    ]);
  });
});

describe("entra-tap:monitoring.detections", () => {
  const withOverride = (override: Json) => monitoringProblems({ detections: { tapSignIn: override } });
  const at = "entra-tap:monitoring.detections.tapSignIn";

  it("refuses an unknown detection key, listing the known keys", () => {
    expect(monitoringProblems({ detections: { tapSignln: { enabled: false } } })).toEqual([
      `entra-tap:monitoring.detections.tapSignln: not a known key; known keys: ${knownDetections}`,
    ]);
  });

  it("accepts an override of every detection", () => {
    expect(
      monitoringProblems({
        detections: Object.fromEntries(detections.map((d) => [d.key, { notify: false }])),
      }),
    ).toEqual([]);
  });

  it("accepts every override field", () => {
    const override = {
      enabled: true,
      severity: 1,
      evaluationFrequency: "PT5M",
      windowSize: "PT1H",
      threshold: 2,
      notify: false,
    };
    expect(parsedMonitoring({ detections: { tapSignIn: override } })?.detections).toEqual({
      tapSignIn: override,
    });
  });

  it.each(["enabled", "notify"])("refuses a non-boolean %s", (key) => {
    expect(withOverride({ [key]: "no" })).toEqual([
      `${at}.${key}: "no" is not allowed; expected true or false`,
    ]);
  });

  it.each([0, 4])("accepts severity %p", (severity) => {
    expect(withOverride({ severity })).toEqual([]);
  });

  it.each([5, 1.5, -1, "2"])("refuses severity %p", (severity) => {
    expect(withOverride({ severity })).toEqual([
      `${at}.severity: ${JSON.stringify(severity)} is not allowed; expected an integer from 0 to 4`,
    ]);
  });

  describe.each(["evaluationFrequency", "windowSize"])("%s", (key) => {
    it.each(["PT5M", "PT1H", "P1D"])("accepts %p", (duration) => {
      expect(withOverride({ [key]: duration })).toEqual([]);
    });

    it.each(["5m", "PT", "P1W", "pt5m", 300])("refuses %p", (duration) => {
      expect(withOverride({ [key]: duration })).toEqual([
        `${at}.${key}: ${JSON.stringify(duration)} is not allowed; expected ${durationAllowed}`,
      ]);
    });
  });

  it.each([0, 10000])("accepts threshold %p", (threshold) => {
    expect(withOverride({ threshold })).toEqual([]);
  });

  it.each([-1, 10001, 2.5])("refuses threshold %p", (threshold) => {
    expect(withOverride({ threshold })).toEqual([
      `${at}.threshold: ${JSON.stringify(threshold)} is not allowed; expected an integer from 0 to 10000`,
    ]);
  });

  it("refuses an unknown override key, listing the known keys", () => {
    expect(withOverride({ muted: true })).toEqual([
      `${at}.muted: not a known key; known keys: enabled, severity, evaluationFrequency, windowSize, threshold, notify`,
    ]);
  });

  it("reports every problem of one override, one message each", () => {
    expect(withOverride({ enabled: "no", severity: 5, windowSize: "P1W", threshold: 10001 })).toEqual([
      `${at}.enabled: "no" is not allowed; expected true or false`,
      `${at}.severity: 5 is not allowed; expected an integer from 0 to 4`,
      `${at}.windowSize: "P1W" is not allowed; expected ${durationAllowed}`,
      `${at}.threshold: 10001 is not allowed; expected an integer from 0 to 10000`,
    ]);
  });
});

describe("entra-tap:monitoring.sentinel", () => {
  it.each([true, false])("accepts %p", (sentinel) => {
    expect(parsedMonitoring({ sentinel })?.sentinel).toBe(sentinel);
  });

  it.each(["true", 1])("refuses %p", (sentinel) => {
    expect(monitoringProblems({ sentinel })).toEqual([
      `entra-tap:monitoring.sentinel: ${JSON.stringify(sentinel)} is not allowed; expected true or false`,
    ]);
  });
});

describe("entra-tap:monitoring.activityLog", () => {
  const at = "entra-tap:monitoring.activityLog";

  it("accepts subscription ids", () => {
    const other = "6a4d3b2c-9f8e-4d7c-8b6a-1f2e3d4c5b6a";
    expect(
      parsedMonitoring({ activityLog: { subscriptionIds: [subscription, other] } })?.activityLog,
    ).toEqual({
      subscriptionIds: [subscription, other],
    });
  });

  it("has no subscriptions when given empty", () => {
    expect(parsedMonitoring({ activityLog: {} })?.activityLog).toEqual({ subscriptionIds: [] });
  });

  it.each(["billing", "/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59", 42])(
    "refuses subscription %p",
    (id) => {
      expect(monitoringProblems({ activityLog: { subscriptionIds: [subscription, id] } })).toEqual([
        `${at}.subscriptionIds[1]: ${JSON.stringify(id)} is not allowed; expected a subscription id (GUID)`,
      ]);
    },
  );

  it("refuses a subscription listed twice, in any case, once", () => {
    expect(
      monitoringProblems({ activityLog: { subscriptionIds: [subscription, subscription.toUpperCase()] } }),
    ).toEqual([
      `${at}.subscriptionIds[1]: ${JSON.stringify(subscription.toUpperCase())} is not allowed; expected each subscription once (it has one diagnostic setting)`,
    ]);
  });

  it("refuses a list written as one id, and an unknown key", () => {
    expect(monitoringProblems({ activityLog: { subscriptionIds: subscription } })).toEqual([
      `${at}.subscriptionIds: ${JSON.stringify(subscription)} is not allowed; expected a list of subscription ids`,
    ]);
    expect(monitoringProblems({ activityLog: { subscriptions: [subscription] } })).toEqual([
      `${at}.subscriptions: not a known key; known keys: subscriptionIds`,
    ]);
  });
});

describe("entra-tap:monitoring.privilegedOperations", () => {
  const at = "entra-tap:monitoring.privilegedOperations";

  it("defaults each list on its own", () => {
    expect(
      parsedMonitoring({ privilegedOperations: { directory: ["Add member to role"] } })?.privilegedOperations,
    ).toEqual({ azure: defaultPrivilegedOperations.azure, directory: ["Add member to role"] });
    expect(parsedMonitoring({ privilegedOperations: { azure: [] } })?.privilegedOperations).toEqual({
      azure: [],
      directory: defaultPrivilegedOperations.directory,
    });
  });

  it("defaults to role assignment and policy writes and Key Vault secret reads, among others", () => {
    expect(defaultPrivilegedOperations.azure).toEqual(
      expect.arrayContaining([
        "Microsoft.Authorization/roleAssignments/write",
        "Microsoft.Authorization/policyAssignments/write",
        "Microsoft.KeyVault/vaults/secrets/read",
      ]),
    );
    expect(defaultPrivilegedOperations.directory).toContain("Add member to role");
  });

  it.each([
    "roleAssignments/write",
    "Microsoft.Authorization",
    "Microsoft.Authorization/role assignments/write",
  ])("refuses Azure operation %p", (operation) => {
    expect(monitoringProblems({ privilegedOperations: { azure: [operation] } })).toEqual([
      `${at}.azure[0]: ${JSON.stringify(operation)} is not allowed; expected an Azure operation, e.g. Microsoft.Authorization/roleAssignments/write`,
    ]);
  });

  it("refuses a blank directory operation and an unknown key, one message each", () => {
    expect(
      monitoringProblems({ privilegedOperations: { directory: ["Add member to role", " "], arm: [] } }),
    ).toEqual([
      `${at}.directory[1]: " " is not allowed; expected an audit log operation name, e.g. Add member to role`,
      `${at}.arm: not a known key; known keys: azure, directory`,
    ]);
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

describe("isSecretMonitoringPath", () => {
  // Anything that may hold a webhook URL, including a mis-shaped entry, is never echoed.
  it.each([
    [["monitoring", "actionGroup", "webhooks", 0, "url"]],
    [["monitoring", "actionGroup", "webhooks", 0]],
    [["monitoring", "actionGroup", "webhooks"]],
    [["monitoring", "actionGroup"]],
    [["monitoring"]],
  ])("is true for %p", (path) => {
    expect(isSecretMonitoringPath(path)).toBe(true);
  });

  it.each([
    [["monitoring", "actionGroup", "emails", 0, "address"]],
    [["monitoring", "workspace", "name"]],
    [["grants", 0, "url"]],
  ])("is false for %p", (path) => {
    expect(isSecretMonitoringPath(path)).toBe(false);
  });
});

describe("a mis-shaped webhook never leaks its URL", () => {
  const token = "https://hooks.example.com/services/T000/B000/leak-me-not";
  it.each([
    ["a bare string in the list", { webhooks: [token] }],
    ["an object instead of a list", { webhooks: { name: "soar", url: token } }],
  ])("%s", (_what, group) => {
    const found = monitoringProblems({ actionGroup: { shortName: "EntraTAP", ...(group as object) } });
    expect(found.length).toBeGreaterThan(0);
    for (const problem of found) expect(problem).not.toContain("leak-me-not");
  });

  it("an action group written as a list", () => {
    const found = monitoringProblems({
      actionGroup: [{ shortName: "EntraTAP", webhooks: [{ name: "soar", url: token }] }],
    });
    expect(found.length).toBeGreaterThan(0);
    for (const problem of found) expect(problem).not.toContain("leak-me-not");
  });
});
