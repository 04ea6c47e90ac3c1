// The building blocks of ARM's rules (armRules.ts): checks of one value, and the checker that walks a resource's
// inputs along a field path. A check says what is allowed; the checker says where a value is not.
import { isSecretValue } from "../../scripts/declaredResources";
import { isUnknownMarker } from "../support/contractStacks";

/** What one value must be: `allowed` names it for people, `test` says whether `value` is it. */
export interface Check {
  allowed: string;
  test(value: unknown): boolean;
}

/** A rule on the values at one field path of a resource's inputs. */
export interface FieldRule {
  /**
   * Where, in the inputs as azure-native or azuread takes them: dot-separated names, `[]` after a name for each item of
   * an array (`criteria.allOf[].operator`), `[]` alone for each value of a map (`tags.[]`).
   */
  path: string;
  /** A missing value fails (the spec or schema requires it); otherwise a missing value is not checked. */
  required?: boolean;
  check: Check;
  /** Where the rule is written: a spec file and api-version, a docs URL, a provider schema. */
  source: string;
}

/** A rule across fields of one resource: the problems it finds in `inputs`, none when they follow it. */
export interface ResourceRule {
  rule: string;
  source: string;
  problems(inputs: Record<string, unknown>, resource: { name: string }): string[];
}

/** The rules of one resource type, and the limits looked for and not found (so that no one invents them). */
export interface TypeRules {
  /** What the rules were checked against: the provider resource's API version or schema. */
  api: string;
  fields: FieldRule[];
  resource?: ResourceRule[];
  /** Limits looked for in the spec and docs and not found: documented here, not checked. */
  undocumented: string[];
}

/** A value at a concrete path, with whether it was a secret (it is then never shown). */
interface Located {
  path: string;
  value: unknown;
  secret: boolean;
}

/** What walking a path found: the values there, and how many were unknown (not checked). */
export interface Walk {
  values: Located[];
  unknown: number;
}

/**
 * The values at `path` in `inputs`. Secrets (as the mock monitor passes them) are unwrapped and marked; a value the
 * mock could not know (`unknownMarker`) is counted and not returned: it is the only value a rule skips. A missing
 * value is returned as `undefined` at the path where it is missing (unless under an array or map with no items).
 */
export function walk(inputs: Record<string, unknown>, path: string): Walk {
  const result: Walk = { values: [], unknown: 0 };
  const step = (value: unknown, at: string, secret: boolean, rest: string[]): void => {
    if (isSecretValue(value)) return step(value.value, at, true, rest);
    if (isUnknownMarker(value)) {
      result.unknown++;
      return;
    }
    if (rest.length === 0) {
      result.values.push({ path: at, value, secret });
      return;
    }
    const [segment, ...tail] = rest;
    if (segment === "[]") {
      for (const [key, item] of mapEntries(value)) step(item, `${at}.${key}`, secret, tail);
      return;
    }
    const many = segment.endsWith("[]");
    const name = many ? segment.slice(0, -2) : segment;
    const here = at ? `${at}.${name}` : name;
    let next = fieldOf(value, name);
    if (!many) return step(next, here, secret, tail);
    let nextSecret = secret;
    if (isSecretValue(next)) {
      next = next.value;
      nextSecret = true;
    }
    if (isUnknownMarker(next)) {
      result.unknown++;
      return;
    }
    if (Array.isArray(next)) next.forEach((item, i) => step(item, `${here}[${i}]`, nextSecret, tail));
    else if (next !== undefined) result.values.push({ path: here, value: next, secret: nextSecret });
  };
  step(inputs, "", false, path.split("."));
  return result;
}

/** The entries of a map (an object, not an array); none of anything else. */
function mapEntries(value: unknown): [string, unknown][] {
  return value && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
}

/** The field `name` of an object (an array's too); undefined of anything else. */
function fieldOf(value: unknown, name: string): unknown {
  return value && typeof value === "object" ? (value as Record<string, unknown>)[name] : undefined;
}

/** A value for a message: secrets masked, long text cut to its start and length. */
function show(located: Pick<Located, "value" | "secret">): string {
  if (located.secret) return "[secret]";
  const { value } = located;
  if (typeof value === "string") {
    return value.length > 80
      ? `${JSON.stringify(value.slice(0, 60))}... (${value.length} characters)`
      : JSON.stringify(value);
  }
  const text = JSON.stringify(value);
  return text === undefined
    ? "undefined"
    : text.length > 80
      ? `${text.slice(0, 60)}... (${text.length} characters)`
      : text;
}

/** The problems of one field rule on a resource's inputs, and how many values it could not check (unknown). */
export function fieldProblems(
  rule: FieldRule,
  inputs: Record<string, unknown>,
): { problems: string[]; unknown: number } {
  const { values, unknown } = walk(inputs, rule.path);
  const problems = values.flatMap((located) => {
    if (located.value === undefined || located.value === null) {
      return rule.required ? [`${located.path} is missing: required, ${rule.check.allowed}`] : [];
    }
    return rule.check.test(located.value)
      ? []
      : [`${located.path} = ${show(located)}: must be ${rule.check.allowed}`];
  });
  return { problems, unknown };
}

// Checks.

export const oneOf = (values: readonly (string | number | boolean)[]): Check => ({
  allowed: `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`,
  test: (value) => values.includes(value as string | number | boolean),
});

export const text = (pattern: RegExp, allowed: string): Check => ({
  allowed,
  test: (value) => typeof value === "string" && pattern.test(value),
});

export const nonEmptyText: Check = {
  allowed: "a non-empty string",
  test: (value) => typeof value === "string" && value.length > 0,
};

/** Text of `min`..`max` characters (UTF-16 code units, as .NET's StringLength and JavaScript count them). */
export const textLength = (min: number, max: number): Check => ({
  allowed: `a string of ${min}..${max} characters`,
  test: (value) => typeof value === "string" && value.length >= min && value.length <= max,
});

export const integerIn = (min: number, max: number): Check => ({
  allowed: `an integer from ${min} to ${max}`,
  test: (value) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
});

export const integer: Check = { allowed: "an integer", test: (value) => Number.isInteger(value) };

export const numberValue: Check = {
  allowed: "a number",
  test: (value) => typeof value === "number" && Number.isFinite(value),
};

export const booleanValue: Check = { allowed: "true or false", test: (value) => typeof value === "boolean" };

export const guidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const guid: Check = text(guidPattern, "a GUID");

/** An array of `min`..`max` items. */
export const items = (min: number, max: number): Check => ({
  allowed: `a list of ${min}..${max} items`,
  test: (value) => Array.isArray(value) && value.length >= min && value.length <= max,
});

export const jsonText: Check = {
  allowed: "a string holding valid JSON",
  test: (value) => {
    if (typeof value !== "string") return false;
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * RFC 3339 date-time, what OpenAPI 2.0's `format: date-time` means (swagger.io/specification/v2, Data Types: "As
 * defined by date-time - RFC3339").
 */
export const dateTime: Check = {
  allowed: "an RFC 3339 date-time (OpenAPI format: date-time), e.g. 2027-11-27T09:00:00Z",
  test: (value) =>
    typeof value === "string" &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value)),
};

/**
 * Minutes in an ISO 8601 duration of days, hours, minutes and seconds (PnDTnHnMnS), as the specs' `format: duration`
 * values are written; undefined when it is not one. Years, months and weeks are refused: the .NET TimeSpan the
 * services read durations into has no calendar units, and no rule here needs them.
 */
export function durationMinutes(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!match || value === "P" || value.endsWith("T")) return undefined;
  const [, days = "0", hours = "0", minutes = "0", seconds = "0"] = match;
  return Number(days) * 1440 + Number(hours) * 60 + Number(minutes) + Number(seconds) / 60;
}

const minutesText = (minutes: number) =>
  minutes % 1440 === 0 ? `P${minutes / 1440}D` : minutes % 60 === 0 ? `PT${minutes / 60}H` : `PT${minutes}M`;

/** An ISO 8601 duration from `min` to `max` minutes. */
export const durationBetween = (min: number, max: number): Check => ({
  allowed: `an ISO 8601 duration from ${minutesText(min)} to ${minutesText(max)}`,
  test: (value) => {
    const minutes = durationMinutes(value);
    return minutes !== undefined && minutes >= min && minutes <= max;
  },
});

/** An ISO 8601 duration of one of `minutes` (P1D and PT24H are the same duration). */
export const durationOneOf = (minutes: readonly number[]): Check => ({
  allowed: `an ISO 8601 duration of one of ${minutes.map(minutesText).join(", ")}`,
  test: (value) => {
    const found = durationMinutes(value);
    return found !== undefined && minutes.includes(found);
  },
});

export const anyDuration: Check = {
  allowed: "an ISO 8601 duration (OpenAPI format: duration), e.g. PT1H",
  test: (value) => durationMinutes(value) !== undefined,
};

/** Bytes of `value` as JSON in UTF-8: what a request body carries. */
export const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
