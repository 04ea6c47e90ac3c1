import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, isNumber, microsoftLimits, resourceTypes } from "../lib";

export const tapPolicyLengthLimits: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-policy-length-limits",
  description: "The TAP policy's default length is within Microsoft's limits (8..48 characters).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Set entra-tap:policy.defaultLength within 8..48.",
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.tapPolicy) return;
    const value = args.props.defaultLength;
    if (isNumber(value) && (value < microsoftLimits.minLength || value > microsoftLimits.maxLength)) {
      reportViolation(
        `defaultLength is ${value}; Microsoft allows ${microsoftLimits.minLength}..${microsoftLimits.maxLength} characters.`,
      );
    }
  },
};
