import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, isString, resourceTypes } from "../lib";

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
        default: 30,
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.userTap) return;
    const { maximumGrantDays } = args.getConfig<{ maximumGrantDays: number }>();
    const { startDateTime, grantExpiry } = args.props;
    if (!isString(startDateTime) || !isString(grantExpiry)) return;
    const start = Date.parse(startDateTime);
    const expiry = Date.parse(grantExpiry);
    if (Number.isNaN(start) || Number.isNaN(expiry)) return; // not dates: the stack's config validation says so
    if (expiry <= start) {
      reportViolation(`the grant ends (${grantExpiry}) before it starts (${startDateTime}).`);
      return;
    }
    const hours = (expiry - start) / 3_600_000;
    if (hours > maximumGrantDays * 24) {
      reportViolation(
        `the grant lasts ${(hours / 24).toFixed(2)} days (${startDateTime} to ${grantExpiry}); the maximum is ${maximumGrantDays} days.`,
      );
    }
  },
};
