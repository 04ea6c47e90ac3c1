import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, isNumber, microsoftLimits, resourceTypes } from "../lib";

export const tapPolicyMaximumLifetime: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-policy-maximum-lifetime",
  description:
    "The TAP policy's maximum lifetime is at most the organisation's maximum (default 480 minutes, Microsoft's default and the ASD Blueprint's).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Lower entra-tap:policy.maximumLifetimeInMinutes, or raise maximumLifetimeInMinutes in the pack config after review.",
  configSchema: {
    properties: {
      maximumLifetimeInMinutes: {
        type: "integer",
        minimum: 10,
        maximum: microsoftLimits.maxLifetime,
        default: 480,
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.tapPolicy) return;
    const { maximumLifetimeInMinutes: limit } = args.getConfig<{ maximumLifetimeInMinutes: number }>();
    const value = args.props.maximumLifetimeInMinutes;
    if (isNumber(value) && value > limit) {
      reportViolation(
        `maximumLifetimeInMinutes is ${value}; the organisation's maximum is ${limit} minutes.`,
      );
    }
  },
};
