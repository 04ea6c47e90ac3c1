import type { EnforcementLevel } from "@pulumi/policy";
import { resourceTypes } from "../../../policies/lib";
import { tapPolicyTargetOverlap } from "../../../policies/rules/tapPolicyTargetOverlap";
import {
  type CheckedResource,
  type PackConfig,
  runPolicies,
  type Violation,
} from "../../../scripts/policyRunner";

const policyName = "tap-policy-target-overlap";
const helpdesk = "5f1c2a34-8d0e-4b6a-9c71-2e3f4a5b6c7d";
const newHires = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
const breakGlass = "0b2d4f60-1a3c-4e5f-8a9b-c0d1e2f3a4b5";

const validPolicy = {
  state: "enabled",
  minimumLifetimeInMinutes: 60,
  defaultLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLength: 14,
  isUsableOnce: true,
};

function tapPolicy(include: unknown, exclude: unknown, name = "tap-policy"): CheckedResource {
  return {
    type: resourceTypes.tapPolicy,
    name,
    props: { ...validPolicy, includeTargets: include, excludeTargets: exclude },
  };
}

function ids(...values: unknown[]) {
  return values.map((id) => ({ id }));
}

function check(resources: CheckedResource[], config?: PackConfig): Promise<Violation[]> {
  return runPolicies([tapPolicyTargetOverlap], resources, config);
}

function violation(
  group: string,
  enforcementLevel: EnforcementLevel = "mandatory",
  resource: string | null = "tap-policy",
): Violation {
  return {
    policy: policyName,
    enforcementLevel,
    message: `group ${group} is both included and excluded.`,
    resource,
  };
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
    const others = Object.values(resourceTypes)
      .filter((type) => type !== resourceTypes.tapPolicy)
      .map((type) => ({
        type,
        name: type,
        props: { includeTargets: ids(helpdesk), excludeTargets: ids(helpdesk) },
      }));
    expect(await check(others)).toEqual([]);
  });
});
