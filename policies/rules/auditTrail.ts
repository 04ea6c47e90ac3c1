import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { detectionTag, type EntraTapPolicy, resourceTypes } from "../lib";

/** Detections that must exist, be enabled and notify while TAP is enabled. */
export const requiredDetections = ["tapIssued", "tapDeleted", "tapPolicyChanged"];

function receivers(group: PolicyResource): number {
  const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  return (
    count(group.props.emailReceivers) + count(group.props.webhookReceivers) + count(group.props.smsReceivers)
  );
}

export const auditTrail: StackValidationPolicy & EntraTapPolicy = {
  name: "tap-audit-trail",
  description:
    "While TAP is enabled, the stack sends Entra's audit logs to Log Analytics and has the grant, revoke and policy-change detections enabled, notifying an action group with at least one receiver.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Configure entra-tap:monitoring (workspace, diagnostic setting, action group with a receiver) and keep tapIssued, tapDeleted and tapPolicyChanged enabled with notify: true.",
  validateStack: (args, reportViolation) => {
    const enabled = args.resources.some(
      (r) => r.type === resourceTypes.tapPolicy && r.props.state === "enabled",
    );
    if (!enabled) return;
    const auditLogs = args.resources.some(
      (r) =>
        r.type === resourceTypes.diagnosticSetting &&
        Array.isArray(r.props.logs) &&
        r.props.logs.some(
          (log: { category?: unknown; enabled?: unknown }) =>
            log.category === "AuditLogs" && log.enabled === true,
        ),
    );
    if (!auditLogs)
      reportViolation("TAP is enabled but no diagnostic setting sends AuditLogs to a workspace.");

    const groups = args.resources.filter((r) => r.type === resourceTypes.actionGroup);
    if (!groups.some((group) => receivers(group) > 0)) {
      reportViolation("TAP is enabled but no action group has a receiver: alerts would reach no one.");
    }
    const rules = args.resources.filter((r) => r.type === resourceTypes.alertRule);
    for (const detection of requiredDetections) {
      const rule = rules.find(
        (r) => (r.props.tags as Record<string, unknown> | undefined)?.[detectionTag] === detection,
      );
      if (!rule) {
        reportViolation(`TAP is enabled but the ${detection} detection has no alert rule.`);
        continue;
      }
      if (rule.props.enabled === false) reportViolation(`the ${detection} alert rule is disabled.`, rule.urn);
      const actionGroups = (rule.props.actions as { actionGroups?: unknown } | undefined)?.actionGroups;
      // The action group's id is unknown before its first creation; an empty list is known to notify no one.
      if (Array.isArray(actionGroups) && actionGroups.length === 0) {
        reportViolation(`the ${detection} alert rule notifies no action group.`, rule.urn);
      }
    }
  },
};
