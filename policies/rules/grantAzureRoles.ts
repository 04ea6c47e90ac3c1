import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults, type EntraTapPolicy, isString, resourceTypes } from "../lib";

/** Reader, by default: a grant's Azure access starts read-only; anything more is an explicit pack-config decision. */
export const grantAzureRolesDefaults = { allowedRoleDefinitionIds: ["acdd72a7-3385-48ef-bd42-f606fba81ae7"] };

export const grantAzureRoles: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-grant-azure-roles",
  description:
    "A grant's Azure role eligibilities use roles from an allowed list (default: Reader) and always end (an end date, never NoExpiration).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Use an allowed role, or add the role's definition id to allowedRoleDefinitionIds in the pack config after review; give every eligibility an end date (the grant's expiry).",
  configSchema: {
    properties: {
      allowedRoleDefinitionIds: {
        type: "array",
        items: { type: "string" },
        default: grantAzureRolesDefaults.allowedRoleDefinitionIds,
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.pimEligibility) return;
    const { allowedRoleDefinitionIds } = configWithDefaults(args, grantAzureRolesDefaults);
    const roleDefinitionId = args.props.roleDefinitionId;
    if (isString(roleDefinitionId)) {
      const roleGuid = roleDefinitionId.split("/").pop()!.toLowerCase();
      if (!allowedRoleDefinitionIds.map((id) => id.split("/").pop()!.toLowerCase()).includes(roleGuid)) {
        reportViolation(
          `role ${roleDefinitionId} is not in the allowed list (${allowedRoleDefinitionIds.join(", ")}).`,
        );
      }
    }
    const expiration = (args.props.scheduleInfo as { expiration?: Record<string, unknown> } | undefined)
      ?.expiration;
    const type = expiration?.type;
    const ends =
      (type === "AfterDateTime" && isString(expiration?.endDateTime)) ||
      (type === "AfterDuration" && isString(expiration?.duration));
    // A value still unknown during preview is checked when known; an absent expiration is a violation now.
    if (!ends && !(expiration && type === undefined && "endDateTime" in expiration)) {
      reportViolation(
        `the role eligibility has no end (expiration ${JSON.stringify(expiration ?? null)}); it must end with its grant.`,
      );
    }
  },
};
