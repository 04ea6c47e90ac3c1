// `npm run review -- --stack <name>`: who holds a Temporary Access Pass in the policy's scope, and which grant
// explains it; ended grants that left a pass or a membership behind; members of the targeted groups no grant
// explains. With --revoke-ended, --revoke-undeclared or --revoke <user>, it revokes those passes (sessions first,
// then the pass), after confirmation. `--help` documents every flag and the exit statuses (scripts/cli.ts holds them).
import * as readline from "node:readline/promises";
import { SingleBar } from "cli-progress";
import { Option } from "commander";
import {
  type GraphClient,
  graphClientFromEnvironment,
  type GraphClientOptions,
} from "../components/graph/client";
import { graphEndpointVariable, graphTokenVariable } from "../components/graph/clouds";
import { isObjectId, maskSecretShapedText } from "../components/validation";
import type { StackConfig } from "../config";
import {
  type CliIo,
  type CommandSpec,
  exitCodes as commandExitCodes,
  problemList,
  processIo,
  readStackConfig,
  runAsMain,
  runCommand,
  shownError,
  type StackOptions,
} from "./cli";
import { afterRevocation, classify, type Review } from "./review/classify";
import { renderMarkdown, renderPlan, renderRevocationResult, renderText } from "./review/render";
import { csvRows, renderCsv } from "./review/renderCsv";
import { hasRevocation, type RevocationResult, revokePasses, selectRevocations } from "./review/revoke";
import { readPassIssuers, scanTenant } from "./review/scan";

/** A user principal name, roughly: name@domain. */
const userPrincipalName = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Reading this many users' passes shows a progress bar (on a terminal). */
const progressThreshold = 200;

/** The review's exit codes (scripts/cli.ts holds every command's). */
export const exitCodes = commandExitCodes.review;

/** Where the review reads and writes: the process's streams, or a test's. */
export interface ReviewIo extends CliIo {
  /** A person can answer a question on standard input. */
  stdinIsTTY: boolean;
  /** Where a progress bar goes; none when undefined (not a terminal). */
  progressStream?: NodeJS.WritableStream;
  /** Asks a yes/no question; called only when stdinIsTTY. */
  confirm: (question: string) => Promise<boolean>;
  /** Graph client settings (tests shorten the retry delays). */
  graphOptions?: Partial<Omit<GraphClientOptions, "endpoint" | "credential">>;
}

interface ReviewOptions extends StackOptions {
  json?: boolean;
  csv?: boolean;
  markdown?: boolean;
  fullScan?: boolean;
  concurrency: string;
  revokeEnded?: boolean;
  revokeExpired?: boolean;
  revokeUndeclared?: boolean;
  revokeFulfilled?: boolean;
  revoke: string[];
  yes?: boolean;
}

const format = (name: string, description: string) =>
  new Option(`--${name}`, description).conflicts(["json", "csv", "markdown"].filter((f) => f !== name));

const reviewCommand: CommandSpec<ReviewOptions> = {
  command: "review",
  description:
    "Review who holds a Temporary Access Pass in the TAP policy's scope and why, against the stack's grants; " +
    "optionally revoke passes. Reads the stack's config and the live tenant (read-only unless a --revoke flag " +
    "is given).",
  stackHelp: "the stack whose config (Pulumi.<name>.yaml) declares the grants",
  configFileHelp: "read the stack's config from this file instead of Pulumi.<name>.yaml",
  options: (program) =>
    program
      .addOption(format("json", "print the review as JSON (with the revocation's outcome, if any)"))
      .addOption(format("csv", `print the review as CSV: ${csvRows}`))
      .addOption(format("markdown", "print the review as Markdown, for a ticket or a CI job summary"))
      .option(
        "--full-scan",
        "when the policy targets all_users, read every user's pass instead of the registration report's pass " +
          "holders (slower; catches passes the report does not show yet)",
      )
      .option("--concurrency <n>", "JSON batches (20 users each) in flight at once, 1 to 16", "4")
      .option("--revoke-ended", "revoke the passes of grants that have ended")
      .option(
        "--revoke-expired",
        "the same as --revoke-ended (its name until 2026-12, kept for scripts that use it)",
      )
      .option("--revoke-undeclared", "revoke the passes that no grant declares")
      .option(
        "--revoke-fulfilled",
        "delete the passes that did their job (a phishing-resistant method registered since they started); " +
          "their users' sessions are kept",
      )
      .option(
        "--revoke <user>",
        "revoke this user's pass (user principal name or object id; repeat for several users)",
        (value: string, previous: string[]) => [...previous, value],
        [] as string[],
      )
      .option(
        "--yes",
        "revoke without asking (required when there is no terminal to confirm on, e.g. in CI)",
      ),
  check: (options) => {
    const concurrency = Number(options.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
      return `--concurrency ${JSON.stringify(options.concurrency)}: allowed: an integer from 1 to 16`;
    }
    const user = options.revoke.find((u) => !isObjectId(u) && !userPrincipalName.test(u));
    return user === undefined
      ? undefined
      : `--revoke ${JSON.stringify(user)}: allowed: a user principal name (name@domain) or an object id (GUID)`;
  },
  helpBefore: [
    "Revocation revokes each listed user's sign-in sessions, then deletes the pass (a pass selected only by",
    "--revoke-fulfilled is deleted and its user's sessions kept); it prints what it will do and asks first, and",
    "prints what was done. Running it again finishes a revocation that failed half-way.",
  ],
  helpAfter: [
    `Graph is reached as the providers reach it: DefaultAzureCredential and the stack's entra-tap:cloud, or`,
    `${graphEndpointVariable} and ${graphTokenVariable} for a loopback emulator.`,
  ],
};

/** Reads the tenant (with a progress bar on a terminal for a long scan) and judges it against the stack at `now`. */
async function reviewTenant(
  options: ReviewOptions,
  io: ReviewIo,
  graph: GraphClient,
  config: StackConfig,
  now: number,
): Promise<Review> {
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
    let review = classify(options.stack, config, scan, now);
    // Who issued the passes no grant explains, only when the stack names processes that issue passes on purpose.
    const unexplained = review.passes.filter((p) => p.explanation.kind === "undeclared");
    if (config.knownIssuers.length > 0 && unexplained.length > 0) {
      await readPassIssuers(
        graph,
        scan,
        unexplained.map((p) => p.userId),
        Number(options.concurrency),
      );
      review = classify(options.stack, config, scan, now);
    }
    if (options.fullScan && !scan.allUsers) {
      review.notes.push("--full-scan has no effect: the policy does not target all_users");
    }
    return review;
  } finally {
    bar?.stop();
  }
}

/** The review in the format asked for: tables, Markdown or CSV now; JSON once the revocation, if any, is done. */
function printReview(options: ReviewOptions, io: ReviewIo, review: Review): void {
  if (options.json) return;
  io.stdout(
    options.csv ? renderCsv(review) : options.markdown ? renderMarkdown(review) : `${renderText(review)}\n`,
  );
}

function printJson(options: ReviewOptions, io: ReviewIo, review: Review, revocation?: unknown): void {
  if (options.json)
    io.stdout(`${JSON.stringify({ ...review, ...(revocation ? { revocation } : {}) }, null, 2)}\n`);
}

/** The revocation the flags ask for: shown, confirmed (or refused without a terminal), done, and its outcome. */
async function revoke(
  options: ReviewOptions,
  io: ReviewIo,
  graph: GraphClient,
  review: Review,
): Promise<number> {
  const flags = {
    ended: options.revokeEnded === true || options.revokeExpired === true,
    undeclared: options.revokeUndeclared === true,
    fulfilled: options.revokeFulfilled === true,
    users: options.revoke,
  };
  const reviewStatus = review.needsAttention ? exitCodes.attention : exitCodes.ok;
  if (!hasRevocation(flags)) {
    printJson(options, io, review);
    return reviewStatus;
  }
  // What is for people goes where the review goes, unless stdout is a machine format.
  const say = (text: string) =>
    options.json || options.csv ? io.stderr(`${text}\n`) : io.stdout(`${text}\n`);
  const selection = selectRevocations(review, flags);
  say("");
  for (const user of selection.withoutPass) {
    say(`--revoke ${user}: holds no pass in this review (already revoked, or not in scope): nothing to do.`);
  }
  if (selection.targets.length === 0) {
    say("Nothing to revoke.");
    printJson(options, io, review, { planned: [] });
    return reviewStatus;
  }
  say(renderPlan(selection.targets));
  if (!options.yes) {
    if (!io.stdinIsTTY) {
      io.stderr(
        "Refusing to revoke: no terminal to confirm on. Run again with --yes to revoke the passes listed.\n",
      );
      printJson(options, io, review, { planned: selection.targets });
      return exitCodes.usage;
    }
    const count = selection.targets.length;
    if (!(await io.confirm(`Revoke ${count === 1 ? "this pass" : `these ${count} passes`}? [y/N] `))) {
      say("Nothing was revoked.");
      printJson(options, io, review, { planned: selection.targets });
      return reviewStatus;
    }
  }
  const result: RevocationResult = await revokePasses(graph, selection.targets);
  say(maskSecretShapedText(renderRevocationResult(result)));
  printJson(options, io, review, { planned: selection.targets, result });
  if (result.notDone.length > 0) return exitCodes.failed;
  const after = afterRevocation(
    review,
    result.done.map((o) => o.target.userId),
  );
  return after.needsAttention ? exitCodes.attention : exitCodes.ok;
}

/**
 * `npm run review`: the stack's config read and validated, Graph reached, the tenant read and judged (all at one
 * instant), the review printed, then the revocation the flags ask for.
 */
export function runReview(argv: string[], io: ReviewIo): Promise<number> {
  return runCommand(reviewCommand, argv, io, async (options) => {
    const now = io.now?.() ?? Date.now();
    const refused = (problems: string[]) => {
      io.stderr(problemList(`Stack "${options.stack}" cannot be reviewed:`, problems));
      return exitCodes.usage;
    };
    const stack = readStackConfig(options, now);
    if ("problems" in stack) return refused(stack.problems);
    let graph: GraphClient;
    try {
      graph = graphClientFromEnvironment(stack.config, io.env, io.graphOptions);
    } catch (error) {
      return refused([shownError(error)]);
    }
    let review: Review;
    try {
      review = await reviewTenant(options, io, graph, stack.config, now);
    } catch (error) {
      io.stderr(`Review of stack "${options.stack}" failed: ${shownError(error)}\n`);
      return exitCodes.failed;
    }
    printReview(options, io, review);
    return revoke(options, io, graph, review);
  });
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
  runAsMain(runReview, {
    ...processIo(),
    stdinIsTTY: process.stdin.isTTY === true,
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
    confirm: askOnTerminal,
  });
}
