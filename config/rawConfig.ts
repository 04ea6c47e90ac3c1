// The stack's raw config, read the way Pulumi reads it and made safe to validate: keys parsed as Pulumi parses them,
// values parsed from JSON into objects without prototypes, and hostile shapes (prototype keys, absurd nesting, huge
// strings) refused with a message before any schema (or regex) sees them.
import { excerpt, neutralJson, type Problem } from "../components/validation";

/** Keys that would change what JavaScript objects inherit, or shadow what they are: never a config key. */
export const forbiddenKeys = ["__proto__", "constructor", "prototype"];
/** Objects and lists nested deeper than any real entra-tap value (the deepest is a grant's role, 4 levels). */
export const maxDepth = 16;
/** Longer than any real text in entra-tap's config (a reason, a description): anything longer is a paste gone wrong. */
export const maxStringLength = 4_096;

export interface RawConfig {
  /** Values by key of the namespace, in objects without prototypes. */
  values: Record<string, unknown>;
  /** Problems found before validation; paths start with the key. */
  problems: Problem[];
  /** Paths refused here: the schema does not judge them again, nor what contains them. */
  refusedPaths: PropertyKey[][];
}

/**
 * Pulumi's config keys are `<namespace>:<name>`, or the legacy `<namespace>:config:<name>`, which Pulumi reads as
 * `<namespace>:<name>`; any other key is refused, as Pulumi refuses it.
 */
export function parseConfigKey(fullKey: string): { namespace: string; name: string } | undefined {
  const parts = fullKey.split(":");
  if (parts.length === 2 && parts[0] !== "" && parts[1] !== "")
    return { namespace: parts[0], name: parts[1] };
  if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") {
    return { namespace: parts[0], name: parts[2] };
  }
  return undefined;
}

/** Reads the keys of `namespace` from Pulumi's raw config (`namespace:key` → text, structured values as JSON). */
export function readRawConfig(raw: Record<string, string>, namespace: string): RawConfig {
  const values: Record<string, unknown> = Object.create(null);
  const problems: Problem[] = [];
  const refuse = (problem: Problem) => problems.push(problem);
  for (const [fullKey, text] of Object.entries(raw)) {
    const key = parseConfigKey(fullKey);
    if (!key) {
      if (fullKey.startsWith(`${namespace}:`)) {
        const name = fullKey.slice(namespace.length + 1);
        refuse({
          path: [name],
          value: undefined,
          allowed: `a key of the form ${namespace}:<name> (Pulumi refuses "${fullKey}": configuration keys have one ":")`,
          echo: false,
        });
      }
      continue;
    }
    if (key.namespace !== namespace) continue;
    if (forbiddenKeys.includes(key.name)) {
      refuse(forbiddenKey([key.name]));
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(values, key.name)) {
      refuse({
        path: [key.name],
        value: undefined,
        allowed: `one value (it is given twice, as ${namespace}:${key.name} and ${namespace}:config:${key.name})`,
        echo: false,
      });
      continue;
    }
    const read = readValue(key.name, text);
    problems.push(...read.problems);
    if (read.value !== undefined) values[key.name] = read.value;
  }
  return { values, problems, refusedPaths: problems.map((p) => p.path) };
}

/** Whether a schema problem at `path` is about something already refused: the same place, inside it, or around it. */
export function isAboutRefused(
  path: readonly PropertyKey[],
  refusedPaths: readonly PropertyKey[][],
): boolean {
  const startsWith = (long: readonly PropertyKey[], short: readonly PropertyKey[]) =>
    short.every((key, index) => String(long[index]) === String(key));
  return refusedPaths.some((refused) => startsWith(path, refused) || startsWith(refused, path));
}

/** `__proto__, constructor or prototype`. */
const forbiddenKeysText = `${forbiddenKeys.slice(0, -1).join(", ")} or ${forbiddenKeys.at(-1)}`;

function forbiddenKey(path: PropertyKey[]): Problem {
  return {
    path,
    value: undefined,
    description: `the key ${neutralJson(String(path.at(-1)))}`,
    allowed: `a key other than ${forbiddenKeysText} (names reserved by JavaScript objects)`,
  };
}

/** A text value: JSON where it is JSON (Pulumi stores structured values so), else the text itself. */
function readValue(name: string, text: string): { value?: unknown; problems: Problem[] } {
  const depth = nestingDepth(text);
  if (depth > maxDepth) {
    return { problems: [tooDeep([name], kindOfText(text), `${depth}`)] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  const problems: Problem[] = [];
  const value = safeCopy(parsed, [name], problems);
  return { value, problems };
}

/** What JSON text holds, by its first character: `an object`, `a list`, else `a value`. */
function kindOfText(text: string): string {
  const first = text.trimStart()[0];
  return first === "{" ? "an object" : first === "[" ? "a list" : "a value";
}

/** A value nested deeper than `maxDepth`, described by its kind and depth rather than shown. */
function tooDeep(path: PropertyKey[], kind: string, depth: string): Problem {
  return {
    path,
    value: undefined,
    description: `${kind} nested ${depth} levels deep`,
    allowed: `a value nested at most ${maxDepth} levels deep`,
  };
}

/** How deeply `[` and `{` nest in JSON text, outside strings; counted without recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") deepest = Math.max(deepest, ++depth);
    else if (c === "]" || c === "}") depth--;
  }
  return deepest;
}

/**
 * A copy in objects without prototypes; forbidden keys, over-long strings and (should the text's depth not have
 * been measured) over-deep values become problems. The value at `path` is inside `path.length - 1` objects or lists.
 */
function safeCopy(value: unknown, path: PropertyKey[], problems: Problem[]): unknown {
  if (typeof value === "string") {
    if (value.length > maxStringLength) {
      problems.push({
        path,
        value: undefined,
        excerpt: excerpt(value),
        allowed: `text of at most ${maxStringLength} characters`,
      });
      // Not handed to the schema: a pattern run over it could take seconds.
      return "";
    }
    return value;
  }
  if (value !== null && typeof value === "object" && path.length > maxDepth) {
    problems.push(tooDeep(path, Array.isArray(value) ? "a list" : "an object", `more than ${maxDepth}`));
    return undefined;
  }
  if (Array.isArray(value)) return value.map((item, index) => safeCopy(item, [...path, index], problems));
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = Object.create(null);
    for (const [key, item] of Object.entries(value)) {
      if (forbiddenKeys.includes(key)) {
        problems.push(forbiddenKey([...path, key]));
        continue;
      }
      copy[key] = safeCopy(item, [...path, key], problems);
    }
    return copy;
  }
  return value;
}
