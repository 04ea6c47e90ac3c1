import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, knownIds, resourceTypes } from "../lib";

export const tapPolicyBreakGlassExcluded: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-policy-break-glass-excluded",
  description:
    "The configured break-glass groups are excluded from the TAP policy (ASD Blueprint): emergency accounts never sign in with a pass.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Add the break-glass groups to entra-tap:audience.exclusions (or entra-tap:policy.excludeTargets).",
  configSchema: {
    properties: {
      breakGlassGroupIds: {
        type: "array",
        items: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" },
        default: [],
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.tapPolicy) return;
    const { breakGlassGroupIds } = args.getConfig<{ breakGlassGroupIds: string[] }>();
    const excludeTargets = args.props.excludeTargets;
    // A list not known yet (ids created in this update) cannot be judged now; it is at the next preview.
    if (!Array.isArray(excludeTargets)) return;
    const excluded = knownIds(excludeTargets).map((id) => id.toLowerCase());
    for (const group of breakGlassGroupIds) {
      if (!excluded.includes(group.toLowerCase())) {
        reportViolation(`break-glass group ${group} is not in excludeTargets.`);
      }
    }
  },
};
