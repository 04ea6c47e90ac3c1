// `npm run review -- --stack <name>`: who holds a Temporary Access Pass in the policy's scope, and which grant
// explains it; ended grants that left a pass or a membership behind; members of the targeted groups no grant
// explains. With --revoke-expired, --revoke-undeclared or --revoke <user>, it revokes those passes (sessions first,
// then the pass), after confirmation. `--help` documents every flag.
//
// Exit status: 0 nothing needs attention, 3 something does, 2 bad arguments or stack config (or a revocation refused
// for want of --yes without a terminal), 1 Graph failed or a revocation was left half done.
import * as readline from "node:readline/promises";
import { SingleBar } from "cli-progress";
import { Command, CommanderError, Option } from "commander";
import {
  graphClientFromEnvironment,
  type GraphClientOptions,
  graphEndpointVariable,
  graphTokenVariable,
} from "../components/graphClient";
import { isObjectId, maskSecretShapedText, ValidationError } from "../components/validation";
import { parseStackConfig, type StackConfig } from "../config";
import { neutralise } from "../components/neutralise";
import { afterRevocation, classify, type Review } from "./review/classify";
import { renderCsv, renderMarkdown, renderPlan, renderRevocationResult, renderText } from "./review/render";
import { hasRevocation, type RevocationResult, revokePasses, selectRevocations } from "./review/revoke";
import { scanTenant } from "./review/scan";
import { readStackFile, stackFilePath, stackNameProblem } from "./stackFile";

/** Pulumi's stack names: letters, digits, `-`, `_` and `.`. */
const userPrincipalName = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Reading this many users' passes shows a progress bar (on a terminal). */
const progressThreshold = 200;

export const exitCodes = { ok: 0, failed: 1, usage: 2, attention: 3 } as const;

/** Where the review reads and writes: the process's streams, or a test's. */
export interface ReviewIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A person can answer a question on standard input. */
  stdinIsTTY: boolean;
  /** Where a progress bar goes; none when undefined (not a terminal). */
  progressStream?: NodeJS.WritableStream;
  /** Asks a yes/no question; called only when stdinIsTTY. */
  confirm: (question: string) => Promise<boolean>;
  env: NodeJS.ProcessEnv;
  /** Graph client settings (tests shorten the retry delays). */
  graphOptions?: Partial<Omit<GraphClientOptions, "endpoint" | "credential">>;
}

interface ReviewOptions {
  stack: string;
  configFile?: string;
  json?: boolean;
  csv?: boolean;
  markdown?: boolean;
  fullScan?: boolean;
  concurrency: string;
  revokeExpired?: boolean;
  revokeUndeclared?: boolean;
  revoke: string[];
  yes?: boolean;
}

function reviewCommand(io: ReviewIo): Command {
  const format = (name: string, description: string) =>
    new Option(`--${name}`, description).conflicts(["json", "csv", "markdown"].filter((f) => f !== name));
  return new Command("npm run review --")
    .description(
      "Review who holds a Temporary Access Pass in the TAP policy's scope and why, against the stack's grants; " +
        "optionally revoke passes. Reads the stack's config and the live tenant (read-only unless a --revoke flag " +
        "is given).",
    )
    .requiredOption("--stack <name>", "the stack whose config (Pulumi.<name>.yaml) declares the grants")
    .option("--config-file <path>", "read the stack's config from this file instead of Pulumi.<name>.yaml")
    .addOption(format("json", "print the review as JSON (with the revocation's outcome, if any)"))
    .addOption(format("csv", "print the review as CSV: one row per pass, ended grant and unexplained member"))
    .addOption(format("markdown", "print the review as Markdown, for a ticket or a CI job summary"))
    .option(
      "--full-scan",
      "when the policy targets all_users, read every user's pass instead of the registration report's pass " +
        "holders (slower; catches passes the report does not show yet)",
    )
    .option("--concurrency <n>", "JSON batches (20 users each) in flight at once, 1 to 16", "4")
    .option("--revoke-expired", "revoke the passes of grants that have ended")
    .option("--revoke-undeclared", "revoke the passes that no grant declares")
    .option(
      "--revoke <user>",
      "revoke this user's pass (user principal name or object id; repeat for several users)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--yes", "revoke without asking (required when there is no terminal to confirm on, e.g. in CI)")
    .addHelpText(
      "after",
      [
        "",
        "Revocation revokes each listed user's sign-in sessions, then deletes the pass; it prints what it will do and",
        "asks first, and prints what was done. Running it again finishes a revocation that failed half-way.",
        "",
        "Exit status: 0 nothing needs attention; 3 something needs attention; 2 bad arguments or stack config, or a",
        "revocation refused (no terminal and no --yes); 1 Graph failed, or a revocation was left half done.",
        "",
        `Graph is reached as the providers reach it: DefaultAzureCredential and the stack's entra-tap:cloud, or`,
        `${graphEndpointVariable} and ${graphTokenVariable} for a loopback emulator.`,
      ].join("\n"),
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .allowExcessArguments(false);
}

/** Parses and validates the arguments; throws a CommanderError (exit status 2) naming the flag, value and allowed. */
function parseArguments(argv: string[], io: ReviewIo): ReviewOptions {
  const command = reviewCommand(io);
  command.parse(argv, { from: "user" });
  const options = command.opts<ReviewOptions>();
  const refuse = (message: string) => command.error(`error: ${message}`, { exitCode: exitCodes.usage });
  const stackProblem = stackNameProblem(options.stack);
  if (stackProblem) refuse(stackProblem);
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    refuse(`--concurrency ${JSON.stringify(options.concurrency)}: allowed: an integer from 1 to 16`);
  }
  for (const user of options.revoke) {
    if (!isObjectId(user) && !userPrincipalName.test(user)) {
      refuse(
        `--revoke ${JSON.stringify(user)}: allowed: a user principal name (name@domain) or an object id (GUID)`,
      );
    }
  }
  return options;
}

function readConfig(options: ReviewOptions): StackConfig {
  const file = stackFilePath(options.stack, options.configFile);
  let stackFile;
  try {
    stackFile = readStackFile(file);
  } catch (error) {
    const flag = options.configFile ? `--config-file ${options.configFile}` : `--stack ${options.stack}`;
    throw new ValidationError([`${flag}: ${(error as Error).message}`]);
  }
  let config: StackConfig | undefined;
  const problems = [...stackFile.problems];
  try {
    config = parseStackConfig(stackFile.config);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !config) throw new ValidationError(problems);
  return config;
}

export async function runReview(argv: string[], io: ReviewIo): Promise<number> {
  let options: ReviewOptions;
  try {
    options = parseArguments(argv, io);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    throw error;
  }
  let config: StackConfig;
  let graph;
  try {
    config = readConfig(options);
    graph = graphClientFromEnvironment(config.cloud, io.env, io.graphOptions);
  } catch (error) {
    const problems = error instanceof ValidationError ? error.problems : [(error as Error).message];
    io.stderr(`Stack "${options.stack}" cannot be reviewed:\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
    return exitCodes.usage;
  }
  const flags = {
    expired: options.revokeExpired === true,
    undeclared: options.revokeUndeclared === true,
    users: options.revoke,
  };
  const machine = options.json || options.csv;
  // What is for people goes where the review goes, unless stdout is a machine format.
  const say = (text: string) => (machine ? io.stderr(`${text}\n`) : io.stdout(`${text}\n`));

  const now = Date.now();
  let review: Review;
  let bar: SingleBar | undefined;
  try {
    const scan = await scanTenant(graph, config, {
      fullScan: options.fullScan === true,
      concurrency: Number(options.concurrency),
      onPassReadsPlanned: (total) => {
        if (io.progressStream && total >= progressThreshold) {
          bar = new SingleBar({
            stream: io.progressStream,
            format: "Reading passes [{bar}] {value}/{total} users",
            clearOnComplete: true,
            hideCursor: true,
          });
          bar.start(total, 0);
        }
      },
      onProgress: (done) => bar?.update(done),
    });
    bar?.stop();
    review = classify(options.stack, config, scan, now);
    if (options.fullScan && !scan.allUsers) {
      review.notes.push("--full-scan has no effect: the policy does not target all_users");
    }
  } catch (error) {
    bar?.stop();
    // Graph's messages name groups and users by what the tenant calls them.
    io.stderr(
      `Review of stack "${options.stack}" failed: ${neutralise(maskSecretShapedText((error as Error).message))}\n`,
    );
    return exitCodes.failed;
  }

  const print = (revocation?: { planned: unknown; result?: RevocationResult }) => {
    if (options.json)
      io.stdout(`${JSON.stringify({ ...review, ...(revocation ? { revocation } : {}) }, null, 2)}\n`);
  };
  if (!options.json) {
    io.stdout(
      options.csv ? renderCsv(review) : options.markdown ? renderMarkdown(review) : `${renderText(review)}\n`,
    );
  }
  const reviewStatus = review.needsAttention ? exitCodes.attention : exitCodes.ok;
  if (!hasRevocation(flags)) {
    print();
    return reviewStatus;
  }

  const selection = selectRevocations(review, flags);
  say("");
  for (const user of selection.withoutPass) {
    say(`--revoke ${user}: holds no pass in this review (already revoked, or not in scope): nothing to do.`);
  }
  if (selection.targets.length === 0) {
    say("Nothing to revoke.");
    print({ planned: [] });
    return reviewStatus;
  }
  say(renderPlan(selection.targets));
  if (!options.yes) {
    if (!io.stdinIsTTY) {
      io.stderr(
        "Refusing to revoke: no terminal to confirm on. Run again with --yes to revoke the passes listed.\n",
      );
      print({ planned: selection.targets });
      return exitCodes.usage;
    }
    const count = selection.targets.length;
    if (!(await io.confirm(`Revoke ${count === 1 ? "this pass" : `these ${count} passes`}? [y/N] `))) {
      say("Nothing was revoked.");
      print({ planned: selection.targets });
      return reviewStatus;
    }
  }
  const result = await revokePasses(graph, selection.targets);
  say(maskSecretShapedText(renderRevocationResult(result)));
  print({ planned: selection.targets, result });
  if (result.notDone.length > 0) return exitCodes.failed;
  const after = afterRevocation(
    review,
    result.done.map((o) => o.target.userId),
  );
  return after.needsAttention ? exitCodes.attention : exitCodes.ok;
}

/** Asks on the terminal; anything but y or yes is no. */
async function askOnTerminal(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

if (require.main === module) {
  const io: ReviewIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdinIsTTY: process.stdin.isTTY === true,
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
    confirm: askOnTerminal,
    env: process.env,
  };
  runReview(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${neutralise(maskSecretShapedText(error instanceof Error ? error.message : String(error)))}\n`,
      );
      process.exitCode = exitCodes.failed;
    },
  );
}
