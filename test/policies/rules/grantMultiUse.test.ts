import type { EnforcementLevel } from "@pulumi/policy";
import { resourceTypes } from "../../../policies/lib";
import { grantMultiUse } from "../../../policies/rules/grantMultiUse";
import type { CheckedResource } from "../../../scripts/policyRunner";
import {
  checkerFor,
  resourcesOfOtherTypes,
  tapPolicyResource,
  userTapResource,
  violationsOf,
} from "../harness";

const policyName = "tap-grant-multi-use";

function tapPolicy(isUsableOnce: unknown, name?: string): CheckedResource {
  return tapPolicyResource({ isUsableOnce }, name);
}

function pass(isUsableOnce: unknown, name?: string): CheckedResource {
  return userTapResource({ isUsableOnce }, name);
}

const check = checkerFor(grantMultiUse);
const multiUseViolation = violationsOf(policyName, "alice-pass");

function violation(resource?: string, enforcementLevel?: EnforcementLevel) {
  return multiUseViolation(
    "asks for a multi-use pass, but the TAP policy makes every pass one-time.",
    enforcementLevel,
    resource,
  );
}

describe(policyName, () => {
  it("passes a one-time pass under a one-time policy", async () => {
    expect(await check([tapPolicy(true), pass(true)])).toEqual([]);
  });

  it("reports a multi-use pass under a one-time policy, on the pass", async () => {
    expect(await check([tapPolicy(true), pass(false)])).toEqual([violation()]);
  });

  it("passes a multi-use pass under a multi-use policy", async () => {
    expect(await check([tapPolicy(false), pass(false)])).toEqual([]);
    expect(await check([tapPolicy(false), pass(true)])).toEqual([]);
  });

  it("applies the one-time rule when any of several TAP policies makes passes one-time", async () => {
    expect(await check([tapPolicy(false, "tap-a"), tapPolicy(true, "tap-b"), pass(false)])).toEqual([
      violation(),
    ]);
  });

  it("passes any pass without a TAP policy in the stack", async () => {
    expect(await check([pass(false)])).toEqual([]);
  });

  it("reports each multi-use pass by its own name", async () => {
    const resources = [
      tapPolicy(true),
      pass(false, "alice-pass"),
      pass(true, "bob-pass"),
      pass(false, "carol-pass"),
    ];
    expect(await check(resources)).toEqual([violation("alice-pass"), violation("carol-pass")]);
  });

  describe("config", () => {
    it("has no settings", async () => {
      expect(await check([tapPolicy(true), pass(false)], { [policyName]: { allowMultiUse: true } })).toEqual([
        violation(),
      ]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check([tapPolicy(true), pass(false)], { [policyName]: "advisory" })).toEqual([
        violation("alice-pass", "advisory"),
      ]);
      expect(
        await check([tapPolicy(true), pass(false)], { [policyName]: { enforcementLevel: "advisory" } }),
      ).toEqual([violation("alice-pass", "advisory")]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([tapPolicy(true), pass(false)], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([tapPolicy(true), pass(false)], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing while the TAP policy's isUsableOnce is unknown", async () => {
      expect(await check([tapPolicy(undefined), pass(false)])).toEqual([]);
      expect(
        await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }, pass(false)]),
      ).toEqual([]);
    });

    it("reports nothing for a pass whose isUsableOnce is unknown, and still checks the others", async () => {
      expect(await check([tapPolicy(true), pass(undefined)])).toEqual([]);
      expect(await check([tapPolicy(true), pass(undefined, "alice-pass"), pass(false, "bob-pass")])).toEqual([
        violation("bob-pass"),
      ]);
    });
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes(
      { isUsableOnce: false },
      resourceTypes.userTap,
      resourceTypes.tapPolicy,
    );
    expect(await check([tapPolicy(true), ...others])).toEqual([]);
    // A one-time setting on another type does not make the passes one-time.
    const oneTimeElsewhere = others.map((r) => ({ ...r, props: { isUsableOnce: true } }));
    expect(await check([...oneTimeElsewhere, pass(false)])).toEqual([]);
  });
});
