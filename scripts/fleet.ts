// `npm run fleet -- <plan|preview|up|review> [--stacks <glob>] [--concurrency N] [--markdown|--json] [--restart]
//   [--stack-env <pattern>] [--write-budget N] [--policy-config <file>]`: every stack of the project (a tenant each,
// Pulumi.<tenant>.yaml) through the same command, each in a process of its own (scripts/fleet/worker.ts; the
// Automation API is not safe for parallel stacks in one Node.js process), at most N at a time, sharing one budget of
// Graph writes; then one report.
// A failing tenant never stops the others, and running the same command again continues the work (.fleet/).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Argument, Option } from "commander";
import { parse as parseEnv } from "dotenv";
import picomatch from "picomatch";
import { mapWithConcurrency } from "../components/graph/batch";
import { writeBudgetVariable } from "../components/graph/writeBudget";
import {
  type CliIo,
  CommandFailure,
  type CommandSpec,
  exitCodes,
  processIo,
  runAsMain,
  runCommand,
  type StackOptions,
} from "./cli";
import { journalFile, openJournal, saveJournal, tenantRunFiles } from "./fleet/journal";
import { fleetReport, renderFleetMarkdown, renderFleetTable } from "./fleet/report";
import { type FleetCommand, fleetCommands, standardPackConfig, type TenantResult } from "./fleet/result";
import { serveWriteBudget } from "./fleet/writeBudget";
import { projectDir, readStackFile } from "./stackFile";

export const fleetExitCodes = exitCodes.fleet;

/**
 * The default write budget: half the app's documented write quota across all tenants (Microsoft Graph throttling
 * limits, identity and access: 70,000 writes per 5 minutes per application), leaving the rest to the app's other runs.
 */
const defaultWritesPerFiveMinutes = 35_000;

interface FleetOptions extends Partial<StackOptions> {
  command: FleetCommand;
  stacks: string;
  concurrency: string;
  markdown?: boolean;
  json?: boolean;
  restart?: boolean;
  stackEnv?: string;
  writeBudget: string;
  policyConfig: string;
}

const positiveInteger = (flag: string, value: string, max: number) =>
  /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max
    ? undefined
    : `${flag} ${JSON.stringify(value)}: allowed: an integer from 1 to ${max}`;

const fleetCommand: CommandSpec<FleetOptions> = {
  command: "fleet",
  argumentField: "command",
  description:
    "Runs one command over every tenant's stack (Pulumi.<tenant>.yaml), each in its own process, a few at a time, " +
    "with one shared budget of Graph writes, and reports per tenant and in total. The policy pack runs with the " +
    "standard's config (policies/config/strict.json) unless --policy-config names another.",
  options: (program) =>
    program
      .addArgument(new Argument("<command>", "what to run in each tenant").choices(fleetCommands))
      .option("--stacks <glob>", "the stacks to run, by name (picomatch glob)", "*")
      .option("--concurrency <n>", "how many tenants at a time (1 to 64)", "4")
      .addOption(new Option("--markdown", "print the report as Markdown").conflicts("json"))
      .option("--json", "print the report as JSON")
      .option("--restart", "start afresh rather than continue an unfinished run (.fleet/<command>.json)")
      .option(
        "--stack-env <pattern>",
        "a file of environment variables for each stack, {stack} replaced by its name (e.g. .sandbox/{stack}/env)",
      )
      .option(
        "--write-budget <n>",
        "Graph writes allowed per 5 minutes across all tenants (1 to 130000)",
        String(defaultWritesPerFiveMinutes),
      )
      .option(
        "--policy-config <file>",
        "the policy pack's config in every tenant (as --policy-pack-config)",
        path.relative(projectDir, standardPackConfig),
      ),
  check: (options) =>
    positiveInteger("--concurrency", options.concurrency, 64) ??
    positiveInteger("--write-budget", options.writeBudget, 130_000) ??
    (options.stackEnv !== undefined && !options.stackEnv.includes("{stack}")
      ? `--stack-env ${JSON.stringify(options.stackEnv)}: allowed: a path holding {stack}`
      : undefined) ??
    (fs.existsSync(options.policyConfig)
      ? undefined
      : `--policy-config ${JSON.stringify(options.policyConfig)}: allowed: a pack config file (no such file)`),
  helpAfter: [
    "Each tenant's stack must name its tenant (entra-tap:tenantId): its process signs in there (AZURE_TENANT_ID) and",
    "every Graph token is checked to be that tenant's. See docs/fleet.md.",
  ],
};

/** The project's stacks, by their files' names, that `glob` matches, in name order. */
export function fleetStacks(dir: string, glob: string): string[] {
  const matches = picomatch(glob);
  return fs
    .readdirSync(dir)
    .flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? [])
    .filter((stack) => matches(stack))
    .sort();
}

/** The environment of a tenant's process: ours, its env file's, its tenant, and the write budget. */
function tenantEnvironment(
  stack: string,
  tenantId: string,
  options: FleetOptions,
  budget: string,
): NodeJS.ProcessEnv {
  const file = options.stackEnv?.replaceAll("{stack}", stack);
  if (file !== undefined && !fs.existsSync(file)) {
    throw new Error(`--stack-env: no file ${file} for stack ${stack}`);
  }
  const own = file ? parseEnv(fs.readFileSync(file)) : {};
  return { ...process.env, ...own, AZURE_TENANT_ID: tenantId, [writeBudgetVariable]: budget };
}

/** The tenant's id from its stack's config, or why it cannot run in a fleet. */
function tenantOf(stack: string): string {
  const { config } = readStackFile(path.join(projectDir, `Pulumi.${stack}.yaml`));
  const tenantId = config["entra-tap:tenantId"];
  if (!tenantId) throw new Error("entra-tap:tenantId is not set: a fleet's stack must name its tenant");
  return tenantId;
}

/** Runs the worker for one tenant and reads its result; never throws (a failure is the tenant's result). */
async function runTenant(command: FleetCommand, stack: string, options: FleetOptions, budget: string) {
  const { result: resultFile, log: logFile } = tenantRunFiles(projectDir, command, stack);
  fs.mkdirSync(path.dirname(resultFile), { recursive: true });
  fs.rmSync(resultFile, { force: true });
  const started = Date.now();
  let tenantId: string | undefined;
  try {
    tenantId = tenantOf(stack);
    const env = tenantEnvironment(stack, tenantId, options, budget);
    const worker = path.join(__dirname, "fleet", "worker.ts");
    const stderr = await new Promise<string>((resolve) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", worker, command, stack, resultFile, logFile, path.resolve(options.policyConfig)],
        {
          cwd: projectDir,
          env,
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      let text = "";
      child.stderr.on("data", (chunk: Buffer) => (text = (text + chunk.toString()).slice(-4000)));
      child.on("close", () => resolve(text));
    });
    if (!fs.existsSync(resultFile)) throw new Error(`its process ended without a result: ${stderr.trim()}`);
    return { ...(JSON.parse(fs.readFileSync(resultFile, "utf8")) as TenantResult), tenantId };
  } catch (error) {
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    const message = error instanceof Error ? error.message : String(error);
    return { stack, tenantId, status: "failed", error: message, seconds } satisfies TenantResult;
  }
}

export function runFleet(argv: string[], io: CliIo): Promise<number> {
  return runCommand(fleetCommand, argv, io, async (options) => {
    const { command } = options;
    const stacks = fleetStacks(projectDir, options.stacks);
    if (stacks.length === 0) {
      throw new CommandFailure(
        `--stacks ${JSON.stringify(options.stacks)}: no stack file matches`,
        fleetExitCodes.usage,
      );
    }
    const file = journalFile(projectDir, command);
    const journal = openJournal(
      file,
      command,
      stacks,
      options.restart === true,
      new Date(io.now?.() ?? Date.now()),
    );
    const pending = stacks.filter((stack) => !(stack in journal.finished));
    const budget = await serveWriteBudget(Number(options.writeBudget), 5 * 60_000);
    let done = 0;
    try {
      io.stderr(
        `fleet ${command}: ${pending.length} of ${stacks.length} tenants to run, ${options.concurrency} at a time\n`,
      );
      const ran = await mapWithConcurrency(pending, Number(options.concurrency), async (stack) => {
        const result = await runTenant(command, stack, options, budget.url);
        done++;
        io.stderr(`[${done}/${pending.length}] ${stack}: ${result.status} (${result.seconds} s)\n`);
        if (result.status !== "failed") {
          journal.finished[stack] = result;
          saveJournal(file, journal);
        }
        return result;
      });
      const thisRun = new Map(ran.map((result) => [result.stack, result]));
      const tenants = stacks.map((stack) => {
        const now = thisRun.get(stack);
        return now
          ? { ...now, ranIn: "this run" as const }
          : { ...journal.finished[stack], ranIn: "an earlier run" as const };
      });
      const report = fleetReport(command, journal.startedAt, tenants);
      saveJournal(file, journal);
      io.stdout(
        options.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : options.markdown
            ? renderFleetMarkdown(report)
            : renderFleetTable(report),
      );
      if (report.totals.failed > 0) return fleetExitCodes.failed;
      return report.totals.attention > 0 ? fleetExitCodes.attention : fleetExitCodes.ok;
    } finally {
      await budget.close();
    }
  });
}

if (require.main === module) runAsMain(runFleet, processIo());
