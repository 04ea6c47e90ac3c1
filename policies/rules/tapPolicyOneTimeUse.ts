import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, resourceTypes } from "../lib";

export const tapPolicyOneTimeUse: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-policy-one-time-use",
  description:
    "The TAP policy makes every pass one-time (Maester EIDSCA.AT02, Zero Trust Assessment 21846). Multi-use is a documented exception (device set-up): set allowMultiUse in the pack config.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps:
    "Set entra-tap:policy.isUsableOnce to true. If multi-use passes are a documented need (e.g. device set-up), set allowMultiUse: true for this policy in the pack config and record why.",
  configSchema: {
    properties: { allowMultiUse: { type: "boolean", default: false } },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.tapPolicy) return;
    const { allowMultiUse } = args.getConfig<{ allowMultiUse: boolean }>();
    if (args.props.isUsableOnce === false && !allowMultiUse) {
      reportViolation(
        "isUsableOnce is false: passes may be reused; the organisation requires one-time passes.",
      );
    }
  },
};
