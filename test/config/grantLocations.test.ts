// A grant's expectedLocations in the stack config: where its user is expected to sign in from during the window (the
// unexpectedGrantLocation detection reads it). Optional; the messages a user sees for each rule.
import { ValidationError } from "../../components/validation";
import { parseStackConfig } from "../../config";
import { isCidr } from "../../config/grantLocations";
import { breakGlassGroupId, contractorsGroupId, validGrant, validHandover } from "../support/fixtures";

const now = Date.parse("2026-11-26T12:00:00Z");

type Json = Record<string, unknown>;

const config = (expectedLocations: unknown): Record<string, string> => ({
  "entra-tap:policy": JSON.stringify({ includeTargets: [] }),
  "entra-tap:audience": JSON.stringify({
    targets: { contractors: { objectId: contractorsGroupId } },
    exclusions: { breakGlass: { objectId: breakGlassGroupId } },
  }),
  "entra-tap:grants": JSON.stringify([
    { ...validGrant, ...(expectedLocations === undefined ? {} : { expectedLocations }) },
  ]),
  "entra-tap:handover": JSON.stringify(validHandover),
});

function problems(expectedLocations: unknown): string[] {
  try {
    parseStackConfig(config(expectedLocations), now);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  return [];
}

const parsed = (expectedLocations: unknown) =>
  parseStackConfig(config(expectedLocations), now).grants[0].expectedLocations;

const at = "entra-tap:grants[0].expectedLocations";
const countryAllowed = "a two-letter country code (ISO 3166-1 alpha-2), e.g. NL";
const rangeAllowed = "an IP range in CIDR notation, e.g. 203.0.113.0/24 or 2001:db8::/32";

describe("entra-tap:grants[].expectedLocations", () => {
  it("is optional", () => {
    expect(parsed(undefined)).toBeUndefined();
  });

  it("accepts countries, IP ranges or both, filling the other with an empty list", () => {
    expect(parsed({ countries: ["NL", "be"] })).toEqual({ countries: ["NL", "be"], ipRanges: [] });
    expect(parsed({ ipRanges: ["203.0.113.0/24", "2001:db8::/32"] })).toEqual({
      countries: [],
      ipRanges: ["203.0.113.0/24", "2001:db8::/32"],
    });
  });

  it("refuses an empty declaration: nothing would be expected", () => {
    expect(problems({})).toEqual([
      `${at}.countries: [] is not allowed; expected at least one country or IP range (or leave expectedLocations out)`,
    ]);
  });

  it.each(["NLD", "Netherlands", "N", 31])("refuses country %p", (country) => {
    expect(problems({ countries: [country] })).toEqual([
      `${at}.countries[0]: ${JSON.stringify(country)} is not allowed; expected ${countryAllowed}`,
    ]);
  });

  it.each(["203.0.113.0", "203.0.113.0/33", "203.0.113.256/24", "2001:db8::/129", "office", "10.0.0.0/8 "])(
    "refuses IP range %p",
    (range) => {
      expect(problems({ ipRanges: ["198.51.100.0/24", range] })).toEqual([
        `${at}.ipRanges[1]: ${JSON.stringify(range)} is not allowed; expected ${rangeAllowed}`,
      ]);
    },
  );

  it("refuses an unknown key and a list written as one value, one message each", () => {
    expect(problems({ countries: "NL", cities: ["Amsterdam"] } as Json)).toEqual([
      `${at}.countries: "NL" is not allowed; expected a list of country codes`,
      `${at}.cities: not a known key; known keys: countries, ipRanges`,
    ]);
  });
});

describe("isCidr", () => {
  it.each(["0.0.0.0/0", "10.0.0.0/8", "203.0.113.7/32", "::/0", "2001:db8::/32", "fe80::1/128"])(
    "accepts %p",
    (range) => {
      expect(isCidr(range)).toBe(true);
    },
  );
});
