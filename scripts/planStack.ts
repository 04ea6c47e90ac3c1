// The offline plan's core: index.ts evaluated for a stack under Pulumi's mock runtime, the providers' checks and the
// policy pack run over what it declares, and the plan as text. The command (scripts/plan.ts) loads it once the stack's
// config is valid: the SDK it brings is most of the command's start.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stringify as stringifyYaml } from "yaml";
import { maskSecretShapedText } from "../components/validation";
import { judgeStackAt } from "../config/program";
import { policies } from "../policies/policies";
import {
  type DeclaredResource,
  displayInputs,
  maskedSecret,
  recordDeclaredResources,
} from "./declaredResources";
import { type PackConfig, policyProps, runPolicies, type Violation } from "./policyRunner";
import { checkProviderResources, lookedUpObjectId } from "./providerChecks";
import { type ConfigLayer, projectName, type StackFileConfig } from "./stackFile";

/** A declared resource as the plan shows it: secrets masked, no serialized provider code. */
export type PlannedResource = Pick<DeclaredResource, "type" | "name" | "parent" | "inputs">;

/** A key of the stack's merged config: its value as the program sees it (secrets masked) and the layer it came from. */
export interface PlannedConfigValue {
  layer: ConfigLayer;
  value: unknown;
}

export interface Plan {
  stack: string;
  /** The merged config, key by key: the project's standard under the stack's file (scripts/stackFile.ts). */
  config: Record<string, PlannedConfigValue>;
  resources: PlannedResource[];
  violations: Violation[];
  /** The providers' `check` refusals, as `pulumi preview` of a new stack would report them. */
  refusals: string[];
  /** Which refusals depend on the stack's state (the plan has none). */
  warnings: string[];
  /** Outputs the engine keeps secret, by resource name (a pass's passcode): shown masked in the text plan. */
  secretOutputs: Record<string, string[]>;
}

/**
 * Evaluates the program in `dir` for `stack` under the mock runtime (once per process) and returns the resources it
 * declares, its root stack left out. With `now`, entra-tap's program judges the stack at that instant (ms since the
 * epoch) rather than at the clock's time.
 */
export async function evaluateProgram(
  dir: string,
  stack: string,
  stackConfig: StackFileConfig,
  now?: number,
): Promise<DeclaredResource[]> {
  if (now !== undefined) judgeStackAt(now);
  pulumi.runtime.setAllConfig(stackConfig.config, stackConfig.secretKeys);
  const declared = await recordDeclaredResources({
    project: projectName,
    stack,
    preview: true,
    // Directory look-ups happen at preview and apply; the plan says what they will return.
    invokeResults: (token, inputs) => {
      if (token === "azuread:index/getUser:getUser") {
        return { ...inputs, objectId: lookedUpObjectId(String(inputs.userPrincipalName)) };
      }
      if (token === "azuread:index/getGroup:getGroup") {
        return { ...inputs, members: [`(members of group ${String(inputs.objectId)})`] };
      }
      return undefined;
    },
  });
  // Every resource the program constructs, registered or not: one whose inputs never become known offline would
  // otherwise be missing from the plan without a word. The program runs inside a root stack, as under the CLI.
  const constructed: string[] = [];
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      constructed.push(`${args.type}::${args.name}`);
      return undefined;
    });
    return import(path.join(dir, "index"));
  });
  await pulumi.runtime.disconnect();
  const registered = new Set(declared.map((r) => `${r.type}::${r.name}`));
  const unplanned = constructed.filter((key) => !registered.has(key));
  if (unplanned.length > 0) {
    throw new Error(`the offline plan could not evaluate these resources' inputs: ${unplanned.join(", ")}`);
  }
  return declared.filter((r) => r.type !== pulumi.runtime.rootPulumiStackTypeName);
}

/** Evaluates the program for `stack` under the mock runtime (at `now`, if given) and returns what it declares. */
export async function planStack(
  dir: string,
  stack: string,
  stackConfig: StackFileConfig,
  packConfig: PackConfig = {},
  existingStack = false,
  now?: number,
): Promise<Plan> {
  const programResources = await evaluateProgram(dir, stack, stackConfig, now);
  const stackName = `${projectName}-${stack}`;
  const resources = programResources.map(({ type, name, parent, inputs }) => ({
    type,
    name,
    parent: parent === stackName ? null : parent,
    inputs: displayInputs(inputs),
  }));
  const secretOutputs = Object.fromEntries(
    programResources
      .filter((r) => r.additionalSecretOutputs.length > 0)
      .map((r) => [r.name, r.additionalSecretOutputs]),
  );
  const checks = await checkProviderResources(programResources, existingStack, now);
  const checked = programResources.map((r) => ({ type: r.type, name: r.name, props: policyProps(r.inputs) }));
  const violations = (await runPolicies(policies, checked, packConfig)).map((v) => ({
    ...v,
    message: maskSecretShapedText(v.message),
  }));
  return {
    stack,
    config: plannedConfig(stackConfig),
    resources,
    violations,
    secretOutputs,
    refusals: checks.failures,
    warnings: checks.stateDependent,
  };
}

/** The merged config as the plan shows it: each key's value (JSON parsed, secrets already masked) and layer. */
function plannedConfig(stackConfig: StackFileConfig): Record<string, PlannedConfigValue> {
  return Object.fromEntries(
    Object.entries(stackConfig.config).map(([key, text]) => {
      let value: unknown = text;
      try {
        value = JSON.parse(text);
      } catch {
        // A plain string, as Pulumi hands it.
      }
      return [key, { layer: stackConfig.layers[key] ?? "stack", value }];
    }),
  );
}

export function renderPlanText(plan: Plan): string {
  const lines = [
    `Offline plan of stack "${plan.stack}": the resources index.ts declares and their inputs, config checked.`,
    "It is not a diff against the live tenant: `pulumi preview` gives that.",
    "",
    "Config, key by key (project: Pulumi.yaml's standard; stack: the stack's file):",
    ...Object.entries(plan.config).map(([key, { layer }]) => `  ${key}: ${layer}`),
    "",
  ];
  // Each resource under its parent, in the order the program declared them; children looked up once, not per parent.
  const children = new Map<string | null, PlannedResource[]>();
  for (const r of plan.resources) {
    const siblings = children.get(r.parent);
    if (siblings) siblings.push(r);
    else children.set(r.parent, [r]);
  }
  const print = (resource: PlannedResource, depth: number) => {
    const indent = "  ".repeat(depth);
    lines.push(`${indent}${resource.type}  ${resource.name}`);
    for (const output of plan.secretOutputs[resource.name] ?? []) {
      lines.push(`${indent}    ${output}: ${maskedSecret} (output, known after apply)`);
    }
    if (Object.keys(resource.inputs).length > 0) {
      const inputs = stringifyYaml(resource.inputs, { lineWidth: 0 }).trimEnd();
      lines.push(...inputs.split("\n").map((line) => `${indent}    ${line}`));
    }
    for (const child of children.get(resource.name) ?? []) {
      if (child !== resource) print(child, depth + 1);
    }
  };
  for (const root of children.get(null) ?? []) print(root, 0);
  if (plan.violations.length > 0) {
    lines.push("", "Policy violations:");
    for (const v of plan.violations) {
      lines.push(
        `  [${v.enforcementLevel}] ${v.policy}${v.resource ? ` (${v.resource})` : ""}: ${v.message}`,
      );
    }
  }
  lines.push("", `${plan.resources.length} resources, ${plan.violations.length} policy violations.`);
  return lines.join("\n");
}
