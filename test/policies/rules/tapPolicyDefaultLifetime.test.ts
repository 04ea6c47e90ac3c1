import type { EnforcementLevel } from "@pulumi/policy";
import { resourceTypes } from "../../../policies/lib";
import { tapPolicyDefaultLifetime } from "../../../policies/rules/tapPolicyDefaultLifetime";
import {
  type CheckedResource,
  type PackConfig,
  runPolicies,
  type Violation,
} from "../../../scripts/policyRunner";

const policyName = "tap-policy-default-lifetime";

const validPolicy = {
  state: "enabled",
  minimumLifetimeInMinutes: 10,
  defaultLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLength: 14,
  isUsableOnce: true,
  includeTargets: [{ id: "5f1c2a34-8d0e-4b6a-9c71-2e3f4a5b6c7d", isRegistrationRequired: false }],
  excludeTargets: [],
};

function tapPolicy(defaultLifetimeInMinutes: unknown, name = "tap-policy"): CheckedResource {
  return { type: resourceTypes.tapPolicy, name, props: { ...validPolicy, defaultLifetimeInMinutes } };
}

function check(resources: CheckedResource[], config?: PackConfig): Promise<Violation[]> {
  return runPolicies([tapPolicyDefaultLifetime], resources, config);
}

function violation(
  message: string,
  enforcementLevel: EnforcementLevel = "mandatory",
  resource: string | null = "tap-policy",
): Violation {
  return { policy: policyName, enforcementLevel, message, resource };
}

describe(policyName, () => {
  it("passes a short default lifetime", async () => {
    expect(await check([tapPolicy(60)])).toEqual([]);
    expect(await check([tapPolicy(10)])).toEqual([]);
  });

  it("reports a default lifetime above the organisation's bound", async () => {
    expect(await check([tapPolicy(480)])).toEqual([
      violation("defaultLifetimeInMinutes is 480; the organisation's bound is 60 minutes."),
    ]);
  });

  describe("config", () => {
    it("defaults to 60 minutes: 60 passes, 61 fails", async () => {
      expect(await check([tapPolicy(60)])).toEqual([]);
      expect(await check([tapPolicy(61)])).toEqual([
        violation("defaultLifetimeInMinutes is 61; the organisation's bound is 60 minutes."),
      ]);
    });

    it("raises the bound: with 120, 120 passes and 121 fails naming 120", async () => {
      const config: PackConfig = { [policyName]: { maximumDefaultLifetimeInMinutes: 120 } };
      expect(await check([tapPolicy(120)], config)).toEqual([]);
      expect(await check([tapPolicy(121)], config)).toEqual([
        violation("defaultLifetimeInMinutes is 121; the organisation's bound is 120 minutes."),
      ]);
    });

    it("lowers the bound: with 30, 60 fails naming 30", async () => {
      expect(await check([tapPolicy(60)], { [policyName]: { maximumDefaultLifetimeInMinutes: 30 } })).toEqual(
        [violation("defaultLifetimeInMinutes is 60; the organisation's bound is 30 minutes.")],
      );
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check([tapPolicy(61)], { [policyName]: "advisory" })).toEqual([
        violation("defaultLifetimeInMinutes is 61; the organisation's bound is 60 minutes.", "advisory"),
      ]);
      expect(
        await check([tapPolicy(61)], {
          [policyName]: { enforcementLevel: "advisory", maximumDefaultLifetimeInMinutes: 45 },
        }),
      ).toEqual([
        violation("defaultLifetimeInMinutes is 61; the organisation's bound is 45 minutes.", "advisory"),
      ]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([tapPolicy(43200)], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([tapPolicy(43200)], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([tapPolicy(43200)], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing for an unknown default lifetime", async () => {
      expect(await check([tapPolicy(undefined)])).toEqual([]);
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }])).toEqual([]);
    });

    it("still checks a known default when other fields are unknown", async () => {
      const props = {
        maximumLifetimeInMinutes: undefined,
        includeTargets: undefined,
        defaultLifetimeInMinutes: 90,
      };
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props }])).toEqual([
        violation("defaultLifetimeInMinutes is 90; the organisation's bound is 60 minutes."),
      ]);
    });
  });

  it("ignores resources of other types", async () => {
    const others = Object.values(resourceTypes)
      .filter((type) => type !== resourceTypes.tapPolicy)
      .map((type) => ({ type, name: type, props: { defaultLifetimeInMinutes: 43200 } }));
    expect(await check(others)).toEqual([]);
  });
});
