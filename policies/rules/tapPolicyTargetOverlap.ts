import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, knownIds, resourceTypes } from "../lib";

export const tapPolicyTargetOverlap: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-policy-target-overlap",
  description:
    "No group is both included in and excluded from the TAP policy: the exclusion silently wins, which hides a mistake.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps:
    "Remove the group from one of entra-tap:audience.targets / exclusions (or policy include/excludeTargets).",
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.tapPolicy) return;
    const excluded = knownIds(args.props.excludeTargets).map((id) => id.toLowerCase());
    for (const id of knownIds(args.props.includeTargets)) {
      if (excluded.includes(id.toLowerCase())) reportViolation(`group ${id} is both included and excluded.`);
    }
  },
};
