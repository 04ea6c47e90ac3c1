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
  if (!hasKey(scheduleInfo, "expiration")) return "no expiration";
  const expiration = scheduleInfo.expiration;
  if (expiration === undefined) return "unknown";
  if (!hasKey(expiration, "type")) return "an expiration without a type";
  const { type } = expiration;
  if (type === undefined) return "unknown";
  const field = endField(type);
  if (field === undefined) return `expiration type ${JSON.stringify(type)}`;
  if (!(field in expiration)) return `expiration ${type} without ${field}`;
  const value = (expiration as Record<string, unknown>)[field];
  if (value === undefined) return "unknown";
  return isString(value) && value.trim() !== ""
    ? "ends"
    : `expiration ${type} with ${field} ${JSON.stringify(value)}`;
}

/** Whether `value` is an object with `key` (present, whatever its value). */
function hasKey<K extends string>(value: unknown, key: K): value is Record<K, unknown> {
  return value !== null && typeof value === "object" && key in value;
}

/** The field that holds the end of an expiration of `type`; undefined for any other type (NoExpiration among them). */
function endField(type: unknown): "endDateTime" | "duration" | undefined {
  if (type === "AfterDateTime") return "endDateTime";
  if (type === "AfterDuration") return "duration";
  return undefined;
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
