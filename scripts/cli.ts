// The frame of entra-tap's commands (`npm run plan`, `review`, `export`, `handover`, `new-stack`, `sandbox`, `due`): the commander program each
// is built on, the one table of exit statuses (the README's "Exit status" lines and each `--help` are rendered from
// it, and a test holds the README to it), the one way an error is shown to people, and the run of a command: its
// arguments parsed, then its steps, any error they throw shown and turned into the command's exit status.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { neutralise } from "../components/neutralise";
import { maskSecretShapedText, ValidationError } from "../components/validation";
import { parseStackConfig, type StackConfig } from "../config";
import {
  projectDir,
  projectName,
  readStackFile,
  stackFilePath,
  stackNameProblem,
  type StackFileConfig,
} from "./stackFile";

export type CommandName =
  "plan" | "review" | "export" | "handover" | "new-stack" | "sandbox" | "due" | "fleet" | "fleet-matrix";

export interface ExitStatus {
  code: number;
  /** What it means, as the README and `--help` say it after the code. */
  meaning: string;
}

/** The codes every command gives the same meaning: done, Graph failed, refused before any work. */
const ok = 0;
const failed = 1;
const usage = 2;

/**
 * Every exit status of every command, each named once per command, in the order the README states them. A name
 * shared between commands is the same code: `ok` 0, `failed` 1 (Graph failed), `usage` 2 (bad arguments or config).
 */
export const exitStatuses = {
  plan: {
    ok: { code: ok, meaning: "when the stack is valid and passes the mandatory policies" },
    violations: { code: 1, meaning: "when a mandatory policy is violated" },
    usage: {
      code: usage,
      meaning:
        "when the arguments or the config are invalid or a provider's check refuses it (one message per " +
        "problem), or the program cannot be evaluated",
    },
  },
  review: {
    ok: { code: ok, meaning: "nothing needs attention" },
    attention: {
      code: 3,
      meaning:
        "something does (a pass no grant or known issuer explains, a pass or membership an ended grant left, a pass " +
        "that did its job and can still be used, a failed bootstrap, a member no grant explains)",
    },
    usage: {
      code: usage,
      meaning: "bad arguments or stack config, or a revocation refused (no terminal and no --yes)",
    },
    failed: { code: failed, meaning: "Graph failed or a revocation was left half done" },
  },
  export: {
    ok: { code: ok, meaning: "written" },
    usage: { code: usage, meaning: "bad arguments or an existing file (without --force)" },
    failed: { code: failed, meaning: "Graph failed or the policy cannot be declared" },
  },
  handover: {
    ok: { code: ok, meaning: "the passcode was shown" },
    usage: {
      code: usage,
      meaning:
        "bad arguments, an unknown grant, an identity file that cannot be read, or no terminal (without --to-pipe)",
    },
    failed: {
      code: failed,
      meaning:
        "the stack's outputs cannot be read, the pass holds no sealed passcode, or the identity does not open it",
    },
  },
  "new-stack": {
    ok: { code: ok, meaning: "made" },
    usage: {
      code: usage,
      meaning:
        "bad arguments, no example file, an example holding secrets, or the new stack's file already there",
    },
    failed: { code: failed, meaning: "pulumi stack init failed" },
  },
  sandbox: {
    ok: { code: ok, meaning: "served until stopped" },
    usage: {
      code: usage,
      meaning: "bad arguments, or a stack file of that name the sandbox did not write",
    },
    failed: { code: failed, meaning: "the emulator could not start or pulumi stack init failed" },
  },
  due: {
    ok: { code: ok, meaning: "nothing is due" },
    due: { code: 3, meaning: "something is due (run pulumi up)" },
    usage: { code: usage, meaning: "bad arguments or stack config" },
    failed: { code: failed, meaning: "it could not judge (the error is shown)" },
  },
  fleet: {
    ok: { code: ok, meaning: "every tenant is well" },
    attention: {
      code: 3,
      meaning: "some tenant needs attention (a policy violation, or what its review found)",
    },
    usage: { code: usage, meaning: "bad arguments, or no stack file matches --stacks" },
    failed: {
      code: failed,
      meaning:
        "some tenant failed (the report says which and why; the same command again continues the work)",
    },
  },
  "fleet-matrix": {
    ok: { code: ok, meaning: "printed" },
    usage: {
      code: usage,
      meaning:
        "bad arguments, no stack file matches --stacks, or a stack file that cannot be in the fleet (its name, its YAML, " +
        "its tenant, subscription or wave)",
    },
  },
} as const satisfies Record<CommandName, Record<string, ExitStatus>>;

type Statuses = typeof exitStatuses;
type CodesOf<C extends CommandName> = {
  readonly [K in keyof Statuses[C]]: Statuses[C][K] extends ExitStatus ? Statuses[C][K]["code"] : never;
};

function codesOf<C extends CommandName>(command: C): CodesOf<C> {
  return Object.fromEntries(
    Object.entries(exitStatuses[command]).map(([name, status]) => [name, (status as ExitStatus).code]),
  ) as CodesOf<C>;
}

/** The exit codes by command and name: `exitCodes.review.attention` is 3. */
export const exitCodes = Object.fromEntries(
  (Object.keys(exitStatuses) as CommandName[]).map((command) => [command, codesOf(command)]),
) as { readonly [C in CommandName]: CodesOf<C> };

/** The exit status an error a command did not expect gives: the plan cannot evaluate; review and export failed. */
const unexpectedErrorCode: Record<CommandName, number> = {
  plan: exitCodes.plan.usage,
  review: exitCodes.review.failed,
  export: exitCodes.export.failed,
  handover: exitCodes.handover.failed,
  "new-stack": exitCodes["new-stack"].failed,
  sandbox: exitCodes.sandbox.failed,
  due: exitCodes.due.failed,
  fleet: exitCodes.fleet.failed,
  "fleet-matrix": exitCodes["fleet-matrix"].usage,
};

/** The command's exit statuses as one sentence, as the README and `--help` state them. */
export function exitStatusSentence(command: CommandName): string {
  const statuses = Object.values(exitStatuses[command]) as ExitStatus[];
  return `Exit status: ${statuses.map((s) => `${s.code} ${s.meaning}`).join("; ")}.`;
}

/**
 * Text of an error, to show to people: anything shaped like a secret masked, and control and bidirectional
 * characters shown as escapes (Graph's messages name groups and users by what the tenant calls them). Every error a
 * command shows goes through here.
 */
export function shownError(error: unknown): string {
  return neutralise(maskSecretShapedText(error instanceof Error ? error.message : String(error)));
}

/** A list of problems under a header, one a line, as every command prints a refusal. */
export function problemList(
  header: string,
  problems: readonly string[],
  warnings: readonly string[] = [],
): string {
  return [header, ...problems.map((p) => `  ${p}`), ...warnings.map((w) => `  warning: ${w}`), ""].join("\n");
}

/** Where a command reads and writes: the process's streams and environment, or a test's. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** The clock (a test's instant); the time the command judges its stack at, unless an option sets one. */
  now?: () => number;
}

/** The process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
}

/** The options every command has: the stack, and where its config file is. */
export interface StackOptions {
  stack: string;
  configFile?: string;
}

/** A stack's config as a command reads it: its file's config as Pulumi hands it over, and validated. */
export interface CheckedStack {
  /** The file read. */
  file: string;
  stackFile: StackFileConfig;
  config: StackConfig;
}

/**
 * Validates a stack's config as the program would receive it, judged at `now`: the problems of the file first (a
 * `secure:` value that is not ciphertext), then the config's own. One message per problem.
 */
export function checkStackConfig(
  stackFile: Pick<StackFileConfig, "config" | "problems">,
  now: number,
): { config: StackConfig } | { problems: string[] } {
  try {
    const config = parseStackConfig(stackFile.config, now);
    return stackFile.problems.length > 0 ? { problems: [...stackFile.problems] } : { config };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { problems: [...stackFile.problems, ...error.problems] };
  }
}

/**
 * The one way a command reads its stack's config: the file (`--config-file`, else Pulumi.<stack>.yaml), read as the
 * Pulumi CLI presents it to a program, and validated at `now`. A file that cannot be read is a problem naming the
 * flag that named it.
 */
export function readStackConfig(
  options: StackOptions | { file: string },
  now: number,
): CheckedStack | { file: string; problems: string[] } {
  const file = "file" in options ? options.file : stackFilePath(options.stack, options.configFile);
  let stackFile: StackFileConfig;
  try {
    // The checkout's project, whichever file holds the stack's config: the CLI run here reads the same Pulumi.yaml.
    stackFile = readStackFile(file, projectName, path.join(projectDir, "Pulumi.yaml"));
  } catch (error) {
    const flag =
      "file" in options
        ? file
        : options.configFile
          ? `--config-file ${options.configFile}`
          : `--stack ${options.stack}`;
    return { file, problems: [`${flag}: ${shownError(error)}`] };
  }
  const checked = checkStackConfig(stackFile, now);
  return "problems" in checked ? { file, ...checked } : { file, stackFile, config: checked.config };
}

export interface CommandSpec<O extends Partial<StackOptions>> {
  command: CommandName;
  description: string;
  /**
   * What `--stack` and `--config-file` mean for this command (no `--config-file` when it reads no config); none for a
   * command over many stacks (fleet), which has no `--stack`.
   */
  stackHelp?: string;
  /** The stack when `--stack` is not given; without it, `--stack` is required. */
  stackDefault?: string;
  configFileHelp?: string;
  /** The option field that the command's one argument (declared in `options`) is given as (fleet's command). */
  argumentField?: keyof O & string;
  /** The command's own options, after `--stack` and `--config-file`. */
  options: (program: Command) => Command;
  /** Why the options cannot be used (one message), checked after parsing; undefined when they can. */
  check?: (options: O) => string | undefined;
  /** Help after the options: before the exit statuses, and after them. */
  helpBefore?: string[];
  helpAfter?: string[];
}

const helpWidth = 116;

/** `text` in lines of at most `width` characters, broken at spaces. */
function wrap(text: string, width = helpWidth): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** The command's commander program: output to `io`, and nothing exits the process. */
export function commandProgram<O extends Partial<StackOptions>>(spec: CommandSpec<O>, io: CliIo): Command {
  const program = new Command(`npm run ${spec.command} --`).description(spec.description);
  if (spec.stackHelp) program.requiredOption("--stack <name>", spec.stackHelp, spec.stackDefault);
  if (spec.configFileHelp) program.option("--config-file <path>", spec.configFileHelp);
  return spec
    .options(program)
    .addHelpText(
      "after",
      [
        ...(spec.helpBefore ? ["", ...spec.helpBefore] : []),
        "",
        ...wrap(exitStatusSentence(spec.command)),
        ...(spec.helpAfter ? ["", ...spec.helpAfter] : []),
      ].join("\n"),
    )
    .exitOverride()
    .configureHelp({ helpWidth })
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .allowExcessArguments(false);
}

/** The options, or the exit status when there is nothing more to do: help shown (0), or arguments refused (2). */
export function parseArguments<O extends Partial<StackOptions>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  io: CliIo,
): { options: O } | { exit: number } {
  const program = commandProgram(spec, io);
  try {
    program.parse([...argv], { from: "user" });
    const options = program.opts<O>();
    if (spec.argumentField) Object.assign(options, { [spec.argumentField]: program.processedArgs[0] });
    const problem =
      (options.stack === undefined ? undefined : stackNameProblem(options.stack)) ?? spec.check?.(options);
    if (problem) program.error(`error: ${problem}`, { exitCode: usage });
    return { options };
  } catch (error) {
    if (error instanceof CommanderError) return { exit: error.exitCode === 0 ? ok : usage };
    throw error;
  }
}

/** A failure a command expects, with the exit status it gives: its steps throw it, runCommand shows it. */
export class CommandFailure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/**
 * Runs a command: its arguments parsed and checked, then `steps`; an error the steps throw is shown (`shownError`)
 * and gives its own exit status (a CommandFailure) or the command's for the unexpected. Never throws.
 */
export async function runCommand<O extends Partial<StackOptions>, I extends CliIo>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  io: I,
  steps: (options: O, io: I) => Promise<number>,
): Promise<number> {
  try {
    const parsed = parseArguments(spec, argv, io);
    if ("exit" in parsed) return parsed.exit;
    return await steps(parsed.options, io);
  } catch (error) {
    io.stderr(`${shownError(error)}\n`);
    return error instanceof CommandFailure ? error.code : unexpectedErrorCode[spec.command];
  }
}

/** What the Pulumi CLI answered: its exit status (1 when it could not be started), its output and its error. */
export interface PulumiAnswer {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * The Pulumi CLI on the PATH (of `env`), run with `args` in `cwd` (the Pulumi project of the current folder by default:
 * npm runs a script in its project's folder) and `env` (the process's by default). Never rejects: a CLI that cannot be
 * started answers status 1 and why.
 */
export function runPulumi(
  args: readonly string[],
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<PulumiAnswer> {
  return new Promise((resolve) => {
    execFile("pulumi", [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({
        status: error ? (typeof error.code === "number" ? error.code : 1) : 0,
        stdout,
        stderr: error && typeof error.code !== "number" ? error.message : stderr,
      }),
    );
  });
}

/** A command as the process runs it: the process's arguments, its exit status the process's. */
export function runAsMain<I extends CliIo>(run: (argv: string[], io: I) => Promise<number>, io: I): void {
  void run(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
