import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, isNumber, resourceTypes } from "../lib";

export const tapPolicyMinimumLength: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-policy-minimum-length",
  description:
    "The TAP policy's default length is at least the organisation's minimum (default 14, as the ASD Blueprint recommends).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Raise entra-tap:policy.defaultLength to the organisation's minimum or more.",
  configSchema: {
    properties: {
      minimumLength: {
        type: "integer",
        minimum: 8,
        maximum: 48,
        default: 14,
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.tapPolicy) return;
    const { minimumLength } = args.getConfig<{ minimumLength: number }>();
    const value = args.props.defaultLength;
    if (isNumber(value) && value < minimumLength) {
      reportViolation(
        `defaultLength is ${value}; the organisation's minimum is ${minimumLength} characters.`,
      );
    }
  },
};
