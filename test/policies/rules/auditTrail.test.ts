// tap-audit-trail: a diagnostic setting, an action group that reaches someone, and a rule for each required detection.
import { detectionTag, resourceTypes } from "../../../policies/lib";
import type { CheckedResource } from "../../../scripts/policyRunner";
import { resourcesOfOtherTypes } from "../harness";
import {
  actionGroup,
  alertRule,
  auditLogs,
  check,
  detections,
  diagnosticSetting,
  fullStack,
  messages,
  oneEmail,
  policyName,
  replace,
  tapPolicy,
  violation,
} from "./auditTrail.support";

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
});
