import type { EnforcementLevel } from "@pulumi/policy";
import { resourceTypes } from "../../../policies/lib";
import { tapPolicyOneTimeUse } from "../../../policies/rules/tapPolicyOneTimeUse";
import type { CheckedResource } from "../../../scripts/policyRunner";
import { checkerFor, resourcesOfOtherTypes, tapPolicyResource, violationsOf } from "../harness";

const policyName = "tap-policy-one-time-use";
const message = "isUsableOnce is false: passes may be reused; the organisation requires one-time passes.";

function tapPolicy(isUsableOnce: unknown, name?: string): CheckedResource {
  return tapPolicyResource({ isUsableOnce }, name);
}

const check = checkerFor(tapPolicyOneTimeUse);
const oneTimeViolation = violationsOf(policyName, "tap-policy");

function violation(enforcementLevel?: EnforcementLevel, resource?: string | null) {
  return oneTimeViolation(message, enforcementLevel, resource);
}

describe(policyName, () => {
  it("passes a one-time policy", async () => {
    expect(await check([tapPolicy(true)])).toEqual([]);
  });

  it("reports a multi-use policy", async () => {
    expect(await check([tapPolicy(false)])).toEqual([violation()]);
  });

  describe("config", () => {
    it("does not allow multi-use by default", async () => {
      expect(await check([tapPolicy(false)], {})).toEqual([violation()]);
      expect(await check([tapPolicy(false)], { [policyName]: { allowMultiUse: false } })).toEqual([
        violation(),
      ]);
    });

    it("passes a multi-use policy with allowMultiUse: true", async () => {
      expect(await check([tapPolicy(false)], { [policyName]: { allowMultiUse: true } })).toEqual([]);
      expect(await check([tapPolicy(true)], { [policyName]: { allowMultiUse: true } })).toEqual([]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check([tapPolicy(false)], { [policyName]: "advisory" })).toEqual([violation("advisory")]);
      expect(await check([tapPolicy(false)], { [policyName]: { enforcementLevel: "advisory" } })).toEqual([
        violation("advisory"),
      ]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([tapPolicy(false)], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([tapPolicy(false)], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([tapPolicy(false)], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing while isUsableOnce is unknown", async () => {
      expect(await check([tapPolicy(undefined)])).toEqual([]);
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }])).toEqual([]);
    });

    it("still checks a known isUsableOnce when other fields are unknown", async () => {
      const props = { includeTargets: undefined, defaultLength: undefined, isUsableOnce: false };
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props }])).toEqual([
        violation(),
      ]);
    });
  });

  it("checks each TAP policy on its own", async () => {
    expect(await check([tapPolicy(true, "one-time"), tapPolicy(false, "multi-use")])).toEqual([
      violation("mandatory", "multi-use"),
    ]);
  });

  it("ignores resources of other types (a multi-use pass is tap-grant-multi-use's business)", async () => {
    const others = resourcesOfOtherTypes({ isUsableOnce: false }, resourceTypes.tapPolicy);
    expect(await check(others)).toEqual([]);
  });
});
