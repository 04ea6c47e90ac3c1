// The stack's configuration (the `entra-tap:*` keys), validated as a whole before any resource is declared, with
// derived values filled in (a grant's lifetime), so the program only wires components.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type GraphCloud, graphCloudNames } from "../components/graphClient";
import { tapPolicyDefaults } from "../components/tapPolicySettings";
import {
  formatProblem,
  oneOf,
  problemsFromZod,
  strictObject,
  ValidationError,
} from "../components/validation";
import { tapAudienceConfigSchema } from "./audience";
import { grantProblems } from "./grantRules";
import { type TemporaryAccessGrantConfig, temporaryAccessGrantConfigSchema } from "./grants";
import { isSecretMonitoringPath, tapMonitoringConfigSchema } from "./monitoring";
import { type TapPolicyConfig, tapPolicyConfigSchema } from "./policy";

export const configNamespace = "entra-tap";

export function stackConfigSchema(now: number) {
  return strictObject({
    cloud: oneOf(graphCloudNames as [GraphCloud, ...GraphCloud[]]).default(tapPolicyDefaults.cloud),
    policy: tapPolicyConfigSchema(),
    audience: tapAudienceConfigSchema().optional(),
    grants: z.array(temporaryAccessGrantConfigSchema(), { error: "a list of grants" }).default([]),
    monitoring: tapMonitoringConfigSchema().optional(),
  })
    .superRefine((config, ctx) => {
      const targetGroups = Object.keys(config.audience?.targets ?? {});
      if (
        config.policy.state === "enabled" &&
        config.policy.includeTargets.length === 0 &&
        targetGroups.length === 0
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["policy", "includeTargets"],
          input: config.policy.includeTargets,
          message:
            "at least one target while state is enabled (here, or groups in entra-tap:audience.targets)",
        });
      }
      const grants = withGrantLifetimes(config);
      for (const problem of grantProblems({ grants, policy: config.policy, targetGroups, now })) {
        ctx.addIssue({ code: "custom", path: problem.path, input: problem.value, message: problem.allowed });
      }
    })
    .transform((config) => ({ ...config, grants: withGrantLifetimes(config) }));
}

/** The grants with their lifetimes known: a grant without its own gets the policy's default. */
function withGrantLifetimes(config: { policy: TapPolicyConfig; grants: TemporaryAccessGrantConfig[] }) {
  return config.grants.map((grant) => ({
    ...grant,
    lifetimeInMinutes: grant.lifetimeInMinutes ?? config.policy.defaultLifetimeInMinutes,
  }));
}

export type StackConfig = z.output<ReturnType<typeof stackConfigSchema>>;

/**
 * Validates the stack's raw config, as Pulumi hands it to a program (`namespace:key` → string, structured values
 * as JSON). Keys of other namespaces (azure-native:location, ...) are not ours and are left alone. Grants are judged
 * at `now`. Throws a ValidationError with one message per problem, each naming `entra-tap:<key path>`.
 */
export function parseStackConfig(raw: Record<string, string>, now: number = Date.now()): StackConfig {
  const values: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(raw)) {
    const [namespace, key] = fullKey.split(":", 2);
    if (namespace === configNamespace && key !== undefined) values[key] = parseConfigValue(text);
  }
  const result = stackConfigSchema(now).safeParse(values, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(
    problemsFromZod(result.error).map((p) => formatProblem(`${configNamespace}:`, p, isSecretMonitoringPath)),
  );
}

/** Pulumi stores structured config as JSON text and plain values as text; take JSON where it parses. */
function parseConfigValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The stack config of the running program; an invalid stack stops here, with every problem listed. */
export function loadStackConfig(): StackConfig {
  try {
    return parseStackConfig(pulumi.runtime.allConfig());
  } catch (error) {
    // RunError: Pulumi prints the message alone, without a stack trace.
    if (error instanceof ValidationError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
