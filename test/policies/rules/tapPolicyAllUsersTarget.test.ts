import type { EnforcementLevel } from "@pulumi/policy";
import { resourceTypes } from "../../../policies/lib";
import { tapPolicyAllUsersTarget } from "../../../policies/rules/tapPolicyAllUsersTarget";
import {
  checkerFor,
  helpdesk,
  newHires,
  resourcesOfOtherTypes,
  tapPolicyResource,
  violationsOf,
} from "../harness";

const policyName = "tap-policy-all-users-target";
const message = "includeTargets contains all_users: every user can be issued a pass.";

const tapPolicy = tapPolicyResource;

function targets(...ids: unknown[]) {
  return ids.map((id) => ({ id, isRegistrationRequired: false }));
}

const check = checkerFor(tapPolicyAllUsersTarget);
const allUsersViolation = violationsOf(policyName, "tap-policy");

/** Advisory unless a level is given: the policy's default. */
function violation(enforcementLevel: EnforcementLevel = "advisory", resource?: string | null) {
  return allUsersViolation(message, enforcementLevel, resource);
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
    const others = resourcesOfOtherTypes({ includeTargets: targets("all_users") }, resourceTypes.tapPolicy);
    expect(await check(others)).toEqual([]);
  });
});
