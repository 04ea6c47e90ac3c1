import { resourceTypes } from "../../../policies/lib";
import { tapPolicyMaximumLifetime } from "../../../policies/rules/tapPolicyMaximumLifetime";
import type { CheckedResource, PackConfig } from "../../../scripts/policyRunner";
import { checkerFor, resourcesOfOtherTypes, tapPolicyResource, violationsOf } from "../harness";

const policyName = "tap-policy-maximum-lifetime";

function tapPolicy(maximumLifetimeInMinutes: unknown, name?: string): CheckedResource {
  return tapPolicyResource({ maximumLifetimeInMinutes }, name);
}

const check = checkerFor(tapPolicyMaximumLifetime);
const violation = violationsOf(policyName, "tap-policy");

describe(policyName, () => {
  it("passes a maximum lifetime within the organisation's maximum", async () => {
    expect(await check([tapPolicy(480)])).toEqual([]);
    expect(await check([tapPolicy(60)])).toEqual([]);
  });

  it("reports a maximum lifetime above the organisation's maximum", async () => {
    expect(await check([tapPolicy(1440)])).toEqual([
      violation("maximumLifetimeInMinutes is 1440; the organisation's maximum is 480 minutes."),
    ]);
  });

  describe("config", () => {
    it("defaults to 480 minutes: 480 passes, 481 fails", async () => {
      expect(await check([tapPolicy(480)])).toEqual([]);
      expect(await check([tapPolicy(481)])).toEqual([
        violation("maximumLifetimeInMinutes is 481; the organisation's maximum is 480 minutes."),
      ]);
    });

    it("keeps the default when the policy's entry is only a level", async () => {
      expect(await check([tapPolicy(481)], { [policyName]: "mandatory" })).toEqual([
        violation("maximumLifetimeInMinutes is 481; the organisation's maximum is 480 minutes."),
      ]);
    });

    it("lowers the maximum: with 240, 300 fails naming 240 and 240 passes", async () => {
      const config: PackConfig = { [policyName]: { maximumLifetimeInMinutes: 240 } };
      expect(await check([tapPolicy(300)], config)).toEqual([
        violation("maximumLifetimeInMinutes is 300; the organisation's maximum is 240 minutes."),
      ]);
      expect(await check([tapPolicy(240)], config)).toEqual([]);
    });

    it("raises the maximum: with 1440, 1440 passes and 1441 fails", async () => {
      const config: PackConfig = { [policyName]: { maximumLifetimeInMinutes: 1440 } };
      expect(await check([tapPolicy(1440)], config)).toEqual([]);
      expect(await check([tapPolicy(1441)], config)).toEqual([
        violation("maximumLifetimeInMinutes is 1441; the organisation's maximum is 1440 minutes."),
      ]);
    });

    it("reports at the advisory level when configured so, with or without settings", async () => {
      const message = "maximumLifetimeInMinutes is 300; the organisation's maximum is 240 minutes.";
      expect(
        await check([tapPolicy(300)], {
          [policyName]: { enforcementLevel: "advisory", maximumLifetimeInMinutes: 240 },
        }),
      ).toEqual([violation(message, "advisory")]);
      expect(await check([tapPolicy(481)], { [policyName]: "advisory" })).toEqual([
        violation("maximumLifetimeInMinutes is 481; the organisation's maximum is 480 minutes.", "advisory"),
      ]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([tapPolicy(43200)], { [policyName]: "disabled" })).toEqual([]);
      expect(
        await check([tapPolicy(43200)], {
          [policyName]: { enforcementLevel: "disabled", maximumLifetimeInMinutes: 240 },
        }),
      ).toEqual([]);
      expect(await check([tapPolicy(43200)], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing for an unknown maximum lifetime", async () => {
      expect(await check([tapPolicy(undefined)])).toEqual([]);
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }])).toEqual([]);
    });

    it("still checks a known maximum when other fields are unknown", async () => {
      const props = { state: undefined, includeTargets: undefined, maximumLifetimeInMinutes: 481 };
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props }])).toEqual([
        violation("maximumLifetimeInMinutes is 481; the organisation's maximum is 480 minutes."),
      ]);
    });
  });

  it("checks each TAP policy on its own", async () => {
    expect(await check([tapPolicy(480, "good"), tapPolicy(600, "bad")])).toEqual([
      violation(
        "maximumLifetimeInMinutes is 600; the organisation's maximum is 480 minutes.",
        "mandatory",
        "bad",
      ),
    ]);
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes({ maximumLifetimeInMinutes: 43200 }, resourceTypes.tapPolicy);
    expect(await check(others)).toEqual([]);
  });
});
