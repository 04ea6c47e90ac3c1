// `npm run new-stack -- --stack <name> [--from dev] [--secrets-provider <url>]`: a new stack made from an example
// stack file, its comments and key order kept. `pulumi stack init` makes the stack in the backend with its own secrets
// provider (it writes the provider's settings, an `encryptionsalt` or a `secretsprovider`, into a new
// Pulumi.<name>.yaml); the example's text is then written around those settings, so the file the README asks you to
// edit reads as the example does. `pulumi stack init --copy-config-from` needs the example in the backend and
// rewrites both files, losing every comment.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import {
  type CliIo,
  CommandFailure,
  type CommandSpec,
  exitCodes,
  processIo,
  type PulumiAnswer,
  runAsMain,
  runPulumi,
  runCommand,
  type StackOptions,
} from "./cli";
import { stackNameProblem } from "./stackFile";

/** The command's exit codes (scripts/cli.ts holds every command's). */
export const newStackExitCodes = exitCodes["new-stack"];

export interface NewStackIo extends CliIo {
  /** The Pulumi project's folder (npm runs a script in its project's folder). */
  cwd: string;
  /** `pulumi <args>` in `cwd`, as the CLI answers. */
  pulumi: (args: string[], cwd: string) => Promise<PulumiAnswer>;
}

interface NewStackOptions extends StackOptions {
  from: string;
  secretsProvider?: string;
}

const newStackCommand: CommandSpec<NewStackOptions> = {
  command: "new-stack",
  description:
    "Make a new stack from an example stack file (Pulumi.<from>.yaml), keeping its comments and key order, with a " +
    "secrets provider of its own: `pulumi stack init` in the backend, then the example's text in Pulumi.<name>.yaml.",
  stackHelp: "the new stack's name (its file: Pulumi.<name>.yaml, which must not exist yet)",
  options: (program) =>
    program
      .option("--from <stack>", "the example stack whose file to copy", "dev")
      .option(
        "--secrets-provider <url>",
        "the new stack's secrets provider (pulumi stack init --secrets-provider); default: the backend's, a passphrase for a self-managed backend",
      ),
  check: (options) => stackNameProblem(options.from)?.replace("--stack", "--from"),
};

/** Top-level keys of a stack file that hold its secrets provider's settings, written by `pulumi stack init`. */
const secretsProviderKeys = ["secretsprovider", "encryptedkey", "encryptionsalt"] as const;

/** The config keys (paths) whose value is a `secure:` ciphertext. */
function securePaths(value: unknown, at = ""): string[] {
  if (!value || typeof value !== "object") return [];
  if (!Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value) return [at];
  return Object.entries(value).flatMap(([key, inner]) =>
    securePaths(inner, at === "" ? key : Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`),
  );
}

function exampleText(options: NewStackOptions, io: NewStackIo): string {
  const example = path.join(io.cwd, `Pulumi.${options.from}.yaml`);
  let text: string;
  try {
    text = fs.readFileSync(example, "utf8");
  } catch {
    throw new CommandFailure(`--from ${options.from}: no stack file ${example}`, newStackExitCodes.usage);
  }
  // Ciphertext of the example's secrets provider means nothing to the new stack's: it cannot be copied.
  const secure = securePaths((parseYaml(text) as { config?: unknown } | null)?.config);
  if (secure.length > 0) {
    throw new CommandFailure(
      `--from ${options.from}: its file holds secrets (${secure.join(", ")}), which only its own secrets provider ` +
        "opens; copy it without them and set them in the new stack with pulumi config set --secret",
      newStackExitCodes.usage,
    );
  }
  return text;
}

/**
 * The example's text, byte for byte, with the new stack's secrets-provider settings first (the lines `pulumi stack
 * init` wrote, one `key: value` each) in place of any the example had.
 */
export function newStackText(example: string, initialised: string): string {
  const isSetting = (line: string) => secretsProviderKeys.some((key) => line.startsWith(`${key}:`));
  const settings = initialised.split("\n").filter(isSetting);
  const body = example
    .split("\n")
    .filter((line) => !isSetting(line))
    .join("\n");
  return [...settings, body].join("\n");
}

async function newStack(options: NewStackOptions, io: NewStackIo): Promise<number> {
  if (!fs.existsSync(path.join(io.cwd, "Pulumi.yaml"))) {
    throw new CommandFailure(
      `no Pulumi.yaml in ${io.cwd}: run it in the project's folder`,
      newStackExitCodes.usage,
    );
  }
  const target = path.join(io.cwd, `Pulumi.${options.stack}.yaml`);
  if (fs.existsSync(target)) {
    throw new CommandFailure(
      `${target} exists: the new stack's file must not exist yet`,
      newStackExitCodes.usage,
    );
  }
  const example = exampleText(options, io);
  const init = await io.pulumi(
    [
      "stack",
      "init",
      options.stack,
      ...(options.secretsProvider ? ["--secrets-provider", options.secretsProvider] : []),
      "--non-interactive",
    ],
    io.cwd,
  );
  if (init.status !== 0) {
    fs.rmSync(target, { force: true });
    throw new CommandFailure(
      `pulumi stack init ${options.stack} failed (exit ${init.status}): ${init.stderr.trim() || init.stdout.trim()}`,
      newStackExitCodes.failed,
    );
  }
  const initialised = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
  fs.writeFileSync(target, newStackText(example, initialised));
  io.stdout(
    [
      `Made stack ${options.stack} in the backend, with its own secrets provider, and ${target} from ` +
        `Pulumi.${options.from}.yaml (its comments and order kept).`,
      `Next: edit ${path.basename(target)} (your groups, lifetimes, grants, recipients, cloud), then ` +
        `npm run plan -- --stack ${options.stack}.`,
      "",
    ].join("\n"),
  );
  return newStackExitCodes.ok;
}

export function runNewStack(argv: readonly string[], io: NewStackIo): Promise<number> {
  return runCommand(newStackCommand, argv, io, newStack);
}

if (require.main === module) {
  runAsMain(runNewStack, { ...processIo(), cwd: process.cwd(), pulumi: runPulumi });
}
