// The offline plan: evaluates index.ts for a stack under Pulumi's mock runtime, with the stack's config file and
// no CLI, cloud or credentials, and prints the resources the program declares. Not a diff against the tenant.
//
//   npm run plan -- --stack dev [--json] [--config-file <path>] [--at <ISO date>] [--policy-config <file>]
//                               [--existing-stack]
//
// --config-file reads the stack's config from another file, as `pulumi preview --config-file` does.
// --at evaluates the stack as of another time (which grants are active or expired then).
// --policy-config runs the policy pack with a pack config (as `--policy-pack-config`); by default, its defaults.
// --existing-stack checks the resources as a stack that already holds them (an update); by default, as a new stack.
//
// The providers' `check` runs on every dynamic resource, as the engine runs it before registering: what it refuses,
// the plan refuses (exit 2), naming the refusals that depend on the stack's state.
//
// Exit status: 0 when the stack is valid and passes the mandatory policies, 1 when a mandatory policy is violated,
// 2 when its config is invalid or it cannot be evaluated.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { stringify as stringifyYaml } from "yaml";
import { maskSecretShapedText, ValidationError } from "../components/validation";
import { policies } from "../policies/policies";
import { parseStackConfig } from "../config";
import {
  hasMandatoryViolation,
  type PackConfig,
  policyProps,
  runPolicies,
  type Violation,
} from "./policyRunner";
import {
  type DeclaredResource,
  displayInputs,
  maskedSecret,
  recordDeclaredResources,
} from "./declaredResources";
import { checkDynamicResources, lookedUpObjectId } from "./providerChecks";
import { readStackFile, type StackFileConfig } from "./stackFile";

const projectDir = path.resolve(__dirname, "..");
const projectName = "entra-tap";
/** A declared resource as the plan shows it: secrets masked, no serialized provider code. */
export type PlannedResource = Pick<DeclaredResource, "type" | "name" | "parent" | "inputs">;

export interface Plan {
  stack: string;
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
 * declares, its root stack left out.
 */
export async function evaluateProgram(
  dir: string,
  stack: string,
  stackConfig: StackFileConfig,
): Promise<DeclaredResource[]> {
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

/** Evaluates the program for `stack` under the mock runtime and returns what it declares. */
export async function planStack(
  dir: string,
  stack: string,
  stackConfig: StackFileConfig,
  packConfig: PackConfig = {},
  existingStack = false,
): Promise<Plan> {
  const programResources = await evaluateProgram(dir, stack, stackConfig);
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
  const checks = await checkDynamicResources(programResources, existingStack);
  const checked = programResources.map((r) => ({ type: r.type, name: r.name, props: policyProps(r.inputs) }));
  const violations = (await runPolicies(policies, checked, packConfig)).map((v) => ({
    ...v,
    message: maskSecretShapedText(v.message),
  }));
  return {
    stack,
    resources,
    violations,
    secretOutputs,
    refusals: checks.failures,
    warnings: checks.stateDependent,
  };
}

export function renderPlanText(plan: Plan): string {
  const lines = [
    `Offline plan of stack "${plan.stack}": the resources index.ts declares and their inputs, config checked.`,
    "It is not a diff against the live tenant: `pulumi preview` gives that.",
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

/**
 * The Pulumi SDK takes a stack trace for every promise it makes (several per property of every resource), and under
 * tsx Node maps each frame back to the TypeScript source: a third of the plan's time at 1,000 grants. The plan prints
 * messages, never stacks, so it leaves them unmapped, unless asked for them with --enable-source-maps.
 */
function skipSourceMappedStacks(): void {
  const asked = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) =>
    arg.includes("--enable-source-maps"),
  );
  if (!asked) process.setSourceMapsEnabled(false);
}

async function main(): Promise<number> {
  skipSourceMappedStacks();
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      json: { type: "boolean", default: false },
      "config-file": { type: "string" },
      at: { type: "string" },
      "policy-config": { type: "string" },
      "existing-stack": { type: "boolean", default: false },
    },
  });
  if (!values.stack) {
    console.error(
      "usage: npm run plan -- --stack <name> [--json] [--config-file <path>] [--at <ISO date>] [--policy-config <file>] [--existing-stack]",
    );
    return 2;
  }
  const at = values.at === undefined ? Date.now() : Date.parse(values.at);
  if (Number.isNaN(at)) {
    console.error(`--at ${JSON.stringify(values.at)} is not an ISO 8601 date`);
    return 2;
  }
  // The program judges grants by the clock. The plan stops it (at --at, or when it started): the whole plan judges the
  // stack at one instant, and the program's validation of the config is the plan's own, not a second one.
  Date.now = () => at;
  const stackConfig = readStackFile(
    values["config-file"] ?? path.join(projectDir, `Pulumi.${values.stack}.yaml`),
    projectName,
  );
  const refuse = (problems: string[], warnings: string[] = []) => {
    if (values.json) {
      const output = { stack: values.stack, resources: [], violations: [], errors: problems, warnings };
      console.log(JSON.stringify(output, null, 2));
    } else {
      console.error(`Stack "${values.stack}" is refused:`);
      for (const problem of problems) console.error(`  ${problem}`);
      for (const warning of warnings) console.error(`  warning: ${warning}`);
    }
    return 2;
  };
  try {
    parseStackConfig(stackConfig.config);
    if (stackConfig.problems.length > 0) return refuse(stackConfig.problems);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return refuse([...stackConfig.problems, ...error.problems]);
  }
  const packConfig = values["policy-config"]
    ? (JSON.parse(fs.readFileSync(values["policy-config"], "utf8")) as PackConfig)
    : {};
  const plan = await planStack(projectDir, values.stack, stackConfig, packConfig, values["existing-stack"]);
  if (plan.refusals.length > 0) return refuse(plan.refusals, plan.warnings);
  const { stack, resources, violations } = plan;
  console.log(values.json ? JSON.stringify({ stack, resources, violations }, null, 2) : renderPlanText(plan));
  return hasMandatoryViolation(violations) ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(maskSecretShapedText(error instanceof Error ? error.message : String(error)));
      process.exit(2);
    },
  );
}
