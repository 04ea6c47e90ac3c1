// `npm run sandbox -- [--stack sandbox] [--port <n>]`: entra-tap without a tenant. It starts the Graph emulator on
// loopback with a small tenant (Microsoft's default TAP policy, the sample's groups, a contractor to grant access to,
// another holding a pass nobody declared), writes a stack for it that uses only what runs locally (groups by object
// id, `membership: pim`, no Azure roles, no monitoring: the azuread and azure-native plugins talk to Microsoft), makes
// the stack in a file backend of its own, and serves until Ctrl-C. Each start is a new tenant and a new backend.
import * as fs from "node:fs";
import * as path from "node:path";
import { GraphEmulator } from "../../test/support/graphEmulator";
import { testRecipient } from "../../test/support/handoverIdentities";
import { sampleGroups, sandboxUsers, seedSandboxTenant } from "../../test/support/sampleTenant";
import {
  type CliIo,
  CommandFailure,
  type CommandSpec,
  exitCodes,
  processIo,
  type PulumiAnswer,
  runAsMain,
  runCommand,
  runPulumi,
  type StackOptions,
} from "../cli";

export const sandboxExitCodes = exitCodes.sandbox;

export interface SandboxIo extends CliIo {
  /** The Pulumi project's folder (npm runs a script in its project's folder). */
  cwd: string;
  pulumi: (args: string[], cwd: string, env: NodeJS.ProcessEnv) => Promise<PulumiAnswer>;
  /** Resolves when the sandbox is to stop: Ctrl-C or SIGTERM for the process. */
  stopped: () => Promise<void>;
}

interface SandboxOptions extends StackOptions {
  port: string;
}

/** The line that opens every stack file the sandbox writes: only a file that holds it is ever overwritten. */
export const sandboxFileMarker = "# Written by `npm run sandbox`";

const sandboxCommand: CommandSpec<SandboxOptions> = {
  command: "sandbox",
  description:
    "Try entra-tap without a tenant: the Graph emulator on loopback with a small tenant, a stack for it " +
    "(Pulumi.<stack>.yaml) in a file backend of its own (.sandbox/<stack>), served until Ctrl-C.",
  stackHelp: "the sandbox stack's name, starting with sandbox (its file, Pulumi.<name>.yaml, is git-ignored)",
  stackDefault: "sandbox",
  options: (program) =>
    program.option("--port <n>", "the emulator's port on 127.0.0.1 (0: any free port)", "0"),
  check: (options) => {
    if (!/^sandbox[a-z0-9-]*$/.test(options.stack)) {
      return `--stack ${JSON.stringify(options.stack)}: allowed: a name starting with "sandbox" (lowercase letters, digits, dashes)`;
    }
    const port = Number(options.port);
    return Number.isInteger(port) && port >= 0 && port <= 65535
      ? undefined
      : `--port ${JSON.stringify(options.port)}: allowed: an integer from 0 to 65535`;
  },
};

const hour = 3_600_000;

/** The stack file: its choices explained where they are made, the grant's times relative to `now`. */
export function sandboxStackText(recipientKey: string, now: number, tenantId: string): string {
  const minute = Math.floor(now / 60_000) * 60_000;
  const iso = (time: number) => JSON.stringify(new Date(time).toISOString());
  const { jane } = sandboxUsers;
  return `${sandboxFileMarker} for the sandbox tenant (each start writes it anew). Only what runs on this
# machine: groups by object id (a group by name is an azuread resource), membership: pim (a direct membership is an
# azuread resource), users by object id (a user principal name is looked up through azuread), no Azure roles and no
# monitoring (azure-native). The policy pack flags the missing audit trail: a tenant's stack declares monitoring.
config:
  entra-tap:cloud: global
  # The emulator's tenant: its token names it, and every Graph call is checked to go to it.
  entra-tap:tenantId: ${tenantId}
  entra-tap:policy:
    state: enabled
    minimumLifetimeInMinutes: 60
    defaultLifetimeInMinutes: 60
    maximumLifetimeInMinutes: 240
    defaultLength: 16
    isUsableOnce: true
    includeTargets: []
    excludeTargets: []
    # pulumi destroy puts back the policy the first pulumi up found: Microsoft's default, turned off.
    onDestroy: restore
  entra-tap:audience:
    targets:
      contractors:
        objectId: ${sampleGroups.contractors.id} # ${sampleGroups.contractors.displayName}
    exclusions:
      breakGlass:
        objectId: ${sampleGroups.breakGlass.id} # ${sampleGroups.breakGlass.displayName}
  # The approver's public key; the identity that opens what is sealed to it is in .sandbox/<stack>/ (SOPS_AGE_KEY_FILE
  # in its env file), so npm run handover opens Jane's pass.
  entra-tap:handover:
    recipients:
      tom.becker@contoso.com: ${recipientKey}
  entra-tap:grants:
    - name: contractor-jane-doe
      user: ${jane.id} # ${jane.userPrincipalName}
      reason: Data platform migration, phase 2
      ticket: CHG-20418
      requestedBy: maria.garcia@contoso.com
      approvedBy: tom.becker@contoso.com
      start: ${iso(minute)}
      expiry: ${iso(minute + 8 * hour)}
      lifetimeInMinutes: 60
      group: contractors
      # PIM for Groups: Entra ends the membership at the expiry by itself.
      membership: pim
`;
}

/** The environment to run pulumi and npm in, as the env file exports it. */
function sandboxEnv(emulator: GraphEmulator, dir: string, io: SandboxIo): Record<string, string> {
  const onPath = (io.env.PATH ?? "")
    .split(path.delimiter)
    .some((entry) => entry !== "" && fs.existsSync(path.join(entry, "pulumi")));
  const built = path.join(io.cwd, ".tools", "bin");
  return {
    ...emulator.env(),
    PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "sandbox",
    SOPS_AGE_KEY_FILE: path.join(dir, "approver-identity.txt"),
    // Only entra-tap's own plugin runs: azuread's and azure-native's are not needed, so not downloaded.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...(!onPath && fs.existsSync(path.join(built, "pulumi"))
      ? { PATH: `${built}${path.delimiter}${io.env.PATH ?? ""}` }
      : {}),
  };
}

function envFileText(env: Record<string, string>): string {
  const quoted = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
  return [
    "# The sandbox's environment (npm run sandbox): source it in the shell you run pulumi and npm in.",
    ...Object.entries(env).map(([key, value]) => `export ${key}=${quoted(value)}`),
    "",
  ].join("\n");
}

async function sandbox(options: SandboxOptions, io: SandboxIo): Promise<number> {
  const stackFile = path.join(io.cwd, `Pulumi.${options.stack}.yaml`);
  if (fs.existsSync(stackFile) && !fs.readFileSync(stackFile, "utf8").includes(sandboxFileMarker)) {
    throw new CommandFailure(
      `${stackFile} exists and was not written by the sandbox: it is left as it is; choose another --stack`,
      sandboxExitCodes.usage,
    );
  }
  const dir = path.join(io.cwd, ".sandbox", options.stack);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "backend"), { recursive: true, mode: 0o700 });
  const emulator = await GraphEmulator.start({ port: Number(options.port) });
  try {
    const now = io.now?.() ?? Date.now();
    seedSandboxTenant(emulator, now);
    const approver = await testRecipient("tom.becker@contoso.com");
    const env = sandboxEnv(emulator, dir, io);
    fs.writeFileSync(env.SOPS_AGE_KEY_FILE, `${approver.identity}\n`, { mode: 0o600 });
    fs.writeFileSync(stackFile, sandboxStackText(approver.key, now, emulator.tenantId));
    const envFile = path.join(dir, "env");
    fs.writeFileSync(envFile, envFileText(env), { mode: 0o600 });
    const init = await io.pulumi(["stack", "init", options.stack, "--non-interactive"], io.cwd, {
      ...io.env,
      ...env,
    });
    if (init.status !== 0) {
      throw new CommandFailure(
        `pulumi stack init ${options.stack} failed (exit ${init.status}): ${init.stderr.trim() || init.stdout.trim()}` +
          " (no Pulumi CLI? bash scripts/pulumi-cli.sh builds one into .tools/bin, which the sandbox then uses)",
        sandboxExitCodes.failed,
      );
    }
    const stack = `--stack ${options.stack}`;
    io.stdout(
      [
        `Sandbox ready: Graph on ${emulator.url}, stack ${options.stack} (${path.basename(stackFile)}), backend and ` +
          `keys in ${path.relative(io.cwd, dir)}/. Ctrl-C stops it.`,
        "In another shell, in this folder:",
        `  source ${path.relative(io.cwd, envFile)}`,
        `  pulumi up ${stack} --yes                                   # the policy, Jane's membership and pass`,
        `  npm run handover -- ${stack} --grant contractor-jane-doe   # Jane's passcode`,
        `  npm run review -- ${stack}                                 # finds Mallory's undeclared pass`,
        `  npm run review -- ${stack} --revoke-undeclared --yes       # deletes it`,
        `  pulumi destroy ${stack} --yes                              # everything removed, the policy put back`,
        "The README's sandbox section walks through it, drift included.",
        "",
      ].join("\n"),
    );
    await io.stopped();
    io.stderr("Sandbox stopped: its tenant is gone; the next start makes a new one.\n");
    return sandboxExitCodes.ok;
  } finally {
    await emulator.stop();
  }
}

export function runSandbox(argv: readonly string[], io: SandboxIo): Promise<number> {
  return runCommand(sandboxCommand, argv, io, sandbox);
}

if (require.main === module) {
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  runAsMain(runSandbox, {
    ...processIo(),
    cwd: process.cwd(),
    pulumi: runPulumi,
    stopped: () => stopped,
  });
}
