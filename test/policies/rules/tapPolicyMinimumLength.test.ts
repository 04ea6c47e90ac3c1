import { resourceTypes } from "../../../policies/lib";
import { tapPolicyMinimumLength } from "../../../policies/rules/tapPolicyMinimumLength";
import type { CheckedResource, PackConfig } from "../../../scripts/policyRunner";
import { checkerFor, resourcesOfOtherTypes, tapPolicyResource, violationsOf } from "../harness";

const policyName = "tap-policy-minimum-length";

function tapPolicy(defaultLength: unknown, name?: string): CheckedResource {
  return tapPolicyResource({ defaultLength }, name);
}

const check = checkerFor(tapPolicyMinimumLength);
const violation = violationsOf(policyName, "tap-policy");

describe(policyName, () => {
  it("passes a default length at or above the organisation's minimum", async () => {
    expect(await check([tapPolicy(14)])).toEqual([]);
    expect(await check([tapPolicy(48)])).toEqual([]);
  });

  it("reports a default length below the organisation's minimum", async () => {
    expect(await check([tapPolicy(8)])).toEqual([
      violation("defaultLength is 8; the organisation's minimum is 14 characters."),
    ]);
  });

  describe("config", () => {
    it("defaults to 14: 13 fails, 14 passes", async () => {
      expect(await check([tapPolicy(13)])).toEqual([
        violation("defaultLength is 13; the organisation's minimum is 14 characters."),
      ]);
      expect(await check([tapPolicy(14)])).toEqual([]);
    });

    it("raises the minimum: with 16, 15 fails naming 16 and 16 passes", async () => {
      const config: PackConfig = { [policyName]: { minimumLength: 16 } };
      expect(await check([tapPolicy(15)], config)).toEqual([
        violation("defaultLength is 15; the organisation's minimum is 16 characters."),
      ]);
      expect(await check([tapPolicy(16)], config)).toEqual([]);
    });

    it("lowers the minimum: with 8, 13 passes", async () => {
      expect(await check([tapPolicy(13)], { [policyName]: { minimumLength: 8 } })).toEqual([]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check([tapPolicy(13)], { [policyName]: "advisory" })).toEqual([
        violation("defaultLength is 13; the organisation's minimum is 14 characters.", "advisory"),
      ]);
      expect(
        await check([tapPolicy(15)], { [policyName]: { enforcementLevel: "advisory", minimumLength: 16 } }),
      ).toEqual([violation("defaultLength is 15; the organisation's minimum is 16 characters.", "advisory")]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([tapPolicy(8)], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([tapPolicy(8)], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([tapPolicy(8)], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing for an unknown default length", async () => {
      expect(await check([tapPolicy(undefined)])).toEqual([]);
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }])).toEqual([]);
    });

    it("still checks a known length when other fields are unknown", async () => {
      const props = { includeTargets: undefined, excludeTargets: undefined, defaultLength: 12 };
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props }])).toEqual([
        violation("defaultLength is 12; the organisation's minimum is 14 characters."),
      ]);
    });
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes({ defaultLength: 8 }, resourceTypes.tapPolicy);
    expect(await check(others)).toEqual([]);
  });
});
