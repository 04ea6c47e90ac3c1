import type { EnforcementLevel } from "@pulumi/policy";
import { resourceTypes } from "../../../policies/lib";
import { tapPolicyTargetOverlap } from "../../../policies/rules/tapPolicyTargetOverlap";
import type { CheckedResource } from "../../../scripts/policyRunner";
import {
  breakGlass,
  checkerFor,
  helpdesk,
  ids,
  newHires,
  resourcesOfOtherTypes,
  tapPolicyResource,
  violationsOf,
} from "../harness";

const policyName = "tap-policy-target-overlap";

function tapPolicy(include: unknown, exclude: unknown, name?: string): CheckedResource {
  return tapPolicyResource({ includeTargets: include, excludeTargets: exclude }, name);
}

const check = checkerFor(tapPolicyTargetOverlap);
const overlapViolation = violationsOf(policyName, "tap-policy");

function violation(group: string, enforcementLevel?: EnforcementLevel, resource?: string | null) {
  return overlapViolation(`group ${group} is both included and excluded.`, enforcementLevel, resource);
}

describe(policyName, () => {
  it("passes disjoint include and exclude lists", async () => {
    expect(await check([tapPolicy(ids(helpdesk, newHires), ids(breakGlass))])).toEqual([]);
    expect(await check([tapPolicy(ids("all_users"), ids(breakGlass))])).toEqual([]);
    expect(await check([tapPolicy(ids(helpdesk), [])])).toEqual([]);
  });

  it("reports a group in both lists", async () => {
    expect(await check([tapPolicy(ids(helpdesk, newHires), ids(breakGlass, newHires))])).toEqual([
      violation(newHires),
    ]);
  });

  it("reports each overlapping group, in include order", async () => {
    expect(await check([tapPolicy(ids(helpdesk, newHires), ids(newHires, helpdesk))])).toEqual([
      violation(helpdesk),
      violation(newHires),
    ]);
  });

  it("compares ids case-insensitively, naming the group as included", async () => {
    const upper = newHires.toUpperCase();
    expect(await check([tapPolicy(ids(upper), ids(newHires))])).toEqual([violation(upper)]);
    expect(await check([tapPolicy(ids(newHires), ids(upper))])).toEqual([violation(newHires)]);
  });

  describe("config", () => {
    const overlapping = tapPolicy(ids(helpdesk), ids(helpdesk));

    it("has no settings", async () => {
      expect(await check([overlapping], { [policyName]: { ignored: true } })).toEqual([violation(helpdesk)]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check([overlapping], { [policyName]: "advisory" })).toEqual([
        violation(helpdesk, "advisory"),
      ]);
      expect(await check([overlapping], { [policyName]: { enforcementLevel: "advisory" } })).toEqual([
        violation(helpdesk, "advisory"),
      ]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([overlapping], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([overlapping], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing while either list is unknown or missing", async () => {
      expect(await check([tapPolicy(undefined, ids(helpdesk))])).toEqual([]);
      expect(await check([tapPolicy(ids(helpdesk), undefined)])).toEqual([]);
      expect(await check([tapPolicy(undefined, undefined)])).toEqual([]);
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }])).toEqual([]);
    });

    it("skips unknown ids and still checks the known ones", async () => {
      expect(await check([tapPolicy(ids(undefined, helpdesk), ids(undefined, breakGlass))])).toEqual([]);
      expect(await check([tapPolicy(ids(undefined, helpdesk), ids(undefined, helpdesk))])).toEqual([
        violation(helpdesk),
      ]);
    });
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes(
      { includeTargets: ids(helpdesk), excludeTargets: ids(helpdesk) },
      resourceTypes.tapPolicy,
    );
    expect(await check(others)).toEqual([]);
  });
});
