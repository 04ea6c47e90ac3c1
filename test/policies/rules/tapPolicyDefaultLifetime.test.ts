import { resourceTypes } from "../../../policies/lib";
import { tapPolicyDefaultLifetime } from "../../../policies/rules/tapPolicyDefaultLifetime";
import type { CheckedResource, PackConfig } from "../../../scripts/policyRunner";
import { checkerFor, resourcesOfOtherTypes, tapPolicyResource, violationsOf } from "../harness";

const policyName = "tap-policy-default-lifetime";

/** A minimum of 10 minutes, Microsoft's lowest, leaves room for short defaults. */
function tapPolicy(defaultLifetimeInMinutes: unknown, name?: string): CheckedResource {
  return tapPolicyResource({ minimumLifetimeInMinutes: 10, defaultLifetimeInMinutes }, name);
}

const check = checkerFor(tapPolicyDefaultLifetime);
const violation = violationsOf(policyName, "tap-policy");

describe(policyName, () => {
  it("passes a short default lifetime", async () => {
    expect(await check([tapPolicy(60)])).toEqual([]);
    expect(await check([tapPolicy(10)])).toEqual([]);
  });

  it("reports a default lifetime above the organisation's bound", async () => {
    expect(await check([tapPolicy(480)])).toEqual([
      violation("defaultLifetimeInMinutes is 480; the organisation's bound is 60 minutes."),
    ]);
  });

  describe("config", () => {
    it("defaults to 60 minutes: 60 passes, 61 fails", async () => {
      expect(await check([tapPolicy(60)])).toEqual([]);
      expect(await check([tapPolicy(61)])).toEqual([
        violation("defaultLifetimeInMinutes is 61; the organisation's bound is 60 minutes."),
      ]);
    });

    it("raises the bound: with 120, 120 passes and 121 fails naming 120", async () => {
      const config: PackConfig = { [policyName]: { maximumDefaultLifetimeInMinutes: 120 } };
      expect(await check([tapPolicy(120)], config)).toEqual([]);
      expect(await check([tapPolicy(121)], config)).toEqual([
        violation("defaultLifetimeInMinutes is 121; the organisation's bound is 120 minutes."),
      ]);
    });

    it("lowers the bound: with 30, 60 fails naming 30", async () => {
      expect(await check([tapPolicy(60)], { [policyName]: { maximumDefaultLifetimeInMinutes: 30 } })).toEqual(
        [violation("defaultLifetimeInMinutes is 60; the organisation's bound is 30 minutes.")],
      );
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check([tapPolicy(61)], { [policyName]: "advisory" })).toEqual([
        violation("defaultLifetimeInMinutes is 61; the organisation's bound is 60 minutes.", "advisory"),
      ]);
      expect(
        await check([tapPolicy(61)], {
          [policyName]: { enforcementLevel: "advisory", maximumDefaultLifetimeInMinutes: 45 },
        }),
      ).toEqual([
        violation("defaultLifetimeInMinutes is 61; the organisation's bound is 45 minutes.", "advisory"),
      ]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([tapPolicy(43200)], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([tapPolicy(43200)], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([tapPolicy(43200)], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing for an unknown default lifetime", async () => {
      expect(await check([tapPolicy(undefined)])).toEqual([]);
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }])).toEqual([]);
    });

    it("still checks a known default when other fields are unknown", async () => {
      const props = {
        maximumLifetimeInMinutes: undefined,
        includeTargets: undefined,
        defaultLifetimeInMinutes: 90,
      };
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props }])).toEqual([
        violation("defaultLifetimeInMinutes is 90; the organisation's bound is 60 minutes."),
      ]);
    });
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes({ defaultLifetimeInMinutes: 43200 }, resourceTypes.tapPolicy);
    expect(await check(others)).toEqual([]);
  });
});
