import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, isNumber, microsoftLimits, resourceTypes } from "../lib";

export const tapPolicyDefaultLifetime: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-policy-default-lifetime",
  description:
    "The TAP policy's default lifetime is at most a bound (default 60 minutes, as the ASD Blueprint and CIPP recommend): a pass issued without a lifetime is short.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps:
    "Lower entra-tap:policy.defaultLifetimeInMinutes; grants that need longer set their own lifetime.",
  configSchema: {
    properties: {
      maximumDefaultLifetimeInMinutes: {
        type: "integer",
        minimum: 10,
        maximum: microsoftLimits.maxLifetime,
        default: 60,
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.tapPolicy) return;
    const { maximumDefaultLifetimeInMinutes: bound } = args.getConfig<{
      maximumDefaultLifetimeInMinutes: number;
    }>();
    const value = args.props.defaultLifetimeInMinutes;
    if (isNumber(value) && value > bound) {
      reportViolation(`defaultLifetimeInMinutes is ${value}; the organisation's bound is ${bound} minutes.`);
    }
  },
};
