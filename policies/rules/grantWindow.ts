import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults, type EntraTapPolicy, isString, resourceTypes } from "../lib";

export const grantWindowDefaults = { maximumGrantDays: 30 };

export const grantWindow: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-grant-window",
  description:
    "A grant lasts at most a number of days (default 30) from start to expiry: temporary access stays temporary.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps:
    "Bring the grant's expiry closer to its start; renew with a new, reviewed grant if the work goes on.",
  configSchema: {
    properties: {
      maximumGrantDays: {
        type: "integer",
        minimum: 1,
        maximum: 365,
        default: grantWindowDefaults.maximumGrantDays,
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.userTap) return;
    const { maximumGrantDays } = configWithDefaults(args, grantWindowDefaults);
    const { startDateTime, grantExpiry } = args.props;
    if (!isString(startDateTime) || !isString(grantExpiry)) return;
    const days = (Date.parse(grantExpiry) - Date.parse(startDateTime)) / 86_400_000;
    if (days > maximumGrantDays) {
      reportViolation(
        `the grant lasts ${days.toFixed(1)} days (${startDateTime} to ${grantExpiry}); the maximum is ${maximumGrantDays} days.`,
      );
    }
  },
};
