// entra-tap:grants' windows: start and expiry, the pass's lifetime within them, one active grant per user.
import { grant, grantProblems, grantsProblems, type Json, supportGrant } from "./grants.support";

describe("entra-tap:grants", () => {
  describe("start and expiry", () => {
    it.each(["2026-11-30T08:00:00Z", "2026-11-29T08:00:00Z"])(
      "refuses an expiry (%s) not after the start",
      (expiry) => {
        expect(grantProblems({ expiry })).toEqual([
          `entra-tap:grants[0].expiry: "${expiry}" is not allowed; expected a time after start (2026-11-30T08:00:00Z)`,
        ]);
      },
    );

    it.each(["30/11/2026 08:00", "2026-11-30", "2026-11-30T08:00:00", "2026-11-31T08:00:00Z", 1796025600000])(
      "refuses start %p, not an ISO 8601 date and time with offset",
      (start) => {
        expect(grantProblems({ start })).toEqual([
          `entra-tap:grants[0].start: ${JSON.stringify(start)} is not allowed; expected an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z`,
        ]);
      },
    );

    it("refuses a missing expiry", () => {
      expect(grantProblems({ expiry: undefined })).toEqual([
        "entra-tap:grants[0].expiry: missing is not allowed; expected an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z",
      ]);
    });

    it("accepts dates with an offset other than Z", () => {
      expect(
        grantProblems({ start: "2026-11-30T09:00:00+01:00", expiry: "2026-12-18T19:00:00+01:00" }),
      ).toEqual([]);
    });
  });

  describe("lifetimeInMinutes", () => {
    it.each([30, 600])("refuses %p, outside the TAP policy's minimum (60) and maximum (480)", (lifetime) => {
      expect(grantProblems({ lifetimeInMinutes: lifetime })).toEqual([
        `entra-tap:grants[0].lifetimeInMinutes: ${lifetime} is not allowed; expected a lifetime within the TAP policy's minimum (60) and maximum (480)`,
      ]);
    });

    it.each([60, 480])("accepts %p, the TAP policy's limit", (lifetime) => {
      expect(grantProblems({ lifetimeInMinutes: lifetime })).toEqual([]);
    });

    it.each([60.5, "240"])("refuses %p, not an integer", (lifetime) => {
      expect(grantProblems({ lifetimeInMinutes: lifetime })).toEqual([
        `entra-tap:grants[0].lifetimeInMinutes: ${JSON.stringify(lifetime)} is not allowed; expected an integer from 10 to 43200`,
      ]);
    });

    it.each([9, 43201])("refuses %p, outside Microsoft's limits", (lifetime) => {
      expect(grantProblems({ lifetimeInMinutes: lifetime })).toEqual([
        `entra-tap:grants[0].lifetimeInMinutes: ${lifetime} is not allowed; expected an integer from 10 to 43200`,
      ]);
    });

    it("refuses a pass that would end after the grant's expiry", () => {
      expect(grantProblems({ start: "2026-11-30T08:00:00Z", expiry: "2026-11-30T10:00:00Z" })).toEqual([
        "entra-tap:grants[0].lifetimeInMinutes: 240 is not allowed; expected a lifetime that ends by the grant's expiry (2026-11-30T10:00:00Z)",
      ]);
    });

    it("leaves an ended grant's lifetime alone, so access can be ended early by setting the expiry to now", () => {
      // now is 2026-11-26T12:00Z: the grant started at 08:00 with a 240-minute pass and was ended at 11:00.
      expect(grantProblems({ start: "2026-11-26T08:00:00Z", expiry: "2026-11-26T11:00:00Z" })).toEqual([]);
      // Still running, the same grant is checked.
      expect(
        grantProblems({
          start: "2026-11-26T08:00:00Z",
          expiry: "2026-11-26T13:00:00Z",
          lifetimeInMinutes: 480,
        }),
      ).toEqual([
        "entra-tap:grants[0].lifetimeInMinutes: 480 is not allowed; expected a lifetime that ends by the grant's expiry (2026-11-26T13:00:00Z)",
      ]);
    });

    it("accepts a pass that ends exactly at the grant's expiry", () => {
      expect(grantProblems({ start: "2026-11-30T08:00:00Z", expiry: "2026-11-30T12:00:00Z" })).toEqual([]);
    });

    it("is checked with the policy's defaultLifetimeInMinutes when left out", () => {
      const shortGrant = { lifetimeInMinutes: undefined, expiry: "2026-11-30T10:00:00Z" };
      expect(grantProblems(shortGrant, { defaultLifetimeInMinutes: 240 })).toEqual([
        "entra-tap:grants[0].lifetimeInMinutes: 240 is not allowed; expected a lifetime that ends by the grant's expiry (2026-11-30T10:00:00Z)",
      ]);
      expect(grantProblems(shortGrant, { defaultLifetimeInMinutes: 120 })).toEqual([]);
    });
  });

  describe("at most one active grant per user", () => {
    const second: Json = {
      ...supportGrant,
      name: "support-jane-doe",
      user: "Jane.Doe@Contoso.com",
      start: "2026-12-10T08:00:00Z",
      expiry: "2026-12-20T18:00:00Z",
    };

    it("refuses two grants of the same user (UPN in any case) with overlapping windows", () => {
      expect(grantsProblems([grant, second])).toEqual([
        'entra-tap:grants[1].user: "Jane.Doe@Contoso.com" is not allowed; expected at most one active grant per user (overlaps grants[0], contractor-jane-doe)',
      ]);
    });

    it("refuses a window inside the other", () => {
      const inside = { ...second, start: "2026-12-01T08:00:00Z", expiry: "2026-12-02T18:00:00Z" };
      expect(grantsProblems([grant, inside])).toEqual([
        'entra-tap:grants[1].user: "Jane.Doe@Contoso.com" is not allowed; expected at most one active grant per user (overlaps grants[0], contractor-jane-doe)',
      ]);
    });

    it("accepts a window that starts when the other one expires", () => {
      const adjacent = { ...second, start: grant.expiry, expiry: "2026-12-20T18:00:00Z" };
      expect(grantsProblems([grant, adjacent])).toEqual([]);
    });

    it("accepts windows that do not overlap", () => {
      const before = { ...second, start: "2026-11-27T08:00:00Z", expiry: "2026-11-28T18:00:00Z" };
      expect(grantsProblems([grant, before])).toEqual([]);
    });

    it("accepts different users with overlapping windows", () => {
      expect(grantsProblems([grant, { ...second, user: "john.smith@contoso.com" }])).toEqual([]);
    });

    it("accepts an overlap with a grant that has already expired", () => {
      const expired = { ...grant, start: "2026-11-20T08:00:00Z", expiry: "2026-11-25T18:00:00Z" };
      const current = { ...second, start: "2026-11-24T08:00:00Z", expiry: "2026-12-05T18:00:00Z" };
      expect(grantsProblems([expired, current])).toEqual([]);
      expect(grantsProblems([current, expired])).toEqual([]);
      // Judged before the first grant expired, the same two grants overlap.
      expect(grantsProblems([expired, current], {}, Date.parse("2026-11-24T12:00:00Z"))).toEqual([
        'entra-tap:grants[1].user: "Jane.Doe@Contoso.com" is not allowed; expected at most one active grant per user (overlaps grants[0], contractor-jane-doe)',
      ]);
    });
  });
});
