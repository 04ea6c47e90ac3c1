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
// program's, which reads that instant from config/program.ts (`judgeStackAt`, set before the program is
// evaluated) and passes it to every component that judges time. The clock itself is left alone; the provider's
// `check` of a PIM membership, which reads the clock under the engine, is run at the plan's instant.
import * as fs from "node:fs";
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
import type { Plan } from "./planStack";
import type { PackConfig } from "./policyRunner";
import { projectDir } from "./stackFile";

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
        "print the plan as JSON: { stack, config: { <key>: { layer, value } }, resources, violations } (errors and " +
          "warnings when refused)",
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

async function printPlan(options: PlanOptions, io: CliIo, plan: Plan): Promise<number> {
  const [{ renderPlanText }, { hasMandatoryViolation }] = await Promise.all([
    import("./planStack"),
    import("./policyRunner"),
  ]);
  const { stack, config, resources, violations } = plan;
  io.stdout(
    `${options.json ? JSON.stringify({ stack, config, resources, violations }, null, 2) : renderPlanText(plan)}\n`,
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
    // The SDK and the pack, loaded once the config is valid: `--help` and a refused config do without them.
    const { planStack } = await import("./planStack");
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
