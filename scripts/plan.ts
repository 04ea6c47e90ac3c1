// The offline plan: evaluates index.ts for a stack under Pulumi's mock runtime, with the stack's config file and
// no CLI, cloud or credentials, and prints the resources the program declares. Not a diff against the tenant.
//
//   npm run plan -- --stack dev [--json] [--config-file <path>] [--at <ISO date>] [--policy-config <file>]
//                               [--existing-stack]
//   npm run plan -- --help        # every flag, and the exit statuses (scripts/cli.ts holds them)
//
// The provider plugin's `check` runs on each of its resources, as the engine runs it before registering: what it
// refuses, the plan refuses (exit 2), naming the refusals that depend on the stack's state.
//
// The plan judges the stack at one instant, --at or when it started: its own validation of the config and the
// program's, which reads that instant from config/index.ts (`judgeStackAt`, set here before the program is
// evaluated) and passes it to every component that judges time. The clock itself is left alone; the provider's
// `check` of a PIM membership, which reads the clock under the engine, is run at the plan's instant.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stringify as stringifyYaml } from "yaml";
import { maskSecretShapedText } from "../components/validation";
import { policies } from "../policies/policies";
import { judgeStackAt } from "../config";
import {
  type CliIo,
  type CommandSpec,
  exitCodes,
  problemList,
  processIo,
  readStackConfig,
  runAsMain,
  runCommand,
  type StackOptions,
} from "./cli";
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
import { checkProviderResources, lookedUpObjectId } from "./providerChecks";
import { projectDir, projectName, type StackFileConfig } from "./stackFile";

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

interface PlanOptions extends StackOptions {
  json?: boolean;
  at?: string;
  policyConfig?: string;
  existingStack?: boolean;
}

const planCommand: CommandSpec<PlanOptions> = {
  command: "plan",
  description:
    "The offline plan: evaluates index.ts for a stack with Pulumi's mock runtime and the stack's config file, with " +
    "no CLI, cloud or credentials; lists the resources it declares and runs the policy pack over them. Not a diff " +
    "against the live tenant: `pulumi preview` gives that.",
  stackHelp: "the stack to plan, whose config is Pulumi.<name>.yaml",
  configFileHelp: "read the stack's config from this file instead, as `pulumi preview --config-file` does",
  options: (program) =>
    program
      .option(
        "--json",
        "print the plan as JSON: { stack, resources, violations } (errors and warnings when refused)",
      )
      .option(
        "--at <ISO date>",
        "plan the stack as of this instant (which grants are active or ended then); default: now",
      )
      .option("--policy-config <file>", "run the policy pack with this pack config (as --policy-pack-config)")
      .option(
        "--existing-stack",
        "check the resources as a stack that already holds them (an update), not as a new one",
      ),
  check: (options) =>
    options.at !== undefined && Number.isNaN(Date.parse(options.at))
      ? `--at ${JSON.stringify(options.at)} is not an ISO 8601 date`
      : undefined,
  helpBefore: [
    "The provider plugin's `check` runs on each of its resources, as the engine runs it before registering: what it",
    "refuses, the plan refuses, naming the refusals that depend on the stack's state (the plan has none).",
  ],
};

/** The instant the whole plan judges the stack at: --at, else when the plan started. */
function planInstant(options: PlanOptions, io: CliIo): number {
  return options.at === undefined ? (io.now?.() ?? Date.now()) : Date.parse(options.at);
}

function readPackConfig(options: PlanOptions): PackConfig {
  return options.policyConfig
    ? (JSON.parse(fs.readFileSync(options.policyConfig, "utf8")) as PackConfig)
    : {};
}

/** A stack refused, with one message per problem: as JSON on stdout with --json, else on stderr. */
function refuse(options: PlanOptions, io: CliIo, problems: string[], warnings: string[] = []): number {
  if (options.json) {
    const output = { stack: options.stack, resources: [], violations: [], errors: problems, warnings };
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    io.stderr(problemList(`Stack "${options.stack}" is refused:`, problems, warnings));
  }
  return exitCodes.plan.usage;
}

function printPlan(options: PlanOptions, io: CliIo, plan: Plan): number {
  const { stack, resources, violations } = plan;
  io.stdout(
    `${options.json ? JSON.stringify({ stack, resources, violations }, null, 2) : renderPlanText(plan)}\n`,
  );
  return hasMandatoryViolation(violations) ? exitCodes.plan.violations : exitCodes.plan.ok;
}

/**
 * `npm run plan`: the instant, the config read and validated at it, the program evaluated at it, then the providers'
 * checks and the policy pack run over what it declares. The program is evaluated once per process: a second plan
 * that gets that far needs a process of its own.
 */
export function runPlan(argv: string[], io: CliIo): Promise<number> {
  return runCommand(planCommand, argv, io, async (options) => {
    const now = planInstant(options, io);
    const stack = readStackConfig(options, now);
    if ("problems" in stack) return refuse(options, io, stack.problems);
    const packConfig = readPackConfig(options);
    const plan = await planStack(
      projectDir,
      options.stack,
      stack.stackFile,
      packConfig,
      options.existingStack,
      now,
    );
    if (plan.refusals.length > 0) return refuse(options, io, plan.refusals, plan.warnings);
    return printPlan(options, io, plan);
  });
}

if (require.main === module) {
  skipSourceMappedStacks();
  runAsMain(runPlan, processIo());
}
