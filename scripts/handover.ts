// `npm run handover -- --stack <name> --grant <grant> [--identity <file>]`: opens a grant's sealed passcode with the
// recipient's own age identity and shows it, with its user, window and one-time use, on the recipient's terminal only.
// The sealed passcode comes from the stack's outputs (`pulumi stack output grantPasses --json`, which needs no
// secrets) or from a file of them (`--outputs`). `age -d` opens the same text: the README shows how.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { identitiesIn, openSealedPasscode } from "../components/handover";
import { neutralise } from "../components/neutralise";
import {
  type CliIo,
  CommandFailure,
  type CommandSpec,
  exitCodes,
  processIo,
  runAsMain,
  runCommand,
  runPulumi,
  type StackOptions,
} from "./cli";

/** The handover's exit codes (scripts/cli.ts holds every command's). */
export const handoverExitCodes = exitCodes.handover;

export interface HandoverIo extends CliIo {
  /** Standard output is a terminal: only then is a passcode printed (unless --to-pipe). */
  stdoutIsTTY: boolean;
  /** `pulumi stack output grantPasses --json --stack <name>`, as the project's Pulumi CLI answers it. */
  stackOutput: (stack: string) => Promise<string>;
}

interface HandoverOptions extends StackOptions {
  grant: string;
  identity?: string;
  outputs?: string;
  toPipe?: boolean;
}

/** Where SOPS keeps a user's age identities: recipients who use SOPS already have theirs there. */
export function defaultIdentityFile(env: NodeJS.ProcessEnv): string {
  if (env.SOPS_AGE_KEY_FILE) return env.SOPS_AGE_KEY_FILE;
  const config = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config");
  return path.join(config, "sops", "age", "keys.txt");
}

const handoverCommand: CommandSpec<HandoverOptions> = {
  command: "handover",
  description:
    "Open a grant's sealed passcode with your age identity and show it, with the pass's user, start, end and " +
    "one-time use. Only on a terminal: the passcode is never written to a pipe, a file or a log unless asked.",
  stackHelp: "the stack whose outputs hold the pass (pulumi stack output grantPasses)",
  options: (program) =>
    program
      .requiredOption("--grant <name>", "the grant whose pass to hand over (its name in entra-tap:grants)")
      .option(
        "--identity <file>",
        "your age identity file (AGE-SECRET-KEY-1...); default $SOPS_AGE_KEY_FILE, else ~/.config/sops/age/keys.txt",
      )
      .option(
        "--outputs <file>",
        "read the stack's outputs from this file (`pulumi stack output --json`) instead of the Pulumi CLI",
      )
      .option(
        "--to-pipe",
        "print the passcode although standard output is not a terminal (it may end up in a log)",
      ),
  helpAfter: [
    "The same with age alone (nothing of this project needed):",
    "  pulumi stack output grantPasses --json | jq -r '.\"<grant>\".sealedPasscode' | age -d -i <identity file>",
  ],
};

/** What the handover reads of a grant's entry in the `grantPasses` output (data from the backend: checked). */
const grantPassSchema = z.object({
  status: z.string().nullish(),
  user: z.string(),
  isUsableOnce: z.boolean(),
  startDateTime: z.string().nullish(),
  endDateTime: z.string().nullish(),
  sealedTo: z.array(z.string()).nullish(),
  sealedPasscode: z.string().nullish(),
});

type GrantPass = z.output<typeof grantPassSchema>;

async function readOutputs(options: HandoverOptions, io: HandoverIo): Promise<unknown> {
  let text: string;
  try {
    text = options.outputs ? fs.readFileSync(options.outputs, "utf8") : await io.stackOutput(options.stack);
  } catch (error) {
    const from = options.outputs ? `--outputs ${options.outputs}` : `the outputs of stack ${options.stack}`;
    throw new CommandFailure(
      `${from} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      1,
    );
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    // A file of every output (`pulumi stack output --json`) holds them under grantPasses.
    return options.outputs && parsed && typeof parsed === "object" && "grantPasses" in parsed
      ? (parsed as { grantPasses: unknown }).grantPasses
      : parsed;
  } catch {
    throw new CommandFailure("the stack's outputs are not JSON (pulumi stack output grantPasses --json)", 1);
  }
}

function grantPassOf(grantPasses: unknown, options: HandoverOptions): GrantPass {
  if (!grantPasses || typeof grantPasses !== "object" || Array.isArray(grantPasses)) {
    throw new CommandFailure(`stack ${options.stack} has no grantPasses output: has it been deployed?`, 1);
  }
  const byGrant = grantPasses as Record<string, unknown>;
  if (!Object.hasOwn(byGrant, options.grant)) {
    const known = Object.keys(byGrant).map((name) => JSON.stringify(name));
    throw new CommandFailure(
      `--grant ${JSON.stringify(options.grant)}: stack ${options.stack} has no pass of that grant ` +
        `(${known.length > 0 ? known.join(", ") : "it has none"})`,
      2,
    );
  }
  const entry = grantPassSchema.safeParse(byGrant[options.grant]);
  if (!entry.success)
    throw new CommandFailure(`the pass of grant ${options.grant} is not one entra-tap wrote`, 1);
  return entry.data;
}

function readIdentities(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error);
    throw new CommandFailure(`--identity ${file}: cannot be read (${reason})`, 2);
  }
  const identities = identitiesIn(text);
  if (identities.length === 0) {
    throw new CommandFailure(`--identity ${file}: holds no age identity (a line AGE-SECRET-KEY-1...)`, 2);
  }
  return identities;
}

/** What the recipient is shown; every value from the stack neutralised (the passcode too: it is Graph's text). */
function rendered(grant: string, pass: GrantPass, passcode: string): string {
  const shown = (value: string | null | undefined) => neutralise(value ?? "unknown");
  return [
    `Pass of grant ${shown(grant)}`,
    `  user:      ${shown(pass.user)}`,
    `  starts:    ${shown(pass.startDateTime)}`,
    `  ends:      ${shown(pass.endDateTime)}`,
    `  one-time:  ${pass.isUsableOnce ? "yes" : "no (usable until it ends)"}`,
    `  sealed to: ${(pass.sealedTo ?? []).map(shown).join(", ")}`,
    `  passcode:  ${neutralise(passcode)}`,
    "",
    "Give it to the user over a channel that proves who is on the other end (in person, or a call back to a number",
    "from HR records); never by e-mail, chat or in the ticket.",
    "",
  ].join("\n");
}

async function handOver(options: HandoverOptions, io: HandoverIo): Promise<number> {
  // Refused before anything is opened: a passcode never reaches a pipe or a file unless asked.
  if (!io.stdoutIsTTY && !options.toPipe) {
    throw new CommandFailure(
      "standard output is not a terminal: the passcode would go to a pipe, a file or a log. Run it in a terminal, " +
        "or add --to-pipe if that is where it must go",
      2,
    );
  }
  const identities = readIdentities(options.identity ?? defaultIdentityFile(io.env));
  const pass = grantPassOf(await readOutputs(options, io), options);
  if (!pass.sealedPasscode) {
    throw new CommandFailure(
      `the pass of grant ${options.grant} holds no sealed passcode (status ${pass.status ?? "unknown"}): ` +
        "it has ended, or was issued before it could be sealed; raise the grant's reissue for a new pass",
      1,
    );
  }
  let passcode: string;
  try {
    passcode = await openSealedPasscode(pass.sealedPasscode, identities);
  } catch (error) {
    const to = (pass.sealedTo ?? []).join(", ");
    throw new CommandFailure(
      `${error instanceof Error ? error.message : String(error)} (the pass of grant ${options.grant} is sealed to ${to || "nobody"})`,
      1,
    );
  }
  io.stdout(rendered(options.grant, pass, passcode));
  return handoverExitCodes.ok;
}

export function runHandover(argv: readonly string[], io: HandoverIo): Promise<number> {
  return runCommand(handoverCommand, argv, io, handOver);
}

/** The stack's `grantPasses` output, as the Pulumi CLI gives it (plain: it holds no Pulumi secret). */
async function pulumiStackOutput(stack: string): Promise<string> {
  const answer = await runPulumi(["stack", "output", "grantPasses", "--json", "--stack", stack]);
  if (answer.status !== 0) throw new Error(answer.stderr.trim() || `pulumi exited ${answer.status}`);
  return answer.stdout;
}

if (require.main === module) {
  runAsMain(runHandover, {
    ...processIo(),
    stdoutIsTTY: process.stdout.isTTY === true,
    stackOutput: pulumiStackOutput,
  });
}
