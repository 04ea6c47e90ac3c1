import type { StackValidationPolicy } from "@pulumi/policy";
import { configWithDefaults, type EntraTapPolicy, isNumber, resourceTypes } from "../lib";

export const grantLifetimeDefaults = { maximumLifetimeInMinutes: 480 };

export const grantLifetime: StackValidationPolicy & EntraTapPolicy = {
  name: "tap-grant-lifetime",
  description:
    "Each grant's pass lifetime is within the TAP policy's minimum..maximum and at most the organisation's maximum (default 480 minutes).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Shorten the grant's lifetimeInMinutes (entra-tap:grants[].lifetimeInMinutes).",
  configSchema: {
    properties: {
      maximumLifetimeInMinutes: {
        type: "integer",
        minimum: 10,
        maximum: 43200,
        default: grantLifetimeDefaults.maximumLifetimeInMinutes,
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { maximumLifetimeInMinutes: limit } = configWithDefaults(args, grantLifetimeDefaults);
    const policies = args.resources.filter((r) => r.type === resourceTypes.tapPolicy);
    const policy = policies.length === 1 ? policies[0].props : undefined;
    for (const pass of args.resources.filter((r) => r.type === resourceTypes.userTap)) {
      const lifetime = pass.props.lifetimeInMinutes;
      if (!isNumber(lifetime)) continue;
      if (lifetime > limit) {
        reportViolation(
          `${pass.name}: lifetimeInMinutes is ${lifetime}; the organisation's maximum is ${limit} minutes.`,
          pass.urn,
        );
      }
      const { minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max } = policy ?? {};
      if (isNumber(min) && isNumber(max) && (lifetime < min || lifetime > max)) {
        reportViolation(
          `${pass.name}: lifetimeInMinutes is ${lifetime}; the TAP policy allows ${min}..${max} minutes.`,
          pass.urn,
        );
      }
    }
  },
};
