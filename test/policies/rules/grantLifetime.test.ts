import { resourceTypes } from "../../../policies/lib";
import { grantLifetime } from "../../../policies/rules/grantLifetime";
import type { CheckedResource, PackConfig } from "../../../scripts/policyRunner";
import {
  checkerFor,
  resourcesOfOtherTypes,
  tapPolicyResource,
  userTapResource,
  violationsOf,
} from "../harness";

const policyName = "tap-grant-lifetime";

function tapPolicy(min: unknown, max: unknown, name?: string): CheckedResource {
  return tapPolicyResource({ minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max }, name);
}

function pass(lifetimeInMinutes: unknown, name?: string): CheckedResource {
  return userTapResource({ lifetimeInMinutes }, name);
}

const check = checkerFor(grantLifetime);
const violation = violationsOf(policyName, "alice-pass");

const aboveOrg = (lifetime: number, limit = 480, name = "alice-pass") =>
  violation(
    `lifetimeInMinutes is ${lifetime}; the organisation's maximum is ${limit} minutes.`,
    "mandatory",
    name,
  );
const abovePolicy = (lifetime: number, max: number, name = "alice-pass") =>
  violation(
    `lifetimeInMinutes is ${lifetime}; the TAP policy's maximum is ${max} minutes.`,
    "mandatory",
    name,
  );
const belowPolicy = (lifetime: number, min: number, name = "alice-pass") =>
  violation(
    `lifetimeInMinutes is ${lifetime}; the TAP policy's minimum is ${min} minutes.`,
    "mandatory",
    name,
  );

describe(policyName, () => {
  it("passes a lifetime within the TAP policy's range and the organisation's maximum", async () => {
    expect(await check([tapPolicy(60, 480), pass(120)])).toEqual([]);
    expect(await check([tapPolicy(60, 480), pass(60)])).toEqual([]);
    expect(await check([tapPolicy(60, 480), pass(480)])).toEqual([]);
  });

  it("passes a stack without passes", async () => {
    expect(await check([tapPolicy(60, 480)])).toEqual([]);
    expect(await check([])).toEqual([]);
  });

  it("reports a lifetime above the organisation's maximum, on the pass", async () => {
    expect(await check([tapPolicy(60, 1440), pass(600)])).toEqual([aboveOrg(600)]);
  });

  it("reports a lifetime below the TAP policy's minimum", async () => {
    expect(await check([tapPolicy(60, 480), pass(30)])).toEqual([belowPolicy(30, 60)]);
    expect(await check([tapPolicy(60, 480), pass(59)])).toEqual([belowPolicy(59, 60)]);
  });

  it("reports a lifetime above the TAP policy's maximum but within the organisation's", async () => {
    expect(await check([tapPolicy(60, 240), pass(300)])).toEqual([abovePolicy(300, 240)]);
    expect(await check([tapPolicy(60, 240), pass(241)])).toEqual([abovePolicy(241, 240)]);
    expect(await check([tapPolicy(60, 240), pass(240)])).toEqual([]);
  });

  it("reports a lifetime above both maximums once, naming the organisation's", async () => {
    expect(await check([tapPolicy(60, 480), pass(600)])).toEqual([aboveOrg(600)]);
    // The organisation's maximum comes first even when the TAP policy's is lower.
    expect(await check([tapPolicy(60, 240), pass(600)])).toEqual([aboveOrg(600)]);
  });

  it("reports the TAP policy's maximum before its minimum when its range is inverted", async () => {
    expect(await check([tapPolicy(300, 240), pass(250)])).toEqual([abovePolicy(250, 240)]);
    expect(await check([tapPolicy(300, 240), pass(200)])).toEqual([belowPolicy(200, 300)]);
  });

  it("reports each pass by its own name, one message per pass", async () => {
    const resources = [
      tapPolicy(60, 240),
      pass(120, "alice-pass"),
      pass(500, "bob-pass"),
      pass(20, "carol-pass"),
      pass(300, "dave-pass"),
    ];
    expect(await check(resources)).toEqual([
      aboveOrg(500, 480, "bob-pass"),
      belowPolicy(20, 60, "carol-pass"),
      abovePolicy(300, 240, "dave-pass"),
    ]);
  });

  it("applies only the organisation's maximum without a TAP policy", async () => {
    expect(await check([pass(10)])).toEqual([]);
    expect(await check([pass(480)])).toEqual([]);
    expect(await check([pass(481)])).toEqual([aboveOrg(481)]);
  });

  it("does not apply a TAP policy's range when the stack declares two TAP policies", async () => {
    const resources = [tapPolicy(60, 240, "tap-a"), tapPolicy(60, 240, "tap-b")];
    expect(await check([...resources, pass(30)])).toEqual([]);
    expect(await check([...resources, pass(300)])).toEqual([]);
    expect(await check([...resources, pass(481)])).toEqual([aboveOrg(481)]);
  });

  describe("config", () => {
    it("defaults to 480 minutes: 480 passes, 481 fails", async () => {
      expect(await check([pass(480)])).toEqual([]);
      expect(await check([pass(481)])).toEqual([aboveOrg(481)]);
    });

    it("lowers the maximum: with 240, 241 fails naming 240 and 240 passes", async () => {
      const config: PackConfig = { [policyName]: { maximumLifetimeInMinutes: 240 } };
      expect(await check([tapPolicy(60, 480), pass(240)], config)).toEqual([]);
      expect(await check([tapPolicy(60, 480), pass(241)], config)).toEqual([aboveOrg(241, 240)]);
    });

    it("raises the maximum, leaving the TAP policy's own range in force", async () => {
      const config: PackConfig = { [policyName]: { maximumLifetimeInMinutes: 1440 } };
      expect(await check([pass(1440)], config)).toEqual([]);
      expect(await check([tapPolicy(60, 480), pass(600)], config)).toEqual([abovePolicy(600, 480)]);
      expect(await check([tapPolicy(60, 480), pass(1441)], config)).toEqual([aboveOrg(1441, 1440)]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check([pass(481)], { [policyName]: "advisory" })).toEqual([
        { ...aboveOrg(481), enforcementLevel: "advisory" },
      ]);
      expect(
        await check([pass(300)], {
          [policyName]: { enforcementLevel: "advisory", maximumLifetimeInMinutes: 240 },
        }),
      ).toEqual([{ ...aboveOrg(300, 240), enforcementLevel: "advisory" }]);
    });

    it("reports nothing when disabled", async () => {
      const resources = [tapPolicy(60, 480), pass(43200)];
      expect(await check(resources, { [policyName]: "disabled" })).toEqual([]);
      expect(await check(resources, { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check(resources, { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing for a pass whose lifetime is unknown", async () => {
      expect(await check([tapPolicy(60, 480), pass(undefined)])).toEqual([]);
      expect(await check([{ type: resourceTypes.userTap, name: "alice-pass", props: {} }])).toEqual([]);
    });

    it("applies only the organisation's maximum while the TAP policy's range is unknown", async () => {
      expect(await check([tapPolicy(undefined, undefined), pass(30)])).toEqual([]);
      expect(await check([tapPolicy(undefined, undefined), pass(481)])).toEqual([aboveOrg(481)]);
      expect(
        await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }, pass(481)]),
      ).toEqual([aboveOrg(481)]);
    });

    it("applies each known end of the TAP policy's range on its own", async () => {
      expect(await check([tapPolicy(60, undefined), pass(30)])).toEqual([belowPolicy(30, 60)]);
      expect(await check([tapPolicy(60, undefined), pass(480)])).toEqual([]);
      expect(await check([tapPolicy(60, undefined), pass(481)])).toEqual([aboveOrg(481)]);
      expect(await check([tapPolicy(undefined, 240), pass(300)])).toEqual([abovePolicy(300, 240)]);
      expect(await check([tapPolicy(undefined, 240), pass(10)])).toEqual([]);
    });
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes(
      { lifetimeInMinutes: 43200 },
      resourceTypes.userTap,
      resourceTypes.tapPolicy,
    );
    expect(await check(others)).toEqual([]);
    expect(await check([tapPolicy(60, 480), ...others])).toEqual([]);
  });
});
