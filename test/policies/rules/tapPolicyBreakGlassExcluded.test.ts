import type { EnforcementLevel } from "@pulumi/policy";
import { resourceTypes } from "../../../policies/lib";
import { tapPolicyBreakGlassExcluded } from "../../../policies/rules/tapPolicyBreakGlassExcluded";
import type { CheckedResource, PackConfig } from "../../../scripts/policyRunner";
import {
  breakGlass,
  checkerFor,
  ids,
  resourcesOfOtherTypes,
  tapPolicyResource,
  validTapPolicyProps,
  violationsOf,
} from "../harness";

const policyName = "tap-policy-break-glass-excluded";
const breakGlassTwo = "9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b";
const otherExclusion = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";

function tapPolicy(excludeTargets: unknown, name?: string): CheckedResource {
  return tapPolicyResource({ excludeTargets }, name);
}

const excluding = ids;

function configured(breakGlassGroupIds: string[], enforcementLevel?: EnforcementLevel): PackConfig {
  return { [policyName]: { ...(enforcementLevel ? { enforcementLevel } : {}), breakGlassGroupIds } };
}

const check = checkerFor(tapPolicyBreakGlassExcluded);
const breakGlassViolation = violationsOf(policyName, "tap-policy");

function violation(group: string, enforcementLevel?: EnforcementLevel, resource?: string | null) {
  return breakGlassViolation(
    `break-glass group ${group} is not in excludeTargets.`,
    enforcementLevel,
    resource,
  );
}

describe(policyName, () => {
  it("passes a policy that excludes the configured break-glass group", async () => {
    expect(await check([tapPolicy(excluding(otherExclusion, breakGlass))], configured([breakGlass]))).toEqual(
      [],
    );
  });

  it("reports a configured break-glass group missing from excludeTargets", async () => {
    expect(await check([tapPolicy(excluding(otherExclusion))], configured([breakGlass]))).toEqual([
      violation(breakGlass),
    ]);
  });

  it("reports a configured group when excludeTargets is a known, empty list", async () => {
    expect(await check([tapPolicy([])], configured([breakGlass]))).toEqual([violation(breakGlass)]);
  });

  it("reports each missing group", async () => {
    expect(await check([tapPolicy(excluding(breakGlass))], configured([breakGlass, breakGlassTwo]))).toEqual([
      violation(breakGlassTwo),
    ]);
    expect(await check([tapPolicy([])], configured([breakGlass, breakGlassTwo]))).toEqual([
      violation(breakGlass),
      violation(breakGlassTwo),
    ]);
  });

  it("compares group ids case-insensitively, naming the group as configured", async () => {
    const upper = breakGlass.toUpperCase();
    expect(await check([tapPolicy(excluding(breakGlass))], configured([upper]))).toEqual([]);
    expect(await check([tapPolicy(excluding(upper))], configured([breakGlass]))).toEqual([]);
    expect(await check([tapPolicy([])], configured([upper]))).toEqual([violation(upper)]);
  });

  it("does not count a break-glass group that is included rather than excluded", async () => {
    const props = { ...validTapPolicyProps, includeTargets: [{ id: breakGlass }], excludeTargets: [] };
    expect(
      await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props }], configured([breakGlass])),
    ).toEqual([violation(breakGlass)]);
  });

  describe("config", () => {
    it("checks nothing by default (no break-glass groups configured)", async () => {
      expect(await check([tapPolicy([])])).toEqual([]);
      expect(await check([tapPolicy([])], { [policyName]: "mandatory" })).toEqual([]);
      expect(await check([tapPolicy([])], configured([]))).toEqual([]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check([tapPolicy([])], configured([breakGlass], "advisory"))).toEqual([
        violation(breakGlass, "advisory"),
      ]);
      expect(await check([tapPolicy([])], { ...configured([breakGlass]), all: "advisory" })).toEqual([
        violation(breakGlass, "advisory"),
      ]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([tapPolicy([])], configured([breakGlass], "disabled"))).toEqual([]);
      expect(await check([tapPolicy([])], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing while excludeTargets is unknown or missing", async () => {
      expect(await check([tapPolicy(undefined)], configured([breakGlass]))).toEqual([]);
      expect(
        await check(
          [{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }],
          configured([breakGlass]),
        ),
      ).toEqual([]);
    });

    it("finds a known break-glass id next to exclusions whose id is unknown", async () => {
      expect(await check([tapPolicy(excluding(undefined, breakGlass))], configured([breakGlass]))).toEqual(
        [],
      );
    });

    it("reports a configured group when the list is known but holds only unknown ids", async () => {
      // A configured break-glass group exists already, so its id is known at preview: an unknown id is another group.
      expect(await check([tapPolicy(excluding(undefined))], configured([breakGlass]))).toEqual([
        violation(breakGlass),
      ]);
    });
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes({ excludeTargets: [] }, resourceTypes.tapPolicy);
    expect(await check(others, configured([breakGlass]))).toEqual([]);
  });
});
