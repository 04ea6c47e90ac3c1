import type { StackValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, isNumber, microsoftLimits, resourceTypes } from "../lib";

export const grantLifetime: StackValidationPolicy & EntraTapPolicy = {
  name: "tap-grant-lifetime",
  description:
    "Each grant's pass lifetime is at most the organisation's maximum (default 480 minutes) and within the TAP policy's minimum..maximum.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Shorten the grant's lifetimeInMinutes (entra-tap:grants[].lifetimeInMinutes).",
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
  validateStack: (args, reportViolation) => {
    const { maximumLifetimeInMinutes: limit } = args.getConfig<{ maximumLifetimeInMinutes: number }>();
    // The TAP policy's range applies when the stack has exactly one (tap-single-policy reports more).
    const policies = args.resources.filter((r) => r.type === resourceTypes.tapPolicy);
    const { minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max } =
      policies.length === 1 ? policies[0].props : {};
    for (const pass of args.resources.filter((r) => r.type === resourceTypes.userTap)) {
      const lifetime = pass.props.lifetimeInMinutes;
      if (!isNumber(lifetime)) continue;
      // One message per pass, the first limit it breaks: the organisation's maximum, then the TAP policy's range.
      if (lifetime > limit) {
        reportViolation(
          `lifetimeInMinutes is ${lifetime}; the organisation's maximum is ${limit} minutes.`,
          pass.urn,
        );
      } else if (isNumber(max) && lifetime > max) {
        reportViolation(
          `lifetimeInMinutes is ${lifetime}; the TAP policy's maximum is ${max} minutes.`,
          pass.urn,
        );
      } else if (isNumber(min) && lifetime < min) {
        reportViolation(
          `lifetimeInMinutes is ${lifetime}; the TAP policy's minimum is ${min} minutes.`,
          pass.urn,
        );
      }
    }
  },
};
