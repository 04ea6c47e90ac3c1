import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, isNumber, microsoftLimits, resourceTypes } from "../lib";

const lifetimeFields = [
  "minimumLifetimeInMinutes",
  "defaultLifetimeInMinutes",
  "maximumLifetimeInMinutes",
] as const;

export const tapPolicyLifetimeLimits: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-policy-lifetime-limits",
  description:
    "The TAP policy's lifetimes are within Microsoft's limits (10..43200 minutes), with minimum <= default <= maximum.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Set entra-tap:policy.minimumLifetimeInMinutes, defaultLifetimeInMinutes and maximumLifetimeInMinutes within 10..43200, in that order.",
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.tapPolicy) return;
    const values = Object.fromEntries(lifetimeFields.map((field) => [field, args.props[field]]));
    for (const field of lifetimeFields) {
      const value = values[field];
      if (isNumber(value) && (value < microsoftLimits.minLifetime || value > microsoftLimits.maxLifetime)) {
        reportViolation(
          `${field} is ${value}; Microsoft allows ${microsoftLimits.minLifetime}..${microsoftLimits.maxLifetime} minutes.`,
        );
      }
    }
    const {
      minimumLifetimeInMinutes: min,
      defaultLifetimeInMinutes: def,
      maximumLifetimeInMinutes: max,
    } = values;
    if (isNumber(min) && isNumber(max) && min > max) {
      reportViolation(`minimumLifetimeInMinutes (${min}) is above maximumLifetimeInMinutes (${max}).`);
    } else if (isNumber(def) && ((isNumber(min) && def < min) || (isNumber(max) && def > max))) {
      reportViolation(`defaultLifetimeInMinutes (${def}) is outside minimum..maximum (${min}..${max}).`);
    }
  },
};
