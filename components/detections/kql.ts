// KQL literals for values from config: every text, list, date and duration a query embeds is built here, so nothing of
// an input but its value reaches a query.

/** A KQL timespan for an ISO 8601 duration in minutes, hours or days (PT5M → 5m, PT1H → 1h, P1D → 1d). */
export function kqlTimespan(duration: string): string {
  const match = /^P(?:(\d+)D|T(\d+)([MH]))$/.exec(duration);
  if (!match) throw new Error(`not a duration in minutes, hours or days: ${kqlString(duration)}`);
  return match[1] !== undefined ? `${Number(match[1])}d` : `${Number(match[2])}${match[3].toLowerCase()}`;
}

/** A KQL timespan for a whole number of minutes (60 → 60m); anything else is refused, so only the number reaches a query. */
export function kqlMinutes(minutes: number): string {
  if (!Number.isSafeInteger(minutes) || minutes < 0)
    throw new Error(`not a whole number of minutes: ${minutes}`);
  return `${minutes}m`;
}

/** A KQL string literal for any text: double-quoted, with backslash, quote and control characters escaped. */
export function kqlString(value: string): string {
  const escaped = value.replace(
    /[\\"\n\r\t]/g,
    (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]!,
  );
  return `"${escaped}"`;
}

/** A KQL list of string literals, e.g. `dynamic(["a", "b"])`; an empty list matches nothing. */
export function kqlStringList(values: readonly string[]): string {
  return `dynamic([${values.map(kqlString).join(", ")}])`;
}

/**
 * A KQL datetime literal for an ISO 8601 date and time, normalised to UTC. The literal is built from the parsed date,
 * never from the text, so nothing of the input but the instant reaches the query.
 */
export function kqlDatetime(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`not a date and time: ${kqlString(value)}`);
  return `datetime(${new Date(time).toISOString()})`;
}
