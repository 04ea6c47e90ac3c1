import type { EnforcementLevel } from "@pulumi/policy";
import * as fs from "node:fs";
import * as path from "node:path";
import { detectionKeys, detectionTag, resourceTypes } from "../../../policies/lib";
import { auditTrail } from "../../../policies/rules/auditTrail";
import type { CheckedResource } from "../../../scripts/policyRunner";
import { checkerFor, resourcesOfOtherTypes, tapPolicyResource, violationsOf } from "../harness";

const policyName = "tap-audit-trail";
const actionGroupId =
  "/subscriptions/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6/resourceGroups/entra-tap/providers/Microsoft.Insights/actionGroups/ag";
const workspaceId =
  "/subscriptions/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6/resourceGroups/entra-tap/providers/Microsoft.OperationalInsights/workspaces/ws";
const detections = ["tapIssued", "tapDeleted", "tapPolicyChanged"] as const;
type Detection = (typeof detections)[number];

function tapPolicy(state: unknown): CheckedResource {
  return tapPolicyResource({ state });
}

function diagnosticSetting(logs: unknown, extra: Record<string, unknown> = {}): CheckedResource {
  return {
    type: resourceTypes.diagnosticSetting,
    name: "monitoring-entra-logs",
    props: { name: "entra-tap", workspaceId, logs, ...extra },
  };
}

function actionGroup(receivers: Record<string, unknown>, name = "monitoring-action-group"): CheckedResource {
  return {
    type: resourceTypes.actionGroup,
    name,
    props: { groupShortName: "entra-tap", enabled: true, location: "Global", ...receivers },
  };
}

function alertRule(detection: Detection, props: Record<string, unknown> = {}): CheckedResource {
  return {
    type: resourceTypes.alertRule,
    name: `monitoring-${detection}`,
    props: {
      displayName: `entra-tap: ${detection}`,
      enabled: true,
      scopes: [workspaceId],
      severity: 2,
      actions: { actionGroups: [actionGroupId] },
      tags: { [detectionTag]: detection },
      ...props,
    },
  };
}

const auditLogs = [
  { category: "AuditLogs", enabled: true },
  { category: "SignInLogs", enabled: true },
];
const oneEmail = { emailReceivers: [{ name: "secops", emailAddress: "secops@contoso.com" }] };

/** Every piece the policy requires, in order: TAP policy, diagnostic setting, action group, the three rules. */
function fullStack(): CheckedResource[] {
  return [
    tapPolicy("enabled"),
    diagnosticSetting(auditLogs),
    actionGroup(oneEmail),
    ...detections.map((d) => alertRule(d)),
  ];
}

function replace(stack: CheckedResource[], name: string, by: CheckedResource | undefined): CheckedResource[] {
  return stack.flatMap((r) => (r.name === name ? (by ? [by] : []) : [r]));
}

const check = checkerFor(auditTrail);
const stackViolation = violationsOf(policyName, null);

/** Stack-wide unless a resource is named. */
function violation(message: string, resource: string | null = null, enforcementLevel?: EnforcementLevel) {
  return stackViolation(message, enforcementLevel, resource);
}

const messages = {
  noAuditLogs: "TAP is enabled but no diagnostic setting sends AuditLogs to a workspace.",
  noReceiver: "TAP is enabled but no action group has a receiver: alerts would reach no one.",
  noRule: (d: Detection) => `TAP is enabled but the ${d} detection has no alert rule.`,
  disabled: (d: Detection) => `the ${d} alert rule is disabled.`,
  notifiesNoOne: (d: Detection) => `the ${d} alert rule notifies no action group.`,
};

describe(policyName, () => {
  it("passes a stack with the full audit trail", async () => {
    expect(await check(fullStack())).toEqual([]);
  });

  describe("diagnostic setting", () => {
    it("reports a stack without a diagnostic setting, stack-wide", async () => {
      expect(await check(replace(fullStack(), "monitoring-entra-logs", undefined))).toEqual([
        violation(messages.noAuditLogs),
      ]);
    });

    it("reports AuditLogs disabled", async () => {
      const logs = [
        { category: "AuditLogs", enabled: false },
        { category: "SignInLogs", enabled: true },
      ];
      expect(await check(replace(fullStack(), "monitoring-entra-logs", diagnosticSetting(logs)))).toEqual([
        violation(messages.noAuditLogs),
      ]);
    });

    it("reports a diagnostic setting without AuditLogs", async () => {
      const logs = [{ category: "SignInLogs", enabled: true }];
      expect(await check(replace(fullStack(), "monitoring-entra-logs", diagnosticSetting(logs)))).toEqual([
        violation(messages.noAuditLogs),
      ]);
      expect(await check(replace(fullStack(), "monitoring-entra-logs", diagnosticSetting([])))).toEqual([
        violation(messages.noAuditLogs),
      ]);
    });

    it("reports a diagnostic setting without a workspace", async () => {
      const { workspaceId: _workspaceId, ...props } = diagnosticSetting(auditLogs).props;
      const toStorage = {
        ...diagnosticSetting(auditLogs),
        props: { ...props, storageAccountId: "/subscriptions/x/storageAccounts/logs" },
      };
      expect(await check(replace(fullStack(), "monitoring-entra-logs", toStorage))).toEqual([
        violation(messages.noAuditLogs),
      ]);
    });

    it("reports a diagnostic setting without logs", async () => {
      const { logs: _logs, ...props } = diagnosticSetting(auditLogs).props;
      const withoutLogs = { ...diagnosticSetting(auditLogs), props };
      expect(await check(replace(fullStack(), "monitoring-entra-logs", withoutLogs))).toEqual([
        violation(messages.noAuditLogs),
      ]);
    });

    it("counts an AuditLogs entry whether or not the workspace id is known", async () => {
      const unknownWorkspace = diagnosticSetting(auditLogs, { workspaceId: undefined });
      expect(await check(replace(fullStack(), "monitoring-entra-logs", unknownWorkspace))).toEqual([]);
    });

    it("passes when any one diagnostic setting sends AuditLogs", async () => {
      const signInsOnly = {
        ...diagnosticSetting([{ category: "SignInLogs", enabled: true }]),
        name: "sign-ins",
      };
      expect(await check([signInsOnly, ...fullStack()])).toEqual([]);
    });
  });

  describe("action group", () => {
    it("reports action groups without receivers", async () => {
      const empty = actionGroup({ emailReceivers: [], webhookReceivers: [], smsReceivers: [] });
      expect(await check(replace(fullStack(), "monitoring-action-group", empty))).toEqual([
        violation(messages.noReceiver),
      ]);
      expect(await check(replace(fullStack(), "monitoring-action-group", actionGroup({})))).toEqual([
        violation(messages.noReceiver),
      ]);
    });

    it("reports a stack without an action group", async () => {
      expect(await check(replace(fullStack(), "monitoring-action-group", undefined))).toEqual([
        violation(messages.noReceiver),
      ]);
    });

    it.each([
      ["an email", oneEmail],
      ["a webhook", { webhookReceivers: [{ name: "hook", serviceUri: "https://hooks.example/x" }] }],
      ["an SMS", { smsReceivers: [{ name: "oncall", countryCode: "31", phoneNumber: "600000000" }] }],
      ["a voice", { voiceReceivers: [{ name: "oncall", countryCode: "31", phoneNumber: "600000000" }] }],
      ["an Azure app push", { azureAppPushReceivers: [{ name: "app", emailAddress: "secops@contoso.com" }] }],
    ])("passes an action group with %s receiver", async (_kind, receivers) => {
      expect(await check(replace(fullStack(), "monitoring-action-group", actionGroup(receivers)))).toEqual(
        [],
      );
    });

    it("passes when any one action group has a receiver", async () => {
      expect(await check([actionGroup({}, "empty-group"), ...fullStack()])).toEqual([]);
    });

    it("reports a disabled action group when it is the only one", async () => {
      const disabled = actionGroup({ ...oneEmail, enabled: false });
      expect(await check(replace(fullStack(), "monitoring-action-group", disabled))).toEqual([
        violation(messages.noReceiver),
      ]);
    });

    it("passes a disabled action group alongside an enabled one with a receiver", async () => {
      const disabled = actionGroup({ ...oneEmail, enabled: false }, "disabled-group");
      expect(await check([disabled, ...fullStack()])).toEqual([]);
    });

    it("counts an action group whose enabled flag is absent", async () => {
      const { enabled: _enabled, ...props } = actionGroup(oneEmail).props;
      const group = { ...actionGroup(oneEmail), props };
      expect(await check(replace(fullStack(), "monitoring-action-group", group))).toEqual([]);
    });

    it("does not count receivers of other kinds", async () => {
      const armRoles = actionGroup({ armRoleReceivers: [{ name: "owners", roleId: "8e3af657" }] });
      expect(await check(replace(fullStack(), "monitoring-action-group", armRoles))).toEqual([
        violation(messages.noReceiver),
      ]);
    });
  });

  describe("detections", () => {
    it.each(detections)("reports a missing %s rule, stack-wide", async (detection) => {
      expect(await check(replace(fullStack(), `monitoring-${detection}`, undefined))).toEqual([
        violation(messages.noRule(detection)),
      ]);
    });

    it("reports every missing rule", async () => {
      const stack = fullStack().filter((r) => r.type !== resourceTypes.alertRule);
      expect(await check(stack)).toEqual(detections.map((d) => violation(messages.noRule(d))));
    });

    it("does not count a rule whose tag names another detection", async () => {
      const stack = replace(fullStack(), "monitoring-tapDeleted", {
        ...alertRule("tapDeleted"),
        props: { ...alertRule("tapDeleted").props, tags: { [detectionTag]: "tapSignIn" } },
      });
      expect(await check(stack)).toEqual([violation(messages.noRule("tapDeleted"))]);
    });

    it.each(detections)("reports a disabled %s rule, on the rule", async (detection) => {
      const stack = replace(fullStack(), `monitoring-${detection}`, alertRule(detection, { enabled: false }));
      expect(await check(stack)).toEqual([
        violation(messages.disabled(detection), `monitoring-${detection}`),
      ]);
    });

    it.each(detections)("reports a %s rule that notifies no action group, on the rule", async (detection) => {
      const stack = replace(
        fullStack(),
        `monitoring-${detection}`,
        alertRule(detection, { actions: { actionGroups: [] } }),
      );
      expect(await check(stack)).toEqual([
        violation(messages.notifiesNoOne(detection), `monitoring-${detection}`),
      ]);
    });

    it("reports a rule that is both disabled and notifies no one twice", async () => {
      const rule = alertRule("tapIssued", { enabled: false, actions: { actionGroups: [] } });
      expect(await check(replace(fullStack(), "monitoring-tapIssued", rule))).toEqual([
        violation(messages.disabled("tapIssued"), "monitoring-tapIssued"),
        violation(messages.notifiesNoOne("tapIssued"), "monitoring-tapIssued"),
      ]);
    });

    it("passes with other detections' rules alongside", async () => {
      const extra = {
        ...alertRule("tapIssued"),
        name: "monitoring-tapSignIn",
        props: { tags: { [detectionTag]: "tapSignIn" } },
      };
      expect(await check([...fullStack(), extra])).toEqual([]);
    });
  });

  it("reports every defect at once", async () => {
    const stack = [
      tapPolicy("enabled"),
      diagnosticSetting([{ category: "AuditLogs", enabled: false }]),
      actionGroup({}),
      alertRule("tapIssued", { enabled: false }),
      alertRule("tapPolicyChanged", { actions: { actionGroups: [] } }),
    ];
    expect(await check(stack)).toEqual([
      violation(messages.noAuditLogs),
      violation(messages.noReceiver),
      violation(messages.disabled("tapIssued"), "monitoring-tapIssued"),
      violation(messages.noRule("tapDeleted")),
      violation(messages.notifiesNoOne("tapPolicyChanged"), "monitoring-tapPolicyChanged"),
    ]);
  });

  describe("TAP disabled", () => {
    it("requires nothing while the TAP policy is disabled", async () => {
      expect(await check([tapPolicy("disabled")])).toEqual([]);
      const broken = [
        tapPolicy("disabled"),
        diagnosticSetting([]),
        actionGroup({}),
        alertRule("tapIssued", { enabled: false, actions: { actionGroups: [] } }),
      ];
      expect(await check(broken)).toEqual([]);
    });

    it("requires nothing without a TAP policy", async () => {
      expect(await check([])).toEqual([]);
      expect(
        await check([diagnosticSetting([]), actionGroup({}), alertRule("tapIssued", { enabled: false })]),
      ).toEqual([]);
    });
  });

  describe("config", () => {
    const noDiagnostics = () => replace(fullStack(), "monitoring-entra-logs", undefined);

    it("requires tapIssued, tapDeleted and tapPolicyChanged by default, among the detections it knows", () => {
      const schema = auditTrail.configSchema!.properties!.requiredDetections as {
        default: string[];
        items: { enum: string[] };
      };
      expect(schema.default).toEqual(["tapIssued", "tapDeleted", "tapPolicyChanged"]);
      expect(schema.items.enum).toEqual([...detectionKeys]);
    });

    it("requires the detections the config lists instead", async () => {
      const required = { [policyName]: { requiredDetections: ["tapIssued", "accessAfterGrantWindow"] } };
      const withoutDeleted = replace(fullStack(), "monitoring-tapDeleted", undefined);
      expect(await check(withoutDeleted, required)).toEqual([
        violation("TAP is enabled but the accessAfterGrantWindow detection has no alert rule."),
      ]);
      const withRule = [
        ...withoutDeleted,
        { ...alertRule("tapIssued"), name: "monitoring-accessAfterGrantWindow" },
      ].map((r) =>
        r.name === "monitoring-accessAfterGrantWindow"
          ? {
              ...r,
              props: { ...r.props, tags: { [detectionTag]: "accessAfterGrantWindow" }, enabled: false },
            }
          : r,
      );
      expect(await check(withRule, required)).toEqual([
        violation("the accessAfterGrantWindow alert rule is disabled.", "monitoring-accessAfterGrantWindow"),
      ]);
    });

    it("requires no detection when the config lists none, and still checks the rest", async () => {
      expect(await check(noDiagnostics(), { [policyName]: { requiredDetections: [] } })).toEqual([
        violation(messages.noAuditLogs),
      ]);
      const noRules = fullStack().filter((r) => r.type !== resourceTypes.alertRule);
      expect(await check(noRules, { [policyName]: { requiredDetections: [] } })).toEqual([]);
    });

    it("requires the new detections under the strict pack config", async () => {
      const strict = JSON.parse(
        fs.readFileSync(path.join(__dirname, "../../../policies/config/strict.json"), "utf8"),
      ) as Record<string, { requiredDetections?: string[] }>;
      expect(strict[policyName].requiredDetections).toEqual([
        "tapIssued",
        "tapDeleted",
        "tapPolicyChanged",
        "accessAfterGrantWindow",
        "privilegedOperationByTemporaryUser",
        "unexpectedGrantLocation",
      ]);
      expect(await check(fullStack(), strict)).toEqual([
        violation("TAP is enabled but the accessAfterGrantWindow detection has no alert rule."),
        violation("TAP is enabled but the privilegedOperationByTemporaryUser detection has no alert rule."),
        violation("TAP is enabled but the unexpectedGrantLocation detection has no alert rule."),
      ]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check(noDiagnostics(), { [policyName]: "advisory" })).toEqual([
        violation(messages.noAuditLogs, null, "advisory"),
      ]);
      const disabledRule = replace(
        fullStack(),
        "monitoring-tapIssued",
        alertRule("tapIssued", { enabled: false }),
      );
      expect(await check(disabledRule, { [policyName]: { enforcementLevel: "advisory" } })).toEqual([
        violation(messages.disabled("tapIssued"), "monitoring-tapIssued", "advisory"),
      ]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([tapPolicy("enabled")], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([tapPolicy("enabled")], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing for a rule's action groups that are unknown at preview", async () => {
      const unknownList = alertRule("tapIssued", { actions: { actionGroups: undefined } });
      expect(await check(replace(fullStack(), "monitoring-tapIssued", unknownList))).toEqual([]);
      const unknownId = alertRule("tapIssued", { actions: { actionGroups: [undefined] } });
      expect(await check(replace(fullStack(), "monitoring-tapIssued", unknownId))).toEqual([]);
      const unknownActions = alertRule("tapIssued", { actions: undefined });
      expect(await check(replace(fullStack(), "monitoring-tapIssued", unknownActions))).toEqual([]);
    });

    it("reports nothing for a rule whose enabled flag is unknown", async () => {
      const rule = alertRule("tapDeleted", { enabled: undefined });
      expect(await check(replace(fullStack(), "monitoring-tapDeleted", rule))).toEqual([]);
    });

    it("requires nothing while the TAP policy's state is unknown", async () => {
      expect(await check([tapPolicy(undefined)])).toEqual([]);
    });

    it("still checks what is known around unknown values", async () => {
      const stack = replace(
        replace(
          fullStack(),
          "monitoring-tapIssued",
          alertRule("tapIssued", { actions: { actionGroups: undefined } }),
        ),
        "monitoring-tapDeleted",
        undefined,
      );
      expect(await check(stack)).toEqual([violation(messages.noRule("tapDeleted"))]);
    });

    it("reports nothing while the diagnostic setting's logs are unknown", async () => {
      expect(
        await check(replace(fullStack(), "monitoring-entra-logs", diagnosticSetting(undefined))),
      ).toEqual([]);
      // Even without a workspace id: the setting counts as possibly fine until its logs are known.
      const { workspaceId: _workspaceId, ...props } = diagnosticSetting(undefined).props;
      const noWorkspace = { ...diagnosticSetting(undefined), props };
      expect(await check(replace(fullStack(), "monitoring-entra-logs", noWorkspace))).toEqual([]);
    });

    it("reports nothing while the AuditLogs entry's enabled flag is unknown", async () => {
      const logs = [{ category: "AuditLogs", enabled: undefined }];
      expect(await check(replace(fullStack(), "monitoring-entra-logs", diagnosticSetting(logs)))).toEqual([]);
    });

    it("reports nothing while the workspace id is unknown, even with AuditLogs disabled", async () => {
      const logs = [{ category: "AuditLogs", enabled: false }];
      const setting = diagnosticSetting(logs, { workspaceId: undefined });
      expect(await check(replace(fullStack(), "monitoring-entra-logs", setting))).toEqual([]);
    });

    it("reports nothing while the action group's receivers are unknown", async () => {
      const unknownReceivers = actionGroup({ emailReceivers: undefined });
      expect(await check(replace(fullStack(), "monitoring-action-group", unknownReceivers))).toEqual([]);
    });

    it.each([
      "emailReceivers",
      "webhookReceivers",
      "smsReceivers",
      "voiceReceivers",
      "azureAppPushReceivers",
    ])("counts an action group whose %s are unknown as possibly reaching someone", async (list) => {
      const group = actionGroup({ emailReceivers: [], [list]: undefined });
      expect(await check(replace(fullStack(), "monitoring-action-group", group))).toEqual([]);
    });

    it("still reports a disabled action group whose receivers are unknown", async () => {
      const group = actionGroup({ emailReceivers: undefined, enabled: false });
      expect(await check(replace(fullStack(), "monitoring-action-group", group))).toEqual([
        violation(messages.noReceiver),
      ]);
    });

    it("counts an action group whose enabled flag is unknown", async () => {
      const group = actionGroup({ ...oneEmail, enabled: undefined });
      expect(await check(replace(fullStack(), "monitoring-action-group", group))).toEqual([]);
    });

    it("reports no missing detection while a rule's tags are unknown", async () => {
      const unknownTags = alertRule("tapIssued", { tags: undefined });
      const stack = replace(
        replace(fullStack(), "monitoring-tapIssued", unknownTags),
        "monitoring-tapDeleted",
        undefined,
      );
      expect(await check(stack)).toEqual([]);
      const onlyUnknown = fullStack()
        .filter((r) => r.type !== resourceTypes.alertRule)
        .concat(unknownTags);
      expect(await check(onlyUnknown)).toEqual([]);
    });

    it("still reports what is known about the other rules while a rule's tags are unknown", async () => {
      const stack = replace(
        replace(fullStack(), "monitoring-tapIssued", alertRule("tapIssued", { tags: undefined })),
        "monitoring-tapDeleted",
        alertRule("tapDeleted", { enabled: false }),
      );
      expect(await check(stack)).toEqual([
        violation(messages.disabled("tapDeleted"), "monitoring-tapDeleted"),
      ]);
    });

    it("still reports a missing detection when a rule has no tags at all", async () => {
      const { tags: _tags, ...props } = alertRule("tapIssued").props;
      const untagged = { ...alertRule("tapIssued"), props };
      expect(await check(replace(fullStack(), "monitoring-tapIssued", untagged))).toEqual([
        violation(messages.noRule("tapIssued")),
      ]);
    });
  });

  it("ignores resources of other types", async () => {
    // Look-alikes of another type do not make up the audit trail...
    const lookAlikes: CheckedResource[] = [
      { ...diagnosticSetting(auditLogs), type: "azure-native:insights:DiagnosticSetting" },
      { ...actionGroup(oneEmail), type: "azure-native:insights:ActionGroup" },
      ...detections.map((d) => ({ ...alertRule(d), type: "azure-native:insights:ScheduledQueryRule" })),
    ];
    expect(await check([tapPolicy("enabled"), ...lookAlikes])).toEqual([
      violation(messages.noAuditLogs),
      violation(messages.noReceiver),
      ...detections.map((d) => violation(messages.noRule(d))),
    ]);
    // ...nor does an enabled state on another type require one.
    const others = resourcesOfOtherTypes({ state: "enabled" }, resourceTypes.tapPolicy);
    expect(await check(others)).toEqual([]);
  });

  describe("values known to be missing, and values not known yet", () => {
    it("reports a rule declared without actions, or with actions but no action groups", async () => {
      const withoutActions = alertRule("tapIssued", {});
      delete (withoutActions.props as Record<string, unknown>).actions;
      expect(await check(replace(fullStack(), "monitoring-tapIssued", withoutActions))).toEqual([
        violation(messages.notifiesNoOne("tapIssued"), "monitoring-tapIssued"),
      ]);
      const withoutGroups = alertRule("tapDeleted", { actions: {} });
      expect(await check(replace(fullStack(), "monitoring-tapDeleted", withoutGroups))).toEqual([
        violation(messages.notifiesNoOne("tapDeleted"), "monitoring-tapDeleted"),
      ]);
    });

    it("does not report actions not known yet", async () => {
      expect(
        await check(
          replace(fullStack(), "monitoring-tapIssued", alertRule("tapIssued", { actions: undefined })),
        ),
      ).toEqual([]);
    });

    it("does not report a log entry, or its category, not known yet", async () => {
      const unknownEntry = diagnosticSetting([undefined, { category: "SignInLogs", enabled: true }]);
      expect(await check(replace(fullStack(), "monitoring-entra-logs", unknownEntry))).toEqual([]);
      const unknownCategory = diagnosticSetting([{ category: undefined, enabled: true }]);
      expect(await check(replace(fullStack(), "monitoring-entra-logs", unknownCategory))).toEqual([]);
    });

    it("does not report a detection whose tag value is not known yet", async () => {
      const unknownTag = alertRule("tapPolicyChanged", { tags: { [detectionTag]: undefined } });
      expect(await check(replace(fullStack(), "monitoring-tapPolicyChanged", unknownTag))).toEqual([]);
    });
  });
});
