// Reads a stack's config the way the Pulumi CLI presents it to a program: the project's config (`config:` in
// Pulumi.yaml, the standard every stack of the project shares) under the stack's file (Pulumi.<stack>.yaml), keys with
// their namespace, structured values as JSON text. A key the stack sets replaces the project's value whole, as the CLI
// does (it does not merge objects: seen with the real CLI, and what the engine suite's fleet test relies on).
// `secure:` values cannot be decrypted offline: each becomes a mask, and one that cannot be Pulumi ciphertext at all
// (a plaintext secret pasted there) is refused, naming its key.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, type ScalarTag } from "yaml";
import { formatPath, undecryptedSecret } from "../components/validation";
import { configNamespace } from "../config";

/** The project's folder, where Pulumi.<stack>.yaml files live. */
export const projectDir = path.resolve(__dirname, "..");
/** The Pulumi project's name, which is also the namespace of its own config keys. */
export const projectName = configNamespace;

/** Pulumi's stack names: letters, digits, `-`, `_` and `.` (so a name never leaves the project's folder). */
const stackNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export const stackNameRule = `letters, digits, "-", "_" and "." (Pulumi's stack names)`;

export const isStackName = (name: string) => stackNamePattern.test(name);

/** Why `stack` is not a stack name, for a `--stack` error; undefined when it is one. */
export function stackNameProblem(stack: string): string | undefined {
  return isStackName(stack)
    ? undefined
    : `--stack ${JSON.stringify(stack)}: not a stack name; allowed: ${stackNameRule}`;
}

/** The stack's config file: `--config-file` when given, else Pulumi.<stack>.yaml in the project's folder. */
export function stackFilePath(stack: string, configFile?: string): string {
  return path.resolve(configFile ?? path.join(projectDir, `Pulumi.${stack}.yaml`));
}

/** Where a key's value comes from: the project's standard, the stack's own file, or the stack's replacing the standard's. */
export type ConfigLayer = "project" | "stack" | "stack, replacing the project's";

export interface StackFileConfig {
  /** `namespace:key` → value as Pulumi hands it to a program (structured values as JSON). */
  config: Record<string, string>;
  /** Each key's layer, in the order the program sees the keys. */
  layers: Record<string, ConfigLayer>;
  /** Keys holding a `secure:` value somewhere; the plan cannot decrypt them and shows them masked. */
  secretKeys: string[];
  /** What the CLI would refuse in the file (one message each); empty when it reads cleanly. */
  problems: string[];
}

/**
 * Pulumi's ciphertext: the passphrase provider's `v1:<nonce>:<sealed>` (base64 parts), or a cloud or service
 * secrets provider's base64 blob. Anything else (a URL, text with spaces) was never encrypted.
 */
const pulumiCiphertext = /^(v1:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9+/]{16,}={0,2})$/;

/**
 * An unquoted date in a stack file is a YAML timestamp, and the Pulumi CLI hands it to the program as Go prints a
 * time (`2026-11-30 08:00:00 +0000 UTC`), not as written (seen with the real CLI in the engine suite). The plan reads
 * it the same way, so it refuses what preview refuses; the date's message says to quote it.
 */
const timestampAsTheCliGivesIt: ScalarTag = {
  tag: "tag:yaml.org,2002:timestamp",
  default: true,
  identify: () => false,
  test: /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?[ \t]*(Z|[-+]\d{1,2}(?::?\d{2})?)?)?$/,
  resolve: goTimeString,
};

/** A YAML timestamp as Go's time.Time prints it: `2006-01-02 15:04:05.999999999 -0700 MST`. */
export function goTimeString(text: string): string {
  const match = timestampAsTheCliGivesIt.test!.exec(text)!;
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "", zone = "Z"] = match;
  const two = (value: string) => value.padStart(2, "0");
  const trimmedFraction = fraction.replace(/0+$/, "").replace(/^\.$/, "");
  let offset = "+0000 UTC";
  if (zone !== "Z") {
    const [, sign, hours, minutes = "00"] = /^([-+])(\d{1,2}):?(\d{2})?$/.exec(zone)!;
    const numeric = `${sign}${two(hours)}${minutes}`;
    offset = numeric === "+0000" || numeric === "-0000" ? "+0000 UTC" : `${numeric} ${numeric}`;
  }
  return `${year}-${two(month)}-${two(day)} ${two(hour)}:${two(minute)}:${two(second)}${trimmedFraction} ${offset}`;
}

/** The project file of a stack file: the Pulumi.yaml beside it, as Pulumi keeps them. */
export function projectFileOf(stackFile: string): string {
  return path.join(path.dirname(stackFile), "Pulumi.yaml");
}

/** Parses a Pulumi YAML file (a stack's or the project's) as the CLI does: dates as Go prints them, aliases bounded. */
function readPulumiYaml(file: string, what: string): { config?: Record<string, unknown> } {
  try {
    return (parseYaml(fs.readFileSync(file, "utf8"), {
      maxAliasCount: 100,
      customTags: [timestampAsTheCliGivesIt],
    }) ?? {}) as { config?: Record<string, unknown> };
  } catch (error) {
    const reason = error instanceof RangeError ? "it is nested too deeply" : (error as Error).message;
    throw new Error(`${file} is not a ${what} Pulumi can read: ${reason}`, { cause: error });
  }
}

/**
 * The project's config (Pulumi.yaml `config:`), as Pulumi's project file writes it: a plain value, or `{ value: ... }`
 * (an object's only form), or `{ default: ... }` with a type. None when the file is missing (a stack file given by
 * itself). A project value cannot be secret (Pulumi refuses it there too).
 */
export function readProjectConfig(
  file: string,
  project: string = projectName,
): { config: Record<string, unknown>; problems: string[] } {
  if (!fs.existsSync(file)) return { config: {}, problems: [] };
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [rawKey, entry] of Object.entries(readPulumiYaml(file, "project file").config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      config[key] = entry;
    } else if ("value" in entry || "default" in entry) {
      const { value, default: fallback, secret } = entry as Record<string, unknown>;
      if (secret === true) {
        problems.push(
          `${path.basename(file)} config.${rawKey}: a project value cannot be secret; set it per stack`,
        );
      }
      config[key] = "value" in entry ? value : fallback;
    } else {
      problems.push(
        `${path.basename(file)} config.${rawKey}: not a project config value; write an object as { value: ... } ` +
          "(Pulumi's project-level config)",
      );
    }
  }
  return { config, problems };
}

/**
 * A stack's config as its program sees it: the project's (`projectFile`, by default the Pulumi.yaml beside the stack
 * file) under the stack file's, key by key, each key's layer recorded.
 */
export function readStackFile(
  file: string,
  project: string = projectName,
  projectFile: string = projectFileOf(file),
): StackFileConfig {
  if (!fs.existsSync(file)) throw new Error(`no stack config file ${file}`);
  const stack = configOf(readPulumiYaml(file, "stack config file"), project);
  const base = readProjectConfig(projectFile, project);
  const baseConfig = configOf({ config: base.config }, project);
  const config: Record<string, string> = { ...baseConfig.config, ...stack.config };
  const layers: Record<string, ConfigLayer> = {};
  for (const key of Object.keys(config)) {
    layers[key] = !(key in stack.config)
      ? "project"
      : key in baseConfig.config
        ? "stack, replacing the project's"
        : "stack";
  }
  return {
    config,
    layers,
    secretKeys: stack.secretKeys,
    problems: [...base.problems, ...baseConfig.problems, ...stack.problems],
  };
}

function configOf(
  document: { config?: Record<string, unknown> },
  project: string,
): Omit<StackFileConfig, "layers"> {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const problems: string[] = [];
  for (const [rawKey, rawValue] of Object.entries(document.config ?? {})) {
    // A key without a namespace is the project's, as the CLI reads it.
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    let secret = false;
    const value = replaceSecure(rawValue, [], (path, ciphertext) => {
      secret = true;
      if (typeof ciphertext !== "string" || !pulumiCiphertext.test(ciphertext)) {
        problems.push(
          `${formatPath(key, path)}: a secure: value that is not Pulumi ciphertext (never shown); set it with ` +
            `pulumi config set --secret${path.length > 0 ? " --path" : ""} '${formatPath(key, path)}' <value>`,
        );
      }
    });
    if (secret) secretKeys.push(key);
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config, secretKeys, problems };
}

function replaceSecure(
  value: unknown,
  path: PropertyKey[],
  onSecret: (path: PropertyKey[], ciphertext: unknown) => void,
): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => replaceSecure(item, [...path, index], onSecret));
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === "secure") {
      onSecret(path, entries[0][1]);
      return undecryptedSecret;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, replaceSecure(v, [...path, k], onSecret)]));
  }
  return value;
}
