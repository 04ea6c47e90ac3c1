// The stack's configuration (the `entra-tap:*` keys), validated as a whole before any resource is declared, with
// derived values filled in (a grant's lifetime), so the program only wires components.
import { z } from "zod";
import { type GraphCloud, graphCloudNames } from "../components/graph/clouds";
import { tapPolicyDefaults } from "../components/tapPolicySettings";
import {
  formatProblem,
  objectId,
  oneOf,
  problemsFromZod,
  strictObject,
  ValidationError,
} from "../components/validation";
import { tapAudienceConfigSchema } from "./audience";
import { bootstrapConfigSchema } from "./bootstrap";
import { grantProblems } from "./grantRules";
import { type TemporaryAccessGrantConfig, temporaryAccessGrantConfigSchema } from "./grants";
import { handoverConfigSchema, noHandover } from "./handover";
import { knownIssuersConfigSchema } from "./knownIssuers";
import { isSecretMonitoringPath, tapMonitoringConfigSchema } from "./monitoring";
import { isAboutRefused, readRawConfig } from "./rawConfig";
import { type TapPolicyConfig, tapPolicyConfigSchema } from "./policy";
import { deployWaveSchema } from "./wave";

export const configNamespace = "entra-tap";

/** The sections' schemas and the stack's, without the rules across them: the same whatever the stack and the time. */
function sectionSchemas() {
  const policy = tapPolicyConfigSchema();
  // Optional: a stack without an audience has a valid one.
  const audience = tapAudienceConfigSchema().optional();
  // Left out: no recipients (and no plaintext).
  const handover = handoverConfigSchema().default(noHandover);
  const stack = strictObject({
    cloud: oneOf(graphCloudNames as [GraphCloud, ...GraphCloud[]]).default(tapPolicyDefaults.cloud),
    /** The stack's tenant: every Graph call goes to it and its tokens are checked to be its (required in a fleet). */
    tenantId: objectId("the tenant's id (a GUID)").optional(),
    wave: deployWaveSchema(),
    policy,
    audience,
    grants: z.array(temporaryAccessGrantConfigSchema(), { error: "a list of grants" }).default([]),
    monitoring: tapMonitoringConfigSchema().optional(),
    handover,
    knownIssuers: knownIssuersConfigSchema(),
    bootstrap: bootstrapConfigSchema(),
  });
  return { policy, audience, handover, stack };
}

/**
 * Built once per process, when first needed: building them was most of the time of validating a config that is
 * refused (6 ms of 6.3), which the config's property test does 3,000 times. A zod schema is immutable: each
 * validation adds its rules to a copy.
 */
let builtSections: ReturnType<typeof sectionSchemas> | undefined;

/**
 * The whole config's schema, grants judged at `now`. Keys in `refusedKeys` were refused as read (a hostile shape):
 * rules that would read them are skipped rather than report a consequence of the same problem.
 */
export function stackConfigSchema(now: number, refusedKeys: readonly string[] = []) {
  const sections = (builtSections ??= sectionSchemas());
  return sections.stack
    .superRefine((config, ctx) => {
      // Runs on what parsed, even when some fields did not: each rule looks only at what it can trust.
      const isValid = (key: "policy" | "audience" | "handover") =>
        !refusedKeys.includes(key) && sections[key].safeParse(config[key]).success;
      const policyIsValid = isValid("policy");
      const audienceIsValid = isValid("audience");
      // With an audience given, its own messages say what is wrong with its targets: not repeated here.
      if (
        policyIsValid &&
        config.policy.state === "enabled" &&
        config.policy.includeTargets.length === 0 &&
        config.audience === undefined &&
        audienceIsValid
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["policy", "includeTargets"],
          input: config.policy.includeTargets,
          message:
            "at least one target while state is enabled (here, or groups in entra-tap:audience.targets)",
        });
      }
      if (!Array.isArray(config.grants)) return;
      const problems = grantProblems({
        grants: withGrantLifetimes(config),
        // A policy or audience that is itself refused is not compared with every grant: its own message says what
        // to fix.
        policy: policyIsValid ? config.policy : undefined,
        targetGroups: audienceIsValid ? Object.keys(config.audience?.targets ?? {}) : undefined,
        handover: isValid("handover") ? config.handover : undefined,
        now,
      });
      for (const problem of problems) {
        ctx.addIssue({ code: "custom", path: problem.path, input: problem.value, message: problem.allowed });
      }
    })
    .transform((config) => ({ ...config, grants: withGrantLifetimes(config) }));
}

/** The grants with their lifetimes known: a grant without its own gets the policy's default. */
function withGrantLifetimes(config: { policy: TapPolicyConfig; grants: TemporaryAccessGrantConfig[] }) {
  return config.grants.map((grant) => ({
    ...grant,
    lifetimeInMinutes: grant?.lifetimeInMinutes ?? config.policy?.defaultLifetimeInMinutes,
  }));
}

export type StackConfig = z.output<ReturnType<typeof stackConfigSchema>>;

/**
 * The last config found valid in this process, by its text and time: the offline plan validates the stack before it
 * runs the program, which validates the same config at the same instant (`judgeStackAt`). The same input, the same
 * answer.
 */
let lastValid: { key: string; config: StackConfig } | undefined;

/**
 * Validates the stack's raw config, as Pulumi hands it to a program (`namespace:key` → string, structured values
 * as JSON). Keys of other namespaces (azure-native:location, ...) are not ours and are left alone. Grants are judged
 * at `now`. Throws a ValidationError with one message per problem, each naming `entra-tap:<key path>`.
 */
export function parseStackConfig(raw: Record<string, string>, now: number = Date.now()): StackConfig {
  const key = `${now}\n${JSON.stringify(raw)}`;
  if (lastValid?.key === key) return lastValid.config;
  const read = readRawConfig(raw, configNamespace);
  const refusedKeys = read.refusedPaths.filter((path) => path.length === 1).map((path) => String(path[0]));
  const result = stackConfigSchema(now, refusedKeys).safeParse(read.values, { reportInput: true });
  if (result.success && read.problems.length === 0) {
    lastValid = { key, config: result.data };
    return result.data;
  }
  // A value refused as read (a hostile shape) is not judged again by the schema: one problem, one message.
  const schemaProblems = result.success
    ? []
    : problemsFromZod(result.error).filter((p) => !isAboutRefused(p.path, read.refusedPaths));
  const messages = [...read.problems, ...schemaProblems].map((p) =>
    formatProblem(`${configNamespace}:`, p, isSecretMonitoringPath),
  );
  throw new ValidationError([...new Set(messages)]);
}
