// Runs the policy pack's policies over declared resources without the engine: for the offline plan and the tests.
// Config follows `pulumi preview --policy-pack-config`: { "all": level, "<policy>": level | { enforcementLevel, ... } }.
import type {
  EnforcementLevel,
  Policy,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { mapEngineValues } from "./declaredResources";

export interface Violation {
  policy: string;
  enforcementLevel: EnforcementLevel;
  message: string;
  /** The resource's name; null for a stack-wide violation. */
  resource: string | null;
}

export interface CheckedResource {
  type: string;
  name: string;
  /** Inputs with secrets as plain values and values not yet known as undefined, as policies receive them. */
  props: Record<string, unknown>;
}

export type PackConfig = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

type AnyPolicy = Policy & Partial<ResourceValidationPolicy> & Partial<StackValidationPolicy>;

class NotApplicable extends Error {}

/** Engine-side values as a policy sees them: secrets as their values, values not known yet as undefined. */
export function policyProps(inputs: Record<string, unknown>): Record<string, unknown> {
  return mapEngineValues(inputs, (innerValue) => innerValue, undefined);
}

/** The level a policy runs at: its own entry, then `all`, then its default. */
export function enforcementLevelOf(policy: Policy, config: PackConfig): EnforcementLevel {
  const own = config[policy.name];
  if (typeof own === "string") return own;
  if (own?.enforcementLevel) return own.enforcementLevel;
  const all = config.all;
  if (typeof all === "string") return all;
  return policy.enforcementLevel ?? "advisory";
}

/** The policy's config as the engine hands it over: its `configSchema` defaults, with the pack config on top. */
export function policyConfig(policy: Policy, config: PackConfig): Record<string, unknown> {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {})
      .filter(([, property]) => typeof property === "object" && property !== null && "default" in property)
      .map(([key, property]) => [key, structuredClone((property as { default: unknown }).default)]),
  );
  const own = config[policy.name];
  if (typeof own !== "object" || own === null) return defaults;
  const { enforcementLevel: _level, ...settings } = own;
  return { ...defaults, ...settings };
}

function urnOf(resource: CheckedResource): string {
  return `urn:pulumi:plan::entra-tap::${resource.type}::${resource.name}`;
}

function asPolicyResource(resource: CheckedResource): PolicyResource {
  return {
    type: resource.type,
    name: resource.name,
    urn: urnOf(resource),
    props: resource.props,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      additionalSecretOutputs: [],
    } as unknown as PolicyResource["opts"],
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  };
}

/** Runs every enabled policy over the resources; a policy that reports not-applicable reports nothing. */
export async function runPolicies(
  policies: readonly AnyPolicy[],
  resources: readonly CheckedResource[],
  config: PackConfig = {},
): Promise<Violation[]> {
  const violations: Violation[] = [];
  const byUrn = new Map(resources.map((r) => [urnOf(r), r.name]));
  // Each resource as the policies see it, built once and shared by every policy (they read it, as they read props).
  const policyResources = resources.map(asPolicyResource);
  for (const policy of policies) {
    const enforcementLevel = enforcementLevelOf(policy, config);
    if (enforcementLevel === "disabled") continue;
    const common = {
      stackTags: new Map<string, string>(),
      getConfig: <T extends object>() => policyConfig(policy, config) as T,
      notApplicable: (reason?: string): never => {
        throw new NotApplicable(reason);
      },
    };
    const report = (resource: string | null) => (message: string, urn?: string) =>
      violations.push({
        policy: policy.name,
        enforcementLevel,
        message,
        resource: urn ? (byUrn.get(urn) ?? urn) : resource,
      });
    try {
      if (policy.validateResource) {
        const validations = Array.isArray(policy.validateResource)
          ? policy.validateResource
          : [policy.validateResource];
        for (const [index, resource] of resources.entries()) {
          const args = { ...policyResources[index], ...common } as unknown as ResourceValidationArgs;
          for (const validate of validations) await validate(args, report(resource.name));
        }
      }
      if (policy.validateStack) {
        const args = { resources: [...policyResources], ...common } as StackValidationArgs;
        await policy.validateStack(args, report(null));
      }
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
    }
  }
  return violations;
}

export function hasMandatoryViolation(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate");
}
