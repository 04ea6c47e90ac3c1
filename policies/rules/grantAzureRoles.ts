import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, isString, resourceTypes } from "../lib";

/**
 * Whether an eligibility's schedule ends: "ends", "unknown" (a part not known yet, checked when known), or why it
 * does not. A key present with an undefined value is a value not known yet; an absent key is absent.
 */
export function eligibilityEnd(props: Record<string, unknown>): string {
  if (!("scheduleInfo" in props)) return "no schedule";
  const scheduleInfo = props.scheduleInfo;
  if (scheduleInfo === undefined) return "unknown";
  if (scheduleInfo === null || typeof scheduleInfo !== "object" || !("expiration" in scheduleInfo)) {
    return "no expiration";
  }
  const expiration = (scheduleInfo as { expiration?: unknown }).expiration;
  if (expiration === undefined) return "unknown";
  if (expiration === null || typeof expiration !== "object" || !("type" in expiration)) {
    return "an expiration without a type";
  }
  const { type } = expiration as { type?: unknown };
  if (type === undefined) return "unknown";
  const field = type === "AfterDateTime" ? "endDateTime" : type === "AfterDuration" ? "duration" : undefined;
  if (field === undefined) return `expiration type ${JSON.stringify(type)}`;
  if (!(field in expiration)) return `expiration ${type} without ${field}`;
  const value = (expiration as Record<string, unknown>)[field];
  if (value === undefined) return "unknown";
  return isString(value) && value.trim() !== ""
    ? "ends"
    : `expiration ${type} with ${field} ${JSON.stringify(value)}`;
}

export const grantAzureRoles: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-grant-azure-roles",
  description:
    "A grant's Azure role eligibilities use roles from an allowed list (default: Reader) and always end (an end date or duration, never NoExpiration).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Use an allowed role, or add the role's definition id to allowedRoleDefinitionIds in the pack config after review; give every eligibility an end date (the grant's expiry).",
  configSchema: {
    properties: {
      allowedRoleDefinitionIds: {
        type: "array",
        items: { type: "string" },
        // Reader: a grant's Azure access starts read-only; anything more is an explicit pack-config decision.
        default: ["acdd72a7-3385-48ef-bd42-f606fba81ae7"],
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.pimEligibility) return;
    const { allowedRoleDefinitionIds } = args.getConfig<{ allowedRoleDefinitionIds: string[] }>();
    const roleDefinitionId = args.props.roleDefinitionId;
    if (isString(roleDefinitionId)) {
      const roleGuid = roleDefinitionId.split("/").pop()!.toLowerCase();
      if (!allowedRoleDefinitionIds.map((id) => id.split("/").pop()!.toLowerCase()).includes(roleGuid)) {
        reportViolation(
          `role ${roleDefinitionId} is not in the allowed list (${allowedRoleDefinitionIds.join(", ")}).`,
        );
      }
    }
    const end = eligibilityEnd(args.props);
    if (end !== "ends" && end !== "unknown") {
      reportViolation(`the role eligibility has no end (${end}); it must end with its grant.`);
    }
  },
};
