// `npm run export -- --stack <name>`: reads the tenant's live TAP policy (and the names of the groups it targets and
// excludes) and writes a Pulumi.<name>.yaml that declares exactly that policy, each group named in a comment, with
// what the policy pack flags in it. The first `pulumi up` of that stack adopts the policy without changing it.
//
// Exit status: 0 written; 2 bad arguments or the file exists (without --force); 1 Graph failed, or the live policy
// cannot be declared as it is (a user targeted one by one: entra-tap declares groups).
import * as fs from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { Document, isMap, isScalar, isSeq } from "yaml";
import {
  graphClientFromEnvironment,
  type GraphClientOptions,
  type GraphCloud,
  graphCloudNames,
  graphEndpointVariable,
  graphTokenVariable,
} from "../components/graphClient";
import { allUsersTarget, type TapPolicySettings } from "../components/tapPolicySettings";
import {
  tapPolicyPath,
  tapPolicySettingsFromGraph,
  temporaryAccessPassPolicyType,
} from "../components/temporaryAccessPassPolicyProvider";
import { maskSecretShapedText, ValidationError } from "../components/validation";
import { parseStackConfig } from "../config";
import { policies } from "../policies/policies";
import { neutralise } from "../components/neutralise";
import { runPolicies, type Violation } from "./policyRunner";
import { groupNames } from "./review/scan";
import { readStackFile, stackFilePath, stackNameProblem } from "./stackFile";

export const exportExitCodes = { ok: 0, failed: 1, usage: 2 } as const;

export interface ExportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  graphOptions?: Partial<Omit<GraphClientOptions, "endpoint" | "credential">>;
  /** The time written in the file's header. */
  now?: () => number;
}

interface ExportOptions {
  stack: string;
  configFile?: string;
  cloud: GraphCloud;
  force?: boolean;
}

function exportCommand(io: ExportIo): Command {
  return new Command("npm run export --")
    .description(
      "Write a stack config (Pulumi.<name>.yaml) that declares the tenant's live TAP policy exactly, so that the " +
        "first `pulumi up` adopts it without changing it. Read-only in the tenant.",
    )
    .requiredOption("--stack <name>", "the stack to write the config of (Pulumi.<name>.yaml)")
    .option("--config-file <path>", "write to this file instead of Pulumi.<name>.yaml in the project")
    .addOption(
      new Option("--cloud <cloud>", "the tenant's Microsoft cloud (entra-tap:cloud)")
        .choices(graphCloudNames)
        .default("global"),
    )
    .option("--force", "overwrite the file if it exists")
    .addHelpText(
      "after",
      [
        "",
        "Exit status: 0 written; 2 bad arguments, or the file exists without --force; 1 Graph failed, or the live",
        "policy cannot be declared as it is (a user targeted one by one: entra-tap declares groups only).",
        "",
        `Graph is reached as the providers reach it: DefaultAzureCredential for --cloud, or ${graphEndpointVariable}`,
        `and ${graphTokenVariable} for a loopback emulator. Needs Policy.Read.AuthenticationMethod and`,
        "GroupMember.Read.All (the groups' names).",
      ].join("\n"),
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .allowExcessArguments(false);
}

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

export async function runExport(argv: string[], io: ExportIo): Promise<number> {
  let options: ExportOptions;
  const command = exportCommand(io);
  try {
    command.parse(argv, { from: "user" });
    options = command.opts<ExportOptions>();
    const problem = stackNameProblem(options.stack);
    if (problem) command.error(`error: ${problem}`, { exitCode: exportExitCodes.usage });
  } catch (error) {
    if (error instanceof CommanderError)
      return error.exitCode === 0 ? exportExitCodes.ok : exportExitCodes.usage;
    throw error;
  }
  const file = stackFilePath(options.stack, options.configFile);
  if (fs.existsSync(file) && !options.force) {
    io.stderr(
      `${file} exists: not overwritten. Pass --force to replace it, or --config-file to write elsewhere.\n`,
    );
    return exportExitCodes.usage;
  }
  let graph;
  try {
    graph = graphClientFromEnvironment(options.cloud, io.env, io.graphOptions);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return exportExitCodes.usage;
  }

  let settings: TapPolicySettings;
  let names: Map<string, string>;
  try {
    settings = tapPolicySettingsFromGraph(
      (await graph.get<unknown>("Read the TemporaryAccessPass policy", tapPolicyPath)).body,
    );
    const refused = undeclarableTargets(settings);
    if (refused.length > 0) {
      io.stderr(
        [
          "The live TAP policy cannot be declared as it is: it targets users one by one, and entra-tap declares",
          "groups only (a declared target is written back to Graph as a group). Put these users in a group, target the",
          "group instead, and export again:",
          ...refused.map((target) => `  ${neutralise(target)}`),
          "",
        ].join("\n"),
      );
      return exportExitCodes.failed;
    }
    const groupIds = [...settings.includeTargets, ...settings.excludeTargets]
      .map((t) => t.id)
      .filter((id) => id !== allUsersTarget);
    names = await groupNames(graph, [...new Set(groupIds)]);
  } catch (error) {
    // Graph's messages name groups by what the tenant calls them.
    io.stderr(`Export failed: ${neutralise(maskSecretShapedText((error as Error).message))}\n`);
    return exportExitCodes.failed;
  }

  const config = declaredConfig(settings, options.cloud);
  try {
    parseStackConfig(asRawConfig(config));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    io.stderr(
      `The live TAP policy does not make a valid stack config:\n${error.problems.map((p) => `  ${p}`).join("\n")}\n`,
    );
    return exportExitCodes.failed;
  }
  const findings = await packFindings(config);
  const missing = [
    ...new Set([...settings.includeTargets, ...settings.excludeTargets].map((t) => t.id)),
  ].filter((id) => id !== allUsersTarget && !names.has(id));
  const now = new Date(io.now?.() ?? Date.now()).toISOString();
  const header = [
    `The ${options.stack} stack: the tenant's TAP policy as \`npm run export\` found it on ${now.slice(0, 16).replace("T", " ")} UTC (cloud ${options.cloud}).`,
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
  const text = renderStackFile(config, names, header);

  // Written next to the target, checked as the plan reads it, then moved into place (never half a file there).
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, text, { flag: "wx" });
    const written = readStackFile(temporary);
    parseStackConfig(written.config);
    if (options.force) fs.renameSync(temporary, file);
    else fs.linkSync(temporary, file);
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === "EEXIST";
    io.stderr(
      exists
        ? `${file} exists: not overwritten. Pass --force to replace it.\n`
        : `Export failed writing ${file}: ${(error as Error).message}\n`,
    );
    return exists ? exportExitCodes.usage : exportExitCodes.failed;
  } finally {
    fs.rmSync(temporary, { force: true });
  }

  // The summary for the terminal: what the tenant named, and the pack's messages that quote it, neutralised.
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
      `Next: npm run plan -- --stack ${options.stack}${options.configFile ? ` --config-file ${options.configFile}` : ""}, then pulumi preview: no change to the TAP policy.`,
      "",
    ].join("\n"),
  );
  return exportExitCodes.ok;
}

if (require.main === module) {
  runExport(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${neutralise(maskSecretShapedText(error instanceof Error ? error.message : String(error)))}\n`,
      );
      process.exitCode = exportExitCodes.failed;
    },
  );
}
