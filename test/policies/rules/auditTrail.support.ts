// What the tap-audit-trail tests share: a stack with the full audit trail, its pieces, and the violations expected.
import type { EnforcementLevel } from "@pulumi/policy";
import { detectionTag, resourceTypes } from "../../../policies/lib";
import { auditTrail } from "../../../policies/rules/auditTrail";
import type { CheckedResource } from "../../../scripts/policyRunner";
import { checkerFor, tapPolicyResource, violationsOf } from "../harness";

export const policyName = "tap-audit-trail";
const actionGroupId =
  "/subscriptions/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6/resourceGroups/entra-tap/providers/Microsoft.Insights/actionGroups/ag";
const workspaceId =
  "/subscriptions/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6/resourceGroups/entra-tap/providers/Microsoft.OperationalInsights/workspaces/ws";
export const detections = ["tapIssued", "tapDeleted", "tapPolicyChanged"] as const;
type Detection = (typeof detections)[number];

export function tapPolicy(state: unknown): CheckedResource {
  return tapPolicyResource({ state });
}

export function diagnosticSetting(logs: unknown, extra: Record<string, unknown> = {}): CheckedResource {
  return {
    type: resourceTypes.diagnosticSetting,
    name: "monitoring-entra-logs",
    props: { name: "entra-tap", workspaceId, logs, ...extra },
  };
}

export function actionGroup(
  receivers: Record<string, unknown>,
  name = "monitoring-action-group",
): CheckedResource {
  return {
    type: resourceTypes.actionGroup,
    name,
    props: { groupShortName: "entra-tap", enabled: true, location: "Global", ...receivers },
  };
}

export function alertRule(detection: Detection, props: Record<string, unknown> = {}): CheckedResource {
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

export const auditLogs = [
  { category: "AuditLogs", enabled: true },
  { category: "SignInLogs", enabled: true },
];
export const oneEmail = { emailReceivers: [{ name: "secops", emailAddress: "secops@contoso.com" }] };

/** Every piece the policy requires, in order: TAP policy, diagnostic setting, action group, the three rules. */
export function fullStack(): CheckedResource[] {
  return [
    tapPolicy("enabled"),
    diagnosticSetting(auditLogs),
    actionGroup(oneEmail),
    ...detections.map((d) => alertRule(d)),
  ];
}

export function replace(
  stack: CheckedResource[],
  name: string,
  by: CheckedResource | undefined,
): CheckedResource[] {
  return stack.flatMap((r) => (r.name === name ? (by ? [by] : []) : [r]));
}

export const check = checkerFor(auditTrail);
const stackViolation = violationsOf(policyName, null);

/** Stack-wide unless a resource is named. */
export function violation(
  message: string,
  resource: string | null = null,
  enforcementLevel?: EnforcementLevel,
) {
  return stackViolation(message, enforcementLevel, resource);
}

export const messages = {
  noAuditLogs: "TAP is enabled but no diagnostic setting sends AuditLogs to a workspace.",
  noReceiver: "TAP is enabled but no action group has a receiver: alerts would reach no one.",
  noRule: (d: Detection) => `TAP is enabled but the ${d} detection has no alert rule.`,
  disabled: (d: Detection) => `the ${d} alert rule is disabled.`,
  notifiesNoOne: (d: Detection) => `the ${d} alert rule notifies no action group.`,
};
