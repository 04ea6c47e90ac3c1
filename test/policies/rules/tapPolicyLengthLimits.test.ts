import { resourceTypes } from "../../../policies/lib";
import { tapPolicyLengthLimits } from "../../../policies/rules/tapPolicyLengthLimits";
import type { CheckedResource } from "../../../scripts/policyRunner";
import { checkerFor, resourcesOfOtherTypes, tapPolicyResource, violationsOf } from "../harness";

const policyName = "tap-policy-length-limits";

function tapPolicy(defaultLength: unknown, name?: string): CheckedResource {
  return tapPolicyResource({ defaultLength }, name);
}

const check = checkerFor(tapPolicyLengthLimits);
const violation = violationsOf(policyName, "tap-policy");

describe(policyName, () => {
  it.each([8, 14, 48])("passes a default length of %d", async (length) => {
    expect(await check([tapPolicy(length)])).toEqual([]);
  });

  it.each([7, 49, 0])("reports a default length of %d", async (length) => {
    expect(await check([tapPolicy(length)])).toEqual([
      violation(`defaultLength is ${length}; Microsoft allows 8..48 characters.`),
    ]);
  });

  describe("config", () => {
    it("has no settings: Microsoft's limits stay whatever the config", async () => {
      expect(await check([tapPolicy(7)], { [policyName]: { minLength: 4 } })).toEqual([
        violation("defaultLength is 7; Microsoft allows 8..48 characters."),
      ]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check([tapPolicy(49)], { [policyName]: "advisory" })).toEqual([
        violation("defaultLength is 49; Microsoft allows 8..48 characters.", "advisory"),
      ]);
      expect(await check([tapPolicy(49)], { [policyName]: { enforcementLevel: "advisory" } })).toEqual([
        violation("defaultLength is 49; Microsoft allows 8..48 characters.", "advisory"),
      ]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([tapPolicy(7)], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([tapPolicy(7)], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([tapPolicy(7)], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing for an unknown default length", async () => {
      expect(await check([tapPolicy(undefined)])).toEqual([]);
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }])).toEqual([]);
    });

    it("still checks a known length when other fields are unknown", async () => {
      const props = { includeTargets: undefined, isUsableOnce: undefined, defaultLength: 7 };
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props }])).toEqual([
        violation("defaultLength is 7; Microsoft allows 8..48 characters."),
      ]);
    });
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes({ defaultLength: 7 }, resourceTypes.tapPolicy);
    expect(await check(others)).toEqual([]);
  });
});
