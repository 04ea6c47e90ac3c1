// `npm run due -- --stack <name> [--since <ISO date>] [--at <ISO date>] [--json]`: whether anything in the stack's
// grants has come due since the last run, from the stack's config alone (no Graph call, no state): a grant whose start
// has come (its membership and pass to make), whose expiry has come (its membership, pass and sessions to end), or an
// Azure role eligibility whose own end has come. A schedule runs it often and runs `pulumi up` only when it exits 3.
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
import type { StackConfig } from "../config";

export const dueExitCodes = exitCodes.due;

/** The schedule's interval: without --since, what came due in the last one counts. */
const defaultIntervalMinutes = 15;

interface DueOptions extends StackOptions {
  since?: string;
  at?: string;
  json?: boolean;
}

/** One thing that came due: the grant, what it was, and when. */
export interface DueEvent {
  grant: string;
  kind: "start" | "expiry" | "roleEnd";
  at: string;
}

const isoOption = (flag: string, value: string | undefined) =>
  value !== undefined && Number.isNaN(Date.parse(value))
    ? `${flag} ${JSON.stringify(value)}: allowed: an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z`
    : undefined;

const dueCommand: CommandSpec<DueOptions> = {
  command: "due",
  description:
    "Whether a grant's start, its expiry or an Azure role's end has come since the last run, from the stack's " +
    "config alone (no Graph call): a schedule runs `pulumi up` only when something is due.",
  stackHelp: "the stack whose grants to check, whose config is Pulumi.<name>.yaml",
  configFileHelp: "read the stack's config from this file instead",
  options: (program) =>
    program
      .option(
        "--since <ISO date>",
        `the last run's time: what came due after it counts (default: ${defaultIntervalMinutes} minutes before --at)`,
      )
      .option("--at <ISO date>", "the time to judge at (default: now)")
      .option("--json", "print { stack, since, at, due: [{ grant, kind, at }] }"),
  check: (options) => {
    const problem = isoOption("--since", options.since) ?? isoOption("--at", options.at);
    if (problem) return problem;
    return options.since !== undefined &&
      options.at !== undefined &&
      Date.parse(options.since) > Date.parse(options.at)
      ? `--since ${JSON.stringify(options.since)}: allowed: a time no later than --at`
      : undefined;
  },
};

/** What in `config`'s grants came due in (since, at]: each grant's start and expiry, each role's own end. */
export function dueEvents(config: StackConfig, since: number, at: number): DueEvent[] {
  const came = (time: string) => {
    const instant = Date.parse(time);
    return instant > since && instant <= at;
  };
  return config.grants.flatMap((grant) => [
    ...(came(grant.start) ? [{ grant: grant.name, kind: "start" as const, at: grant.start }] : []),
    ...(came(grant.expiry) ? [{ grant: grant.name, kind: "expiry" as const, at: grant.expiry }] : []),
    ...(grant.azureRoles ?? [])
      .filter((role) => role.end !== undefined && came(role.end))
      .map((role) => ({ grant: grant.name, kind: "roleEnd" as const, at: role.end! })),
  ]);
}

const meaning: Record<DueEvent["kind"], string> = {
  start: "started: its membership and pass to make",
  expiry: "expired: its membership, pass and sessions to end",
  roleEnd: "an Azure role's end came: its eligibility to remove",
};

export function runDue(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(dueCommand, argv, io, async (options) => {
    const at = options.at === undefined ? (io.now?.() ?? Date.now()) : Date.parse(options.at);
    const since =
      options.since === undefined ? at - defaultIntervalMinutes * 60_000 : Date.parse(options.since);
    const stack = readStackConfig(options, at);
    if ("problems" in stack) {
      io.stderr(problemList(`Stack "${options.stack}" is refused:`, stack.problems));
      return dueExitCodes.usage;
    }
    const due = dueEvents(stack.config, since, at);
    const window = { since: new Date(since).toISOString(), at: new Date(at).toISOString() };
    if (options.json) {
      io.stdout(`${JSON.stringify({ stack: options.stack, ...window, due }, null, 2)}\n`);
    } else if (due.length === 0) {
      io.stdout(`Nothing due in stack "${options.stack}" from ${window.since} to ${window.at}.\n`);
    } else {
      io.stdout(
        [
          `Due in stack "${options.stack}" from ${window.since} to ${window.at}: run pulumi up.`,
          ...due.map((event) => `  ${event.grant} ${meaning[event.kind]} (${event.at})`),
          "",
        ].join("\n"),
      );
    }
    return due.length === 0 ? dueExitCodes.ok : dueExitCodes.due;
  });
}

if (require.main === module) runAsMain(runDue, processIo());
