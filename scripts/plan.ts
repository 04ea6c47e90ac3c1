// The offline plan: evaluates index.ts for a stack under Pulumi's mock runtime, with the stack's config file and
// no CLI, cloud or credentials, and prints the resources the program declares. Not a diff against the tenant.
//
//   npm run plan -- --stack dev [--json] [--config-file <path>] [--at <ISO date>] [--policy-config <file>]
//
// --config-file reads the stack's config from another file, as `pulumi preview --config-file` does.
// --at evaluates the stack as of another time (which grants are active or expired then).
// --policy-config runs the policy pack with a pack config (as `--policy-pack-config`); by default, its defaults.
//
// Exit status: 0 when the stack is valid and passes the mandatory policies, 1 when a mandatory policy is violated,
// 2 when its config is invalid or it cannot be evaluated.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { undecryptedSecret, ValidationError } from "../components/validation";
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

const projectDir = path.resolve(__dirname, "..");
const projectName = "entra-tap";
/** A declared resource as the plan shows it: secrets masked, no serialized provider code. */
export type PlannedResource = Pick<DeclaredResource, "type" | "name" | "parent" | "inputs">;

export interface Plan {
  stack: string;
  resources: PlannedResource[];
  violations: Violation[];
  /** Outputs the engine keeps secret, by resource name (a pass's passcode): shown masked in the text plan. */
  secretOutputs: Record<string, string[]>;
}

export interface StackFileConfig {
  /** `namespace:key` → value as Pulumi hands it to a program (structured values as JSON). */
  config: Record<string, string>;
  /** Keys holding a `secure:` value somewhere; the plan cannot decrypt them and shows them masked. */
  secretKeys: string[];
}

/** Reads a stack's config file the way the CLI presents it to a program; `secure:` values become a mask. */
export function readStackFile(file: string): StackFileConfig {
  if (!fs.existsSync(file)) throw new Error(`no stack config file ${file}`);
  const document = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, rawValue] of Object.entries(document.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${projectName}:${rawKey}`;
    let secret = false;
    const value = replaceSecure(rawValue, () => (secret = true));
    if (secret) secretKeys.push(key);
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config, secretKeys };
}

function replaceSecure(value: unknown, onSecret: () => void): unknown {
  if (Array.isArray(value)) return value.map((item) => replaceSecure(item, onSecret));
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === "secure") {
      onSecret();
      return undecryptedSecret;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, replaceSecure(v, onSecret)]));
  }
  return value;
}

/** Evaluates the program for `stack` under the mock runtime and returns what it declares. */
export async function planStack(
  dir: string,
  stack: string,
  stackConfig: StackFileConfig,
  packConfig: PackConfig = {},
): Promise<Plan> {
  pulumi.runtime.setAllConfig(stackConfig.config, stackConfig.secretKeys);
  const declared = await recordDeclaredResources({
    project: projectName,
    stack,
    preview: true,
    // Directory look-ups happen at preview and apply; the plan says what they will return.
    invokeResults: (token, inputs) => {
      if (token === "azuread:index/getUser:getUser") {
        return { ...inputs, objectId: `(object id of ${String(inputs.userPrincipalName)})` };
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
  const stackName = `${projectName}-${stack}`;
  const programResources = declared.filter((r) => r.type !== pulumi.runtime.rootPulumiStackTypeName);
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
  const checked = programResources.map((r) => ({ type: r.type, name: r.name, props: policyProps(r.inputs) }));
  const violations = await runPolicies(policies, checked, packConfig);
  return { stack, resources, violations, secretOutputs };
}

export function renderPlanText(plan: Plan): string {
  const lines = [
    `Offline plan of stack "${plan.stack}": the resources index.ts declares and their inputs, config checked.`,
    "It is not a diff against the live tenant: `pulumi preview` gives that.",
    "",
  ];
  // Each resource under its parent, in the order the program declared them.
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
    for (const child of plan.resources.filter((r) => r.parent === resource.name && r !== resource)) {
      print(child, depth + 1);
    }
  };
  for (const root of plan.resources.filter((r) => r.parent === null)) print(root, 0);
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

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      json: { type: "boolean", default: false },
      "config-file": { type: "string" },
      at: { type: "string" },
      "policy-config": { type: "string" },
    },
  });
  if (!values.stack) {
    console.error(
      "usage: npm run plan -- --stack <name> [--json] [--config-file <path>] [--at <ISO date>] [--policy-config <file>]",
    );
    return 2;
  }
  if (values.at !== undefined) {
    const at = Date.parse(values.at);
    if (Number.isNaN(at)) {
      console.error(`--at ${JSON.stringify(values.at)} is not an ISO 8601 date`);
      return 2;
    }
    // The program judges grants by the clock; the plan moves the clock, nothing else.
    Date.now = () => at;
  }
  const stackConfig = readStackFile(
    values["config-file"] ?? path.join(projectDir, `Pulumi.${values.stack}.yaml`),
  );
  try {
    parseStackConfig(stackConfig.config);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    if (values.json) {
      console.log(
        JSON.stringify(
          { stack: values.stack, resources: [], violations: [], errors: error.problems },
          null,
          2,
        ),
      );
    } else {
      console.error(`Stack "${values.stack}" has invalid configuration:`);
      for (const problem of error.problems) console.error(`  ${problem}`);
    }
    return 2;
  }
  const packConfig = values["policy-config"]
    ? (JSON.parse(fs.readFileSync(values["policy-config"], "utf8")) as PackConfig)
    : {};
  const plan = await planStack(projectDir, values.stack, stackConfig, packConfig);
  const { stack, resources, violations } = plan;
  console.log(values.json ? JSON.stringify({ stack, resources, violations }, null, 2) : renderPlanText(plan));
  return hasMandatoryViolation(violations) ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
