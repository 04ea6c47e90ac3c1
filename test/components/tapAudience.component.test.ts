import type { DeclaredResource } from "../../scripts/declaredResources";
import { breakGlassGroupId as breakGlass } from "../support/fixtures";
import { mockRuntime } from "../support/mockRuntime";
import { settled } from "../support/outputs";

const existingSupport = "6b1f0c2d-3e4a-4b5c-8d9e-0f1a2b3c4d5e";
const owner = "7c1e4b2a-9d3f-4a6e-8b5c-2f1d0e9a8b7c";
const createdId = (name: string) => `${name}-object-id`;

describe("TapAudience under the mock runtime", () => {
  let declared: DeclaredResource[];
  let audience: import("../../components/tapAudience").TapAudience;

  beforeAll(async () => {
    declared = await mockRuntime({
      outputsOf: (resource) =>
        resource.type === "azuread:index/group:Group" ? { objectId: createdId(resource.name) } : {},
    });
    const { TapAudience } = await import("../../components/tapAudience");
    audience = new TapAudience("audience", {
      targets: {
        contractors: { displayName: "TAP - Contractors", description: "Contractors", owners: [owner] },
        support: { objectId: existingSupport, isRegistrationRequired: true },
      },
      exclusions: { breakGlass: { objectId: breakGlass } },
      sessionControls: { signInFrequencyInHours: 8 },
    });
    await settled(audience.includeTargets);
  });

  const ofType = (type: string) => declared.filter((r) => r.type === type);

  it("creates only the groups not given by object id: security groups with owners, no mail, not role-assignable", () => {
    const groups = ofType("azuread:index/group:Group");
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      name: "audience-target-contractors",
      parent: "audience",
      inputs: {
        displayName: "TAP - Contractors",
        description: "Contractors",
        owners: [owner],
        securityEnabled: true,
        mailEnabled: false,
        assignableToRole: false,
      },
    });
  });

  it("gives the policy's targets from created and existing groups alike", async () => {
    expect(await settled(audience.includeTargets)).toEqual([
      { id: createdId("audience-target-contractors"), isRegistrationRequired: false },
      { id: existingSupport, isRegistrationRequired: true },
    ]);
    expect(await settled(audience.excludeTargets)).toEqual([{ id: breakGlass }]);
    expect(await settled(audience.targetGroupIds.support)).toBe(existingSupport);
  });

  it("declares the registration strength and Conditional Access in report-only, excluding the excluded groups", () => {
    const strength = ofType("azuread:index/authenticationStrengthPolicy:AuthenticationStrengthPolicy");
    expect(strength).toHaveLength(1);
    expect(strength[0].inputs.allowedCombinations).toEqual(
      expect.arrayContaining(["temporaryAccessPassOneTime", "temporaryAccessPassMultiUse"]),
    );
    const policies = ofType("azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy");
    expect(policies.map((p) => p.name).sort()).toEqual([
      "audience-registration",
      "audience-sign-in-frequency",
    ]);
    for (const policy of policies) {
      expect(policy.inputs.state).toBe("enabledForReportingButNotEnforced");
      expect(policy.inputs.conditions).toMatchObject({
        users: {
          includedGroups: [createdId("audience-target-contractors"), existingSupport],
          excludedGroups: [breakGlass],
        },
      });
    }
    const registration = policies.find((p) => p.name === "audience-registration")!;
    expect(registration.inputs).toMatchObject({
      conditions: { applications: { includedUserActions: ["urn:user:registersecurityinfo"] } },
      grantControls: { operator: "OR", authenticationStrengthPolicyId: "audience-registration-strength-id" },
    });
    const frequency = policies.find((p) => p.name === "audience-sign-in-frequency")!;
    expect(frequency.inputs.sessionControls).toMatchObject({
      signInFrequency: 8,
      signInFrequencyPeriod: "hours",
    });
  });

  it("declares no Conditional Access without session controls", async () => {
    const { TapAudience } = await import("../../components/tapAudience");
    const before = declared.length;
    const plain = new TapAudience("plain", {
      targets: { support: { objectId: existingSupport } },
      exclusions: { breakGlass: { objectId: breakGlass } },
    });
    await settled(plain.includeTargets);
    const added = declared.slice(before).map((r) => r.type);
    expect(added).toEqual(["entra-tap:index:TapAudience"]);
  });
});
