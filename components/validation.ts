// Schema building blocks shared by the stack's config and the providers' `check`, and the turning of schema
// violations into one message per problem: the key path, the value, and what is allowed. Pulumi-free; what only the
// provider plugin's resources need is in providerInputs.ts.
import { z } from "zod";
import { controlOrBidiCharacter } from "./neutralise";

/** A GUID, as Entra object ids and Azure role definition ids are written (regex source, for building patterns). */
const guidSource = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const objectIdPattern = new RegExp(`^${guidSource}$`);

/** Whether `value` is an Entra object id (a GUID). */
export function isObjectId(value: string): boolean {
  return objectIdPattern.test(value);
}

/** An Entra object id (a GUID), with a message that says what it identifies. */
export function objectId(what: string) {
  return z.string({ error: what }).regex(objectIdPattern, { error: what });
}

/** What the offline plan passes for a `secure:` config value it cannot decrypt; secret fields accept it unchecked. */
export const undecryptedSecret = "[secret]";

/** Thrown when configuration or resource inputs are invalid; `problems` holds one message per problem. */
export class ValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ValidationError";
  }
}

export interface Problem {
  /** Key path below the prefix, e.g. `["includeTargets", 0, "id"]`. */
  path: PropertyKey[];
  /** The offending value. */
  value: unknown;
  /** What is allowed. */
  allowed: string;
  /** False when the value is not to be shown (a key given twice, a key Pulumi refuses). */
  echo?: boolean;
  /** A value too long to show whole, by its start and length (see `excerpt`): masked where the value would be. */
  excerpt?: string;
  /** What the value is, in place of showing it (`an object nested 17 levels deep`): holds none of its content. */
  description?: string;
}

/** An integer in an inclusive range, with a message that states the range. */
export function integerInRange(min: number, max: number) {
  const allowed = `an integer from ${min} to ${max}`;
  return z.int({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed });
}

/** A time as the Pulumi CLI hands over an unquoted YAML date: Go's `2006-01-02 15:04:05 -0700 MST`. */
const goTimeText = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? [-+]\d{4} \S+$/;

/** An ISO 8601 date and time with an offset; an unquoted YAML date gets a message that says to quote it. */
export function isoDateTime() {
  const allowed = "an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z";
  return z.iso.datetime({
    offset: true,
    error: (issue) =>
      typeof issue.input === "string" && goTimeText.test(issue.input)
        ? `${allowed}, in quotes (unquoted, YAML reads a date as a timestamp and Pulumi hands it over as Go prints it)`
        : allowed,
  });
}

/** One of a fixed set of strings, with a message that lists them. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });
}

/** An object that refuses unknown keys (a typo must not fall back to a default), naming the allowed keys. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const keys = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `not a known key; known keys: ${keys}` : "an object",
  });
}

/** Flattens zod issues into problems; unknown keys become one problem each, at their own path. */
export function problemsFromZod(error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue): Problem[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: [...issue.path, key],
        value: undefined,
        allowed: issue.message,
      }));
    }
    return [{ path: issue.path, value: issue.input, allowed: issue.message }];
  });
}

/** Every control or bidirectional character (components/neutralise.ts), to escape in JSON. */
const controlOrBidiCharacters = new RegExp(controlOrBidiCharacter.source, "g");

/**
 * JSON, with every control and bidirectional character escaped as `\uXXXX` (JSON itself leaves DEL, C1, the
 * separators and the bidirectional controls raw): text from a config reaches the terminal only as text.
 */
export function neutralJson(value: unknown): string | undefined {
  return JSON.stringify(value)?.replace(
    controlOrBidiCharacters,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Characters of a long text an excerpt shows. */
export const excerptLength = 40;

/**
 * A text too long to show, by its start and length: `"jane.doe@contoso.com jane.doe@contoso.co"… (84000
 * characters)`; `[secret]` when its start looks like a secret. Only the start is looked at, so no pattern runs over
 * the whole text.
 */
export function excerpt(text: string): string {
  let start = text.slice(0, excerptLength);
  // Not half a character: a high surrogate whose low half was cut off is left out.
  if (/[\ud800-\udbff]$/.test(start)) start = start.slice(0, -1);
  // Wide enough that a secret starting in the excerpt is seen whole: its start may be what the excerpt shows.
  if (looksLikeSecret(neutralJson(text.slice(0, 1_000))!)) return "[secret]";
  return `${neutralJson(start)}… (${text.length} characters)`;
}

/** A key written as is in a path: anything else is quoted, so a key holding a newline cannot forge a line. */
const plainKey = /^[A-Za-z_$][\w$-]{0,63}$/;

/**
 * `entra-tap:policy` + `["includeTargets", 0, "id"]` → `entra-tap:policy.includeTargets[0].id`; a prefix that
 * ends in `:` (a config namespace) takes the first key without a dot. An odd key is quoted: `policy["a b"]`.
 */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    const name = String(key);
    if (!plainKey.test(name)) return `${text}[${truncate(neutralJson(name)!)}]`;
    return text.endsWith(":") ? `${text}${name}` : `${text}.${name}`;
  }, prefix);
}

/**
 * Text that looks like a secret wherever it was pasted: a URL with a query or fragment (webhook tokens, SAS
 * signatures), a bearer token, a JSON Web Token, a `secret=`-style assignment, an age identity.
 */
const secretShapes = [
  /https?:\/\/[^\s"'\\]*[?#][^\s"'\\]*/gi,
  /\bbearer\s+[\w\-.~+/]+=*/gi,
  /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g,
  /\b(?:sig|token|secret|password|passwd|pwd|client_secret|api[_-]?key)=[^\s&"']+/gi,
  // An age identity (the secret half of a handover key) pasted where its public key belongs.
  /\bAGE-SECRET-KEY-(?:PQ-)?1[0-9A-Z]+/gi,
];

/** `text` with everything that looks like a secret replaced by `[secret]`. */
export function maskSecretShapedText(text: string): string {
  return secretShapes.reduce((masked, shape) => masked.replace(shape, "[secret]"), text);
}

/** Whether `text` holds something that looks like a secret. */
function looksLikeSecret(text: string): boolean {
  return maskSecretShapedText(text) !== text;
}

/** Long values are shown by their start and length: a message stays one readable line. */
function truncate(text: string, max = 400): string {
  return text.length <= max ? text : `${text.slice(0, 300)}… (${text.length} characters)`;
}

/** A value as a message shows it: JSON, masked if anything in it looks like a secret, cut short if long. */
function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  let text: string;
  try {
    text = neutralJson(value) ?? String(value);
  } catch {
    return "(a value that cannot be shown)";
  }
  return looksLikeSecret(text) ? "[secret]" : truncate(text);
}

/** One line per problem; the value of a secret path (a webhook URL), or one that looks like a secret, is never shown. */
export function formatProblem(
  prefix: string,
  problem: Problem,
  isSecret: (path: readonly PropertyKey[]) => boolean = () => false,
): string {
  const where = formatPath(prefix, problem.path);
  if (problem.allowed.startsWith("not a known key"))
    return maskSecretShapedText(`${where}: ${problem.allowed}`);
  if (problem.description !== undefined)
    return maskSecretShapedText(
      `${where}: ${problem.description} is not allowed; expected ${problem.allowed}`,
    );
  if (problem.echo === false)
    return maskSecretShapedText(`${where}: not allowed; expected ${problem.allowed}`);
  const value =
    (problem.value !== undefined || problem.excerpt !== undefined) && isSecret(problem.path)
      ? "[secret]"
      : (problem.excerpt ?? describeValue(problem.value));
  return maskSecretShapedText(`${where}: ${value} is not allowed; expected ${problem.allowed}`);
}
