import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { detectionKeys, detectionTag, type EntraTapPolicy, resourceTypes } from "../lib";

/** Detections that must exist, be enabled and notify while TAP is enabled, unless the pack config names others. */
export const requiredDetections = ["tapIssued", "tapDeleted", "tapPolicyChanged"];

/** A key present with an undefined value holds a value not known yet (during preview). */
function isUnknown(props: Record<string, unknown>, key: string): boolean {
  return key in props && props[key] === undefined;
}

/** Whether a diagnostic setting sends AuditLogs to a workspace: true, false, or undefined when not known yet. */
function sendsAuditLogs(setting: PolicyResource): boolean | undefined {
  const { logs } = setting.props;
  if (isUnknown(setting.props, "logs") || isUnknown(setting.props, "workspaceId")) return undefined;
  if (!("workspaceId" in setting.props) || !Array.isArray(logs)) return false;
  const entries = logs as ({ category?: unknown; enabled?: unknown } | undefined)[];
  if (entries.some((log) => log === undefined || log.category === undefined)) return undefined;
  const auditLogs = entries.find((log) => log?.category === "AuditLogs");
  if (!auditLogs) return false;
  return auditLogs.enabled === undefined ? undefined : auditLogs.enabled === true;
}

/** Whether an action group can reach someone: true, false, or undefined when not known yet. */
function reachesSomeone(group: PolicyResource): boolean | undefined {
  if (group.props.enabled === false) return false;
  const lists = [
    "emailReceivers",
    "webhookReceivers",
    "smsReceivers",
    "voiceReceivers",
    "azureAppPushReceivers",
  ];
  if (lists.some((key) => isUnknown(group.props, key))) return undefined;
  return lists.some((key) => Array.isArray(group.props[key]) && (group.props[key] as unknown[]).length > 0);
}

/** A rule known to notify no action group: no actions, no actionGroups, or an empty list (unknown is not known). */
function notifiesNoActionGroup(props: Record<string, unknown>): boolean {
  if (isUnknown(props, "actions")) return false;
  const actions = props.actions as Record<string, unknown> | undefined;
  if (!actions || typeof actions !== "object" || !("actionGroups" in actions)) return true;
  const { actionGroups } = actions;
  return Array.isArray(actionGroups) && actionGroups.length === 0;
}

export const auditTrail: StackValidationPolicy & EntraTapPolicy = {
  name: "tap-audit-trail",
  description:
    "While TAP is enabled, a diagnostic setting sends Entra's AuditLogs to a Log Analytics workspace, the stack has an enabled action group with at least one receiver, and the required detections (by default: grant tapIssued, revoke tapDeleted, policy change tapPolicyChanged; the pack config may require others, such as accessAfterGrantWindow) have enabled alert rules that notify an action group.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Configure entra-tap:monitoring (workspace, diagnostic setting, action group with a receiver) and keep the required detections enabled with notify: true.",
  configSchema: {
    properties: {
      requiredDetections: {
        type: "array",
        items: { type: "string", enum: [...detectionKeys] },
        uniqueItems: true,
        default: requiredDetections,
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const enabled = args.resources.some(
      (r) => r.type === resourceTypes.tapPolicy && r.props.state === "enabled",
    );
    if (!enabled) return;

    // Each check reports only what is known to be missing; what is not known yet is checked at the next preview.
    const settings = args.resources
      .filter((r) => r.type === resourceTypes.diagnosticSetting)
      .map(sendsAuditLogs);
    if (!settings.some((sends) => sends !== false)) {
      reportViolation("TAP is enabled but no diagnostic setting sends AuditLogs to a workspace.");
    }
    const groups = args.resources.filter((r) => r.type === resourceTypes.actionGroup).map(reachesSomeone);
    if (!groups.some((reaches) => reaches !== false)) {
      reportViolation("TAP is enabled but no action group has a receiver: alerts would reach no one.");
    }

    const rules = args.resources.filter((r) => r.type === resourceTypes.alertRule);
    const tagOf = (rule: PolicyResource) =>
      (rule.props.tags as Record<string, unknown> | undefined)?.[detectionTag];
    const someTagsUnknown = rules.some(
      (rule) =>
        isUnknown(rule.props, "tags") ||
        (rule.props.tags !== undefined &&
          detectionTag in (rule.props.tags as object) &&
          tagOf(rule) === undefined),
    );
    const required =
      args.getConfig<{ requiredDetections?: string[] }>().requiredDetections ?? requiredDetections;
    for (const detection of required) {
      const rule = rules.find(
        (r) => (r.props.tags as Record<string, unknown> | undefined)?.[detectionTag] === detection,
      );
      if (!rule) {
        if (!someTagsUnknown)
          reportViolation(`TAP is enabled but the ${detection} detection has no alert rule.`);
        continue;
      }
      if (rule.props.enabled === false) reportViolation(`the ${detection} alert rule is disabled.`, rule.urn);
      if (notifiesNoActionGroup(rule.props)) {
        reportViolation(`the ${detection} alert rule notifies no action group.`, rule.urn);
      }
    }
  },
};
