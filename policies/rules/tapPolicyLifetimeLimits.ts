import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, isNumber, microsoftLimits, resourceTypes } from "../lib";

const lifetimeFields = [
  "minimumLifetimeInMinutes",
  "defaultLifetimeInMinutes",
  "maximumLifetimeInMinutes",
] as const;

function inMicrosoftRange(value: unknown): value is number {
  return isNumber(value) && value >= microsoftLimits.minLifetime && value <= microsoftLimits.maxLifetime;
}

export const tapPolicyLifetimeLimits: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-policy-lifetime-limits",
  description: `The TAP policy's lifetimes are within Microsoft's limits (${microsoftLimits.minLifetime}..${microsoftLimits.maxLifetime} minutes), with minimum <= default <= maximum.`,
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: `Set entra-tap:policy.minimumLifetimeInMinutes, defaultLifetimeInMinutes and maximumLifetimeInMinutes within ${microsoftLimits.minLifetime}..${microsoftLimits.maxLifetime}, in that order.`,
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.tapPolicy) return;
    for (const field of lifetimeFields) {
      const value = args.props[field];
      if (isNumber(value) && !inMicrosoftRange(value)) {
        reportViolation(
          `${field} is ${value}; Microsoft allows ${microsoftLimits.minLifetime}..${microsoftLimits.maxLifetime} minutes.`,
        );
      }
    }
    // Only known values within Microsoft's range are compared: one reported above is not reported twice.
    const {
      minimumLifetimeInMinutes: min,
      defaultLifetimeInMinutes: def,
      maximumLifetimeInMinutes: max,
    } = args.props;
    if (inMicrosoftRange(min) && inMicrosoftRange(max) && min > max) {
      reportViolation(`minimumLifetimeInMinutes (${min}) is above maximumLifetimeInMinutes (${max}).`);
      return;
    }
    if (!inMicrosoftRange(def)) return;
    if (inMicrosoftRange(min) && def < min) {
      reportViolation(`defaultLifetimeInMinutes (${def}) is below minimumLifetimeInMinutes (${min}).`);
    }
    if (inMicrosoftRange(max) && def > max) {
      reportViolation(`defaultLifetimeInMinutes (${def}) is above maximumLifetimeInMinutes (${max}).`);
    }
  },
};
