import type { EnforcementLevel } from "@pulumi/policy";
import { resourceTypes } from "../../../policies/lib";
import { tapPolicyAllUsersTarget } from "../../../policies/rules/tapPolicyAllUsersTarget";
import {
  type CheckedResource,
  type PackConfig,
  runPolicies,
  type Violation,
} from "../../../scripts/policyRunner";

const policyName = "tap-policy-all-users-target";
const message = "includeTargets contains all_users: every user can be issued a pass.";
const helpdesk = "5f1c2a34-8d0e-4b6a-9c71-2e3f4a5b6c7d";
const newHires = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";

const validPolicy = {
  state: "enabled",
  minimumLifetimeInMinutes: 60,
  defaultLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLength: 14,
  isUsableOnce: true,
  includeTargets: [{ id: helpdesk, isRegistrationRequired: false }],
  excludeTargets: [],
};

function tapPolicy(props: Record<string, unknown>, name = "tap-policy"): CheckedResource {
  return { type: resourceTypes.tapPolicy, name, props: { ...validPolicy, ...props } };
}

function targets(...ids: unknown[]) {
  return ids.map((id) => ({ id, isRegistrationRequired: false }));
}

function check(resources: CheckedResource[], config?: PackConfig): Promise<Violation[]> {
  return runPolicies([tapPolicyAllUsersTarget], resources, config);
}

function violation(
  enforcementLevel: EnforcementLevel = "advisory",
  resource: string | null = "tap-policy",
): Violation {
  return { policy: policyName, enforcementLevel, message, resource };
}

describe(policyName, () => {
  it("passes a policy that targets groups only", async () => {
    expect(await check([tapPolicy({ includeTargets: targets(helpdesk) })])).toEqual([]);
    expect(await check([tapPolicy({ includeTargets: targets(helpdesk, newHires) })])).toEqual([]);
  });

  it("reports all_users in includeTargets, at the advisory level by default", async () => {
    expect(await check([tapPolicy({ includeTargets: targets("all_users") })])).toEqual([
      violation("advisory"),
    ]);
  });

  it("reports all_users once when listed with groups", async () => {
    expect(await check([tapPolicy({ includeTargets: targets(helpdesk, "all_users", newHires) })])).toEqual([
      violation(),
    ]);
  });

  it("does not report all_users in excludeTargets", async () => {
    expect(await check([tapPolicy({ excludeTargets: [{ id: "all_users" }] })])).toEqual([]);
  });

  describe("config", () => {
    const allUsers = tapPolicy({ includeTargets: targets("all_users") });

    it("has no settings", async () => {
      expect(await check([allUsers], { [policyName]: { allowAllUsers: true } })).toEqual([violation()]);
    });

    it("can be made mandatory", async () => {
      expect(await check([allUsers], { [policyName]: "mandatory" })).toEqual([violation("mandatory")]);
      expect(await check([allUsers], { [policyName]: { enforcementLevel: "mandatory" } })).toEqual([
        violation("mandatory"),
      ]);
    });

    it("stays advisory when set so explicitly", async () => {
      expect(await check([allUsers], { [policyName]: "advisory" })).toEqual([violation("advisory")]);
    });

    it("reports nothing when disabled (the Zero Trust Assessment's choice)", async () => {
      expect(await check([allUsers], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([allUsers], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([allUsers], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing while includeTargets is unknown or missing", async () => {
      expect(await check([tapPolicy({ includeTargets: undefined })])).toEqual([]);
      expect(await check([{ type: resourceTypes.tapPolicy, name: "tap-policy", props: {} }])).toEqual([]);
    });

    it("skips targets whose id is unknown and still checks the known ones", async () => {
      expect(await check([tapPolicy({ includeTargets: targets(undefined, helpdesk) })])).toEqual([]);
      expect(await check([tapPolicy({ includeTargets: [undefined, null] })])).toEqual([]);
      expect(await check([tapPolicy({ includeTargets: targets(undefined, "all_users") })])).toEqual([
        violation(),
      ]);
    });
  });

  it("ignores resources of other types", async () => {
    const others = Object.values(resourceTypes)
      .filter((type) => type !== resourceTypes.tapPolicy)
      .map((type) => ({ type, name: type, props: { includeTargets: targets("all_users") } }));
    expect(await check(others)).toEqual([]);
  });
});
