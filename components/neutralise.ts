// Text from the tenant (group display names, user principal names, Graph's messages), made safe to show to people: a
// control character could end a line or a Markdown row early and forge the rest, or drive the terminal (ESC sequences
// that clear it, colour text or plant hidden OSC 8 links); a bidirectional control reorders what a name shows.

/**
 * The characters never shown raw: C0 (U+0000..U+001F), DEL, C1 (U+0080..U+009F, NEL U+0085 among them), the line and
 * paragraph separators U+2028/U+2029, and the bidirectional controls U+061C, U+200E, U+200F, U+202A..U+202E and
 * U+2066..U+2069. Not global: safe to `test` with.
 */
export const controlOrBidiCharacter =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** What `neutralise` rewrites: those characters, and the backslash that starts every escape. */
const escaped = new RegExp(`\\\\|${controlOrBidiCharacter.source}`, "g");

const named: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function hex(character: string, digits: number): string {
  return character.charCodeAt(0).toString(16).padStart(digits, "0");
}

/**
 * `text` as JavaScript string escapes show it: `\t`, `\n`, `\r`; `\xhh` for the other characters below U+0100 (`\x1b`
 * for ESC, `\x85` for NEL); `\uhhhh` for the others (`\u202e`); and a backslash as `\\`, so that every backslash in
 * the result starts an escape and a name cannot spell one out to look like another. The result is one line, holds no
 * control or bidirectional character, and is the text itself when it has none of these and no backslash.
 */
export function neutralise(text: string): string {
  return text.replace(
    escaped,
    (c) => named[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`),
  );
}

/** Plain data (what JSON holds) with every string in it neutralised: for renderers that compose many fields. */
export function neutraliseStrings<T>(value: T): T {
  if (typeof value === "string") return neutralise(value) as T;
  if (Array.isArray(value)) return value.map(neutraliseStrings) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, neutraliseStrings(v)])) as T;
  }
  return value;
}
