// `npm run export -- --stack <name>`: reads the tenant's live TAP policy (and the names of the groups it targets and
// excludes) and writes a Pulumi.<name>.yaml that declares exactly that policy, each group named in a comment, with
// what the policy pack flags in it. The first `pulumi up` of that stack adopts the policy without changing it.
// `--help` documents every flag and the exit statuses (scripts/cli.ts holds them).
import * as fs from "node:fs";
import { Option } from "commander";
import { Document, isMap, isScalar, isSeq } from "yaml";
import {
  type GraphClient,
  graphClientFromEnvironment,
  type GraphClientOptions,
} from "../components/graph/client";
import {
  type GraphCloud,
  graphCloudNames,
  graphEndpointVariable,
  graphTokenVariable,
} from "../components/graph/clouds";
import { groupNames } from "../components/graph/directory";
import { tapPolicyPath, tapPolicySettingsFromGraph } from "../components/graph/tapPolicy";
import { allUsersTarget, type TapPolicySettings } from "../components/tapPolicySettings";
import { temporaryAccessPassPolicyType } from "../components/temporaryAccessPassPolicyConfiguration";
import { ValidationError } from "../components/validation";
import { neutralise } from "../components/neutralise";
import {
  checkStackConfig,
  type CliIo,
  type CommandSpec,
  exitCodes,
  problemList,
  processIo,
  readStackConfig,
  runAsMain,
  runCommand,
  shownError,
  type StackOptions,
} from "./cli";
import type { Violation } from "./policyRunner";
import { stackFilePath } from "./stackFile";

/** The export's exit codes (scripts/cli.ts holds every command's). */
export const exportExitCodes = exitCodes.export;

export interface ExportIo extends CliIo {
  graphOptions?: Partial<Omit<GraphClientOptions, "endpoint" | "credential">>;
}

interface ExportOptions extends StackOptions {
  cloud: GraphCloud;
  force?: boolean;
}

const exportCommand: CommandSpec<ExportOptions> = {
  command: "export",
  description:
    "Write a stack config (Pulumi.<name>.yaml) that declares the tenant's live TAP policy exactly, so that the " +
    "first `pulumi up` adopts it without changing it. Read-only in the tenant.",
  stackHelp: "the stack to write the config of (Pulumi.<name>.yaml)",
  configFileHelp: "write to this file instead of Pulumi.<name>.yaml in the project",
  options: (program) =>
    program
      .addOption(
        new Option("--cloud <cloud>", "the tenant's Microsoft cloud (entra-tap:cloud)")
          .choices(graphCloudNames)
          .default("global"),
      )
      .option("--force", "overwrite the file if it exists"),
  helpAfter: [
    `Graph is reached as the providers reach it: DefaultAzureCredential for --cloud, or ${graphEndpointVariable}`,
    `and ${graphTokenVariable} for a loopback emulator. Needs Policy.Read.AuthenticationMethod and`,
    "GroupMember.Read.All (the groups' names).",
  ],
};

/** The stack config that declares `settings`, as the program reads it (`entra-tap:*` keys). */
export function declaredConfig(settings: TapPolicySettings, cloud: GraphCloud): Record<string, unknown> {
  return {
    "entra-tap:cloud": cloud,
    "entra-tap:policy": {
      state: settings.state,
      minimumLifetimeInMinutes: settings.minimumLifetimeInMinutes,
      defaultLifetimeInMinutes: settings.defaultLifetimeInMinutes,
      maximumLifetimeInMinutes: settings.maximumLifetimeInMinutes,
      defaultLength: settings.defaultLength,
      isUsableOnce: settings.isUsableOnce,
      includeTargets: settings.includeTargets.map((t) => ({
        id: t.id,
        isRegistrationRequired: t.isRegistrationRequired,
      })),
      excludeTargets: settings.excludeTargets.map((t) => ({ id: t.id })),
      // The policy found is what destroy puts back: the tenant ends up as it was before entra-tap.
      onDestroy: "restore",
    },
  };
}

/** Targets entra-tap cannot declare: anything but a group (or all_users). */
export function undeclarableTargets(settings: TapPolicySettings): string[] {
  return [
    ...settings.includeTargets.map((t) => ({ ...t, list: "includeTargets" })),
    ...settings.excludeTargets.map((t) => ({ ...t, list: "excludeTargets" })),
  ]
    .filter((t) => (t.targetType ?? "group") !== "group")
    .map((t) => `${t.list}: ${t.id} (targetType ${t.targetType})`);
}

/**
 * The YAML text: the config, each group's name as a comment on its id, and a header saying what it is. Every comment
 * is neutralised: a line break in a group's name would otherwise end the comment and write YAML keys.
 */
export function renderStackFile(
  config: Record<string, unknown>,
  names: Map<string, string>,
  header: string[],
): string {
  const doc = new Document({ config });
  doc.commentBefore = header.map((line) => ` ${neutralise(line)}`.trimEnd()).join("\n");
  for (const list of ["includeTargets", "excludeTargets"]) {
    const items = doc.getIn(["config", "entra-tap:policy", list], true);
    if (isSeq(items)) {
      for (const item of items.items) {
        if (!isMap(item)) continue;
        const id = item.get("id", true);
        if (!isScalar(id)) continue;
        const value = String(id.value);
        id.comment =
          value === allUsersTarget
            ? " every user in the tenant"
            : ` ${neutralise(names.get(value) ?? "no such group in the tenant")}`;
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** What the policy pack says about the declared policy, as the offline plan would run it. */
export async function packFindings(config: Record<string, unknown>): Promise<Violation[]> {
  // Loaded when first needed: the pack brings the Pulumi SDK, which `--help` and a refusal do not need.
  const [{ runPolicies }, { policies }] = await Promise.all([
    import("./policyRunner"),
    import("../policies/policies"),
  ]);
  const policy = config["entra-tap:policy"] as Record<string, unknown>;
  return runPolicies(policies, [
    {
      type: temporaryAccessPassPolicyType,
      name: "tap-policy",
      props: { ...policy, cloud: config["entra-tap:cloud"] },
    },
  ]);
}

/** Config as Pulumi hands it to a program: structured values as JSON text. */
function asRawConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/** The live policy and the names of the groups it targets and excludes; a user targeted one by one is refused. */
async function readLivePolicy(
  graph: GraphClient,
): Promise<{ settings: TapPolicySettings; names: Map<string, string> } | { undeclarable: string[] }> {
  const settings = tapPolicySettingsFromGraph(
    (await graph.get<unknown>("Read the TemporaryAccessPass policy", tapPolicyPath)).body,
  );
  const undeclarable = undeclarableTargets(settings);
  if (undeclarable.length > 0) return { undeclarable };
  const groupIds = [...settings.includeTargets, ...settings.excludeTargets]
    .map((t) => t.id)
    .filter((id) => id !== allUsersTarget);
  return { settings, names: await groupNames(graph, [...new Set(groupIds)]) };
}

/** The file's header: what it is, groups the tenant lacks, and what the policy pack flags. */
function fileHeader(
  options: ExportOptions,
  settings: TapPolicySettings,
  names: Map<string, string>,
  findings: Violation[],
  now: number,
): string[] {
  const missing = [
    ...new Set([...settings.includeTargets, ...settings.excludeTargets].map((t) => t.id)),
  ].filter((id) => id !== allUsersTarget && !names.has(id));
  const found = new Date(now).toISOString().slice(0, 16).replace("T", " ");
  return [
    `The ${options.stack} stack: the tenant's TAP policy as \`npm run export\` found it on ${found} UTC (cloud ${options.cloud}).`,
    "It declares the policy exactly, so the first `pulumi up` adopts it without changing it; onDestroy: restore",
    "gives it back as found. Check with `npm run plan` and `pulumi preview` before the first `pulumi up`.",
    "To declare grants, move the targeted groups into entra-tap:audience.targets (key: { objectId: <id> }) and the",
    "excluded ones into entra-tap:audience.exclusions; see docs/configuration.md.",
    ...(missing.length > 0
      ? ["", `Groups the policy names that do not exist in the tenant: ${missing.join(", ")}.`]
      : []),
    "",
    ...(findings.length === 0
      ? ["The policy pack flags nothing in this policy."]
      : [
          "What the policy pack flags in this policy (npm run plan shows the same):",
          ...findings.map((v) => `  [${v.enforcementLevel}] ${v.policy}: ${v.message}`),
        ]),
  ];
}

/**
 * Writes `text` next to `file`, checks it reads back as the stack config the plan would read, then moves it into
 * place (never half a file there; without --force, never over an existing file).
 */
function writeStackFile(
  file: string,
  text: string,
  options: ExportOptions,
  io: ExportIo,
  now: number,
): number {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, text, { flag: "wx" });
    const written = readStackConfig({ file: temporary }, now);
    if ("problems" in written) throw new ValidationError(written.problems);
    if (options.force) fs.renameSync(temporary, file);
    else fs.linkSync(temporary, file);
    return exportExitCodes.ok;
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === "EEXIST";
    io.stderr(
      exists
        ? `${file} exists: not overwritten. Pass --force to replace it.\n`
        : `Export failed writing ${file}: ${shownError(error)}\n`,
    );
    return exists ? exportExitCodes.usage : exportExitCodes.failed;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * What to run next, and what it will say: the plan (and `pulumi preview`, `up`, which run the same pack) refuses the
 * exported policy while a mandatory finding stands, although the file declares the tenant's policy exactly.
 */
export function nextStep(options: ExportOptions, findings: readonly Violation[]): string {
  const plan = `npm run plan -- --stack ${options.stack}${options.configFile ? ` --config-file ${options.configFile}` : ""}`;
  const mandatory = findings.filter((v) => v.enforcementLevel === "mandatory").length;
  if (mandatory === 0) return `Next: ${plan}, then pulumi preview: no change to the TAP policy.`;
  return (
    `Next: ${plan} exits 1 while the ${mandatory} mandatory finding${mandatory === 1 ? "" : "s"} above stand (pulumi ` +
    "preview and up run the same policy pack). Fix them in the file, in a reviewed change: the first pulumi up then " +
    "adopts the policy and changes it to the fixed values. Or, after review, lower their level in the pack config."
  );
}

/** The summary for the terminal: what the tenant named, and the pack's messages that quote it, neutralised. */
function printSummary(
  options: ExportOptions,
  io: ExportIo,
  file: string,
  settings: TapPolicySettings,
  names: Map<string, string>,
  findings: Violation[],
): void {
  const groups = (list: TapPolicySettings["includeTargets"] | TapPolicySettings["excludeTargets"]) =>
    list
      .map((t) =>
        t.id === allUsersTarget ? "all users" : neutralise(names.get(t.id) ?? `${t.id} (not found)`),
      )
      .join(", ") || "none";
  io.stdout(
    [
      `Wrote ${file}: the live TAP policy (${settings.state}, lifetimes ${settings.minimumLifetimeInMinutes}..${settings.maximumLifetimeInMinutes} min, default ${settings.defaultLifetimeInMinutes}, length ${settings.defaultLength}, one-time ${settings.isUsableOnce}).`,
      `  targets: ${groups(settings.includeTargets)}`,
      `  excluded: ${groups(settings.excludeTargets)}`,
      ...(findings.length === 0
        ? ["The policy pack flags nothing in it."]
        : [
            "The policy pack flags:",
            ...findings.map((v) => `  [${v.enforcementLevel}] ${v.policy}: ${neutralise(v.message)}`),
          ]),
      nextStep(options, findings),
      "",
    ].join("\n"),
  );
}

/**
 * `npm run export`: the target checked (never overwritten without --force), Graph reached, the live policy read,
 * declared and checked as the program would read it, the file written with what the pack flags, and a summary.
 */
export function runExport(argv: string[], io: ExportIo): Promise<number> {
  return runCommand(exportCommand, argv, io, async (options) => {
    const now = io.now?.() ?? Date.now();
    const file = stackFilePath(options.stack, options.configFile);
    if (fs.existsSync(file) && !options.force) {
      io.stderr(
        `${file} exists: not overwritten. Pass --force to replace it, or --config-file to write elsewhere.\n`,
      );
      return exportExitCodes.usage;
    }
    let graph: GraphClient;
    try {
      graph = graphClientFromEnvironment({ cloud: options.cloud }, io.env, io.graphOptions);
    } catch (error) {
      io.stderr(`${shownError(error)}\n`);
      return exportExitCodes.usage;
    }
    let live: Awaited<ReturnType<typeof readLivePolicy>>;
    try {
      live = await readLivePolicy(graph);
    } catch (error) {
      io.stderr(`Export failed: ${shownError(error)}\n`);
      return exportExitCodes.failed;
    }
    if ("undeclarable" in live) {
      io.stderr(
        [
          "The live TAP policy cannot be declared as it is: it targets users one by one, and entra-tap declares",
          "groups only (a declared target is written back to Graph as a group). Put these users in a group, target the",
          "group instead, and export again:",
          ...live.undeclarable.map((target) => `  ${neutralise(target)}`),
          "",
        ].join("\n"),
      );
      return exportExitCodes.failed;
    }
    const { settings, names } = live;
    const config = declaredConfig(settings, options.cloud);
    const checked = checkStackConfig({ config: asRawConfig(config), problems: [] }, now);
    if ("problems" in checked) {
      io.stderr(problemList("The live TAP policy does not make a valid stack config:", checked.problems));
      return exportExitCodes.failed;
    }
    const findings = await packFindings(config);
    const text = renderStackFile(config, names, fileHeader(options, settings, names, findings, now));
    const written = writeStackFile(file, text, options, io, now);
    if (written !== exportExitCodes.ok) return written;
    printSummary(options, io, file, settings, names, findings);
    return exportExitCodes.ok;
  });
}

if (require.main === module) {
  runAsMain(runExport, processIo());
}
