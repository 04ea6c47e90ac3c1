// A grant's `expectedLocations`: where its user is expected to sign in from during the window, for the
// unexpectedGrantLocation detection. Optional; countries and IP ranges, at least one of them.
import { isIP } from "node:net";
import { z } from "zod";
import { strictObject } from "../components/validation";

const country = "a two-letter country code (ISO 3166-1 alpha-2), e.g. NL";
const ipRange = "an IP range in CIDR notation, e.g. 203.0.113.0/24 or 2001:db8::/32";

/** Whether `value` is an IPv4 or IPv6 range in CIDR notation (address/prefix length). */
export function isCidr(value: string): boolean {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(value);
  if (!match) return false;
  const family = isIP(match[1]);
  const prefix = Number(match[2]);
  return (family === 4 && prefix <= 32) || (family === 6 && prefix <= 128);
}

export function expectedLocationsSchema() {
  return strictObject({
    countries: z
      .array(z.string({ error: country }).regex(/^[A-Za-z]{2}$/, { error: country }), {
        error: "a list of country codes",
      })
      .default([]),
    ipRanges: z
      .array(z.string({ error: ipRange }).refine(isCidr, { error: ipRange }), {
        error: "a list of IP ranges",
      })
      .default([]),
  }).superRefine((locations, ctx) => {
    if (locations.countries.length + locations.ipRanges.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["countries"],
        input: locations.countries,
        message: "at least one country or IP range (or leave expectedLocations out)",
      });
    }
  });
}
