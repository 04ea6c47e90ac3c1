import { resourceTypes } from "../../../policies/lib";
import { singleTapPolicy } from "../../../policies/rules/singleTapPolicy";
import type { CheckedResource } from "../../../scripts/policyRunner";
import { checkerFor, violationsOf } from "../harness";

const policyName = "tap-single-policy";

/** Only the props given: the policy counts TAP policies whatever their settings. */
function tapPolicy(
  name: string,
  props: Record<string, unknown> = { state: "enabled", isUsableOnce: true },
): CheckedResource {
  return { type: resourceTypes.tapPolicy, name, props };
}

const check = checkerFor(singleTapPolicy);
const violation = violationsOf(policyName, null);

const pass: CheckedResource = {
  type: resourceTypes.userTap,
  name: "alice-pass",
  props: { user: "alice@contoso.com", lifetimeInMinutes: 480, isUsableOnce: true },
};

describe(policyName, () => {
  it("passes a stack with one TAP policy", async () => {
    expect(await check([tapPolicy("tap-policy"), pass])).toEqual([]);
  });

  it("passes a stack without a TAP policy", async () => {
    expect(await check([pass])).toEqual([]);
    expect(await check([])).toEqual([]);
  });

  it("reports two TAP policies, naming both, stack-wide", async () => {
    expect(await check([tapPolicy("tap-a"), pass, tapPolicy("tap-b")])).toEqual([
      violation("the stack declares 2 TAP policies (tap-a, tap-b); at most one."),
    ]);
  });

  it("reports three TAP policies once, naming all", async () => {
    expect(await check([tapPolicy("tap-a"), tapPolicy("tap-b"), tapPolicy("tap-c")])).toEqual([
      violation("the stack declares 3 TAP policies (tap-a, tap-b, tap-c); at most one."),
    ]);
  });

  describe("config", () => {
    const two = [tapPolicy("tap-a"), tapPolicy("tap-b")];
    const message = "the stack declares 2 TAP policies (tap-a, tap-b); at most one.";

    it("has no settings", async () => {
      expect(await check(two, { [policyName]: { maximum: 2 } })).toEqual([violation(message)]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check(two, { [policyName]: "advisory" })).toEqual([violation(message, "advisory")]);
      expect(await check(two, { [policyName]: { enforcementLevel: "advisory" } })).toEqual([
        violation(message, "advisory"),
      ]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check(two, { [policyName]: "disabled" })).toEqual([]);
      expect(await check(two, { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("counts TAP policies whose settings are all unknown", async () => {
      expect(await check([tapPolicy("tap-a", {}), tapPolicy("tap-b", { state: undefined })])).toEqual([
        violation("the stack declares 2 TAP policies (tap-a, tap-b); at most one."),
      ]);
      expect(await check([tapPolicy("tap-a", {})])).toEqual([]);
    });
  });

  it("ignores resources of other types", async () => {
    const others = Object.values(resourceTypes)
      .filter((type) => type !== resourceTypes.tapPolicy)
      .flatMap((type) => [1, 2].map((n) => ({ type, name: `${type}-${n}`, props: { state: "enabled" } })));
    expect(await check([tapPolicy("tap-policy"), ...others])).toEqual([]);
    // The component that wraps the policy is not the policy itself.
    const component = { type: "entra-tap:index:TemporaryAccessPassPolicy", name: "tap-policy", props: {} };
    expect(await check([component, tapPolicy("tap-policy")])).toEqual([]);
  });
});
