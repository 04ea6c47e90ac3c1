import { resourceTypes } from "../../../policies/lib";
import { grantWindow } from "../../../policies/rules/grantWindow";
import type { CheckedResource, PackConfig } from "../../../scripts/policyRunner";
import { checkerFor, resourcesOfOtherTypes, userTapResource, violationsOf } from "../harness";

const policyName = "tap-grant-window";
const start = "2026-03-01T08:00:00Z";

function pass(startDateTime: unknown, grantExpiry: unknown, name?: string): CheckedResource {
  return userTapResource({ startDateTime, grantExpiry }, name);
}

function daysAfter(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString().replace(".000Z", "Z");
}

const check = checkerFor(grantWindow);
const violation = violationsOf(policyName, "alice-pass");

describe(policyName, () => {
  it("passes a short grant", async () => {
    expect(await check([pass(start, daysAfter(start, 1))])).toEqual([]);
    expect(await check([pass(start, "2026-03-01T17:00:00Z")])).toEqual([]);
  });

  it("reports a grant longer than the maximum", async () => {
    expect(await check([pass(start, "2026-06-01T08:00:00Z")])).toEqual([
      violation(
        "the grant lasts 92.00 days (2026-03-01T08:00:00Z to 2026-06-01T08:00:00Z); the maximum is 30 days.",
      ),
    ]);
  });

  it("measures across time zone offsets", async () => {
    // 2026-03-31T10:00:00+02:00 is exactly 30 days after the start.
    expect(await check([pass(start, "2026-03-31T10:00:00+02:00")])).toEqual([]);
    expect(await check([pass(start, "2026-03-31T12:00:00+02:00")])).toEqual([
      violation(
        "the grant lasts 30.08 days (2026-03-01T08:00:00Z to 2026-03-31T12:00:00+02:00); the maximum is 30 days.",
      ),
    ]);
  });

  it("compares exactly, in hours, and prints the length to a hundredth of a day", async () => {
    // Exactly 30 days passes; one hour more is reported, as 30.04 days.
    expect(await check([pass(start, "2026-03-31T08:00:00Z")])).toEqual([]);
    expect(await check([pass(start, "2026-03-31T09:00:00Z")])).toEqual([
      violation(
        "the grant lasts 30.04 days (2026-03-01T08:00:00Z to 2026-03-31T09:00:00Z); the maximum is 30 days.",
      ),
    ]);
    expect(await check([pass(start, "2026-03-31T20:00:00Z")])).toEqual([
      violation(
        "the grant lasts 30.50 days (2026-03-01T08:00:00Z to 2026-03-31T20:00:00Z); the maximum is 30 days.",
      ),
    ]);
  });

  it("reports a grant that ends before it starts", async () => {
    expect(await check([pass(start, "2026-02-28T08:00:00Z")])).toEqual([
      violation("the grant ends (2026-02-28T08:00:00Z) before it starts (2026-03-01T08:00:00Z)."),
    ]);
  });

  it("reports a grant that ends when it starts", async () => {
    expect(await check([pass(start, start)])).toEqual([
      violation("the grant ends (2026-03-01T08:00:00Z) before it starts (2026-03-01T08:00:00Z)."),
    ]);
    // The same instant written with an offset.
    expect(await check([pass(start, "2026-03-01T10:00:00+02:00")])).toEqual([
      violation("the grant ends (2026-03-01T10:00:00+02:00) before it starts (2026-03-01T08:00:00Z)."),
    ]);
  });

  it("reports nothing for dates it cannot read", async () => {
    expect(await check([pass("not a date", "2027-03-01T08:00:00Z")])).toEqual([]);
    expect(await check([pass(start, "next month")])).toEqual([]);
    expect(await check([pass("", "")])).toEqual([]);
  });

  it("reports nothing for dates that are not text", async () => {
    expect(await check([pass(Date.parse(start), Date.parse("2027-03-01T08:00:00Z"))])).toEqual([]);
  });

  describe("config", () => {
    it("defaults to 30 days: 30 passes, 31 fails", async () => {
      expect(await check([pass(start, "2026-03-31T08:00:00Z")])).toEqual([]);
      expect(await check([pass(start, "2026-04-01T08:00:00Z")])).toEqual([
        violation(
          "the grant lasts 31.00 days (2026-03-01T08:00:00Z to 2026-04-01T08:00:00Z); the maximum is 30 days.",
        ),
      ]);
    });

    it("lowers the maximum: with 7 days, 7 passes and 8 fails naming 7", async () => {
      const config: PackConfig = { [policyName]: { maximumGrantDays: 7 } };
      expect(await check([pass(start, "2026-03-08T08:00:00Z")], config)).toEqual([]);
      expect(await check([pass(start, "2026-03-09T08:00:00Z")], config)).toEqual([
        violation(
          "the grant lasts 8.00 days (2026-03-01T08:00:00Z to 2026-03-09T08:00:00Z); the maximum is 7 days.",
        ),
      ]);
    });

    it("raises the maximum: with 90 days, 31 passes", async () => {
      expect(
        await check([pass(start, "2026-04-01T08:00:00Z")], { [policyName]: { maximumGrantDays: 90 } }),
      ).toEqual([]);
    });

    it("reports at the advisory level when configured so", async () => {
      const message =
        "the grant lasts 31.00 days (2026-03-01T08:00:00Z to 2026-04-01T08:00:00Z); the maximum is 30 days.";
      expect(await check([pass(start, "2026-04-01T08:00:00Z")], { [policyName]: "advisory" })).toEqual([
        violation(message, "advisory"),
      ]);
      expect(
        await check([pass(start, "2026-03-09T08:00:00Z")], {
          [policyName]: { enforcementLevel: "advisory", maximumGrantDays: 7 },
        }),
      ).toEqual([
        violation(
          "the grant lasts 8.00 days (2026-03-01T08:00:00Z to 2026-03-09T08:00:00Z); the maximum is 7 days.",
          "advisory",
        ),
      ]);
    });

    it("reports nothing when disabled", async () => {
      const long = pass(start, "2027-03-01T08:00:00Z");
      expect(await check([long], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([long], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([long], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing while the start or the expiry is unknown", async () => {
      expect(await check([pass(undefined, "2027-03-01T08:00:00Z")])).toEqual([]);
      expect(await check([pass(start, undefined)])).toEqual([]);
      expect(await check([pass(undefined, undefined)])).toEqual([]);
      expect(await check([{ type: resourceTypes.userTap, name: "alice-pass", props: {} }])).toEqual([]);
    });

    it("still checks the window when other fields are unknown", async () => {
      const props = {
        user: undefined,
        justification: undefined,
        startDateTime: start,
        grantExpiry: daysAfter(start, 31),
      };
      expect(await check([{ type: resourceTypes.userTap, name: "alice-pass", props }])).toEqual([
        violation(
          "the grant lasts 31.00 days (2026-03-01T08:00:00Z to 2026-04-01T08:00:00Z); the maximum is 30 days.",
        ),
      ]);
    });
  });

  it("checks each pass on its own", async () => {
    const resources = [
      pass(start, daysAfter(start, 5), "alice-pass"),
      pass(start, daysAfter(start, 45), "bob-pass"),
    ];
    expect(await check(resources)).toEqual([
      violation(
        "the grant lasts 45.00 days (2026-03-01T08:00:00Z to 2026-04-15T08:00:00Z); the maximum is 30 days.",
        "mandatory",
        "bob-pass",
      ),
    ]);
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes(
      { startDateTime: start, grantExpiry: "2027-03-01T08:00:00Z" },
      resourceTypes.userTap,
    );
    expect(await check(others)).toEqual([]);
  });
});
