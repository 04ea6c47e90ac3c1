// tap-audit-trail with values not known at preview, and values known to be missing.
import { detectionTag, resourceTypes } from "../../../policies/lib";
import {
  actionGroup,
  alertRule,
  check,
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
