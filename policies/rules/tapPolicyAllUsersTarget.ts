import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, knownIds, resourceTypes } from "../lib";

export const tapPolicyAllUsersTarget: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-policy-all-users-target",
  description:
    "The TAP policy targets dedicated groups rather than all_users: fewer accounts can be taken over with a pass. Microsoft's Zero Trust Assessment (21845) instead expects all_users with a Conditional Access policy on security-info registration; choose one and record it.",
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps:
    "Target groups (entra-tap:audience.targets) instead of all_users; or, following the Zero Trust Assessment, keep all_users with a Conditional Access policy requiring TAP to register security info, and disable this policy in the pack config.",
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.tapPolicy) return;
    if (knownIds(args.props.includeTargets).includes("all_users")) {
      reportViolation("includeTargets contains all_users: every user can be issued a pass.");
    }
  },
};
