// entra-tap:audience in the stack config, and the policy's targets with it: the messages a user sees for each rule.
import { breakGlassGroupId as breakGlassGroup } from "../support/fixtures";
import {
  audience,
  contractors,
  type Json,
  policy,
  problems,
  raw,
  supportGroup,
  withChanges,
} from "./grants.support";

/** Problems of a config with the valid policy and the given audience. */
function audienceProblems(value: unknown): string[] {
  return problems(raw({ policy, audience: value }));
}

function withTarget(key: string, group: unknown): Json {
  return { ...audience, targets: { [key]: group } };
}

function withExclusion(key: string, group: unknown): Json {
  return { ...audience, exclusions: { [key]: group } };
}

describe("entra-tap:audience", () => {
  describe.each([
    // One problem, one message: the policy left without a target is a consequence, not a second problem.
    ["targets", "at least one targeted group"],
    ["exclusions", "at least one excluded group (break-glass accounts at least)"],
  ])("%s", (key, atLeastOne) => {
    it("is required", () => {
      expect(audienceProblems(withChanges(audience, { [key]: undefined }))).toEqual([
        `entra-tap:audience.${key}: missing is not allowed; expected a map of group keys to groups`,
      ]);
    });
    it("is not empty", () => {
      expect(audienceProblems({ ...audience, [key]: {} })).toEqual([
        `entra-tap:audience.${key}: {} is not allowed; expected ${atLeastOne}`,
      ]);
    });
    it("is a map, not a list", () => {
      expect(audienceProblems({ ...audience, [key]: [breakGlassGroup] })).toEqual([
        `entra-tap:audience.${key}: ["${breakGlassGroup}"] is not allowed; expected a map of group keys to groups`,
      ]);
    });
  });

  it("refuses a group key that is not letters, digits and dashes", () => {
    expect(audienceProblems(withTarget("tap_contractors", contractors))).toEqual([
      'entra-tap:audience.targets.tap_contractors: "tap_contractors" is not allowed; expected a key of letters, digits and dashes, starting with a letter (at most 40)',
    ]);
  });

  it("accepts a group key of letters, digits and dashes", () => {
    expect(audienceProblems(withTarget("contractors-2026", contractors))).toEqual([]);
  });

  it("refuses a group giving both objectId and displayName", () => {
    expect(
      audienceProblems(withTarget("support", { objectId: supportGroup, displayName: "TAP - Support" })),
    ).toEqual([
      `entra-tap:audience.targets.support.objectId: "${supportGroup}" is not allowed; expected either objectId (an existing group) or displayName, description and owners (a new group), not both`,
    ]);
  });

  it.each([
    ["displayName", "a displayName"],
    ["description", "a description"],
    ["owners", "owners"],
  ])("refuses a created group without %s", (key, what) => {
    expect(
      audienceProblems(withTarget("contractors", withChanges(contractors, { [key]: undefined }))),
    ).toEqual([
      `entra-tap:audience.targets.contractors.${key}: missing is not allowed; expected ${what} for a group entra-tap creates (or objectId for an existing group)`,
    ]);
  });

  it("refuses an excluded group with neither objectId nor the keys of a new group, one message per key", () => {
    expect(audienceProblems(withExclusion("breakGlass", {}))).toEqual([
      "entra-tap:audience.exclusions.breakGlass.displayName: missing is not allowed; expected a displayName for a group entra-tap creates (or objectId for an existing group)",
      "entra-tap:audience.exclusions.breakGlass.description: missing is not allowed; expected a description for a group entra-tap creates (or objectId for an existing group)",
      "entra-tap:audience.exclusions.breakGlass.owners: missing is not allowed; expected owners for a group entra-tap creates (or objectId for an existing group)",
    ]);
  });

  it("accepts an excluded group that entra-tap creates", () => {
    expect(audienceProblems(withExclusion("breakGlass", contractors))).toEqual([]);
  });

  it("refuses an empty list of owners", () => {
    expect(audienceProblems(withTarget("contractors", { ...contractors, owners: [] }))).toEqual([
      "entra-tap:audience.targets.contractors.owners: [] is not allowed; expected at least one owner, so the group is never orphaned",
    ]);
  });

  it("refuses an owner that is not an object id", () => {
    expect(
      audienceProblems(withTarget("contractors", { ...contractors, owners: ["tom.becker@contoso.com"] })),
    ).toEqual([
      'entra-tap:audience.targets.contractors.owners[0]: "tom.becker@contoso.com" is not allowed; expected an owner\'s object id (GUID)',
    ]);
  });

  it.each(["   ", ""])("refuses a displayName of %p", (displayName) => {
    expect(audienceProblems(withTarget("contractors", { ...contractors, displayName }))).toEqual([
      `entra-tap:audience.targets.contractors.displayName: ${JSON.stringify(displayName)} is not allowed; expected a non-empty string`,
    ]);
  });

  it.each(["break-glass", `${breakGlassGroup}0`, 42])("refuses objectId %p", (objectId) => {
    expect(audienceProblems(withExclusion("breakGlass", { objectId }))).toEqual([
      `entra-tap:audience.exclusions.breakGlass.objectId: ${JSON.stringify(objectId)} is not allowed; expected a group object id (GUID)`,
    ]);
  });

  it("accepts an objectId in upper case", () => {
    expect(
      audienceProblems(withExclusion("breakGlass", { objectId: breakGlassGroup.toUpperCase() })),
    ).toEqual([]);
  });

  it("refuses an unknown key in a targeted group, naming the known keys", () => {
    expect(
      audienceProblems(withTarget("support", { objectId: supportGroup, isRegistrationRequierd: true })),
    ).toEqual([
      "entra-tap:audience.targets.support.isRegistrationRequierd: not a known key; known keys: objectId, displayName, description, owners, isRegistrationRequired",
    ]);
  });

  it("refuses isRegistrationRequired in an excluded group (targets only)", () => {
    expect(
      audienceProblems(
        withExclusion("breakGlass", { objectId: breakGlassGroup, isRegistrationRequired: false }),
      ),
    ).toEqual([
      "entra-tap:audience.exclusions.breakGlass.isRegistrationRequired: not a known key; known keys: objectId, displayName, description, owners",
    ]);
  });

  it("refuses an unknown key in the audience", () => {
    expect(audienceProblems({ ...audience, exclusion: {} })).toEqual([
      "entra-tap:audience.exclusion: not a known key; known keys: targets, exclusions, sessionControls",
    ]);
  });

  describe("sessionControls", () => {
    const withControls = (sessionControls: Json) => audienceProblems({ ...audience, sessionControls });

    it.each(["enabledForReportingButNotEnforced", "enabled", "disabled"])("accepts state %p", (state) => {
      expect(withControls({ state })).toEqual([]);
    });

    it.each(["enforced", true])("refuses state %p", (state) => {
      expect(withControls({ state })).toEqual([
        `entra-tap:audience.sessionControls.state: ${JSON.stringify(state)} is not allowed; expected one of "enabledForReportingButNotEnforced", "enabled", "disabled"`,
      ]);
    });

    it.each([1, 24])("accepts signInFrequencyInHours %p", (signInFrequencyInHours) => {
      expect(withControls({ signInFrequencyInHours })).toEqual([]);
    });

    it.each([0, 25, 1.5, "8"])("refuses signInFrequencyInHours %p", (signInFrequencyInHours) => {
      expect(withControls({ signInFrequencyInHours })).toEqual([
        `entra-tap:audience.sessionControls.signInFrequencyInHours: ${JSON.stringify(signInFrequencyInHours)} is not allowed; expected an integer from 1 to 24`,
      ]);
    });

    it("refuses a non-boolean requireTapToRegisterSecurityInfo", () => {
      expect(withControls({ requireTapToRegisterSecurityInfo: "yes" })).toEqual([
        'entra-tap:audience.sessionControls.requireTapToRegisterSecurityInfo: "yes" is not allowed; expected true or false',
      ]);
    });

    it("refuses an unknown key", () => {
      expect(withControls({ signInFrequency: 8 })).toEqual([
        "entra-tap:audience.sessionControls.signInFrequency: not a known key; known keys: state, requireTapToRegisterSecurityInfo, signInFrequencyInHours",
      ]);
    });
  });
});

describe("entra-tap:policy.includeTargets with the audience", () => {
  it("may be empty while the policy is enabled when the audience has targets", () => {
    expect(problems(raw({ policy: { ...policy, state: "enabled", includeTargets: [] }, audience }))).toEqual(
      [],
    );
  });

  it("is refused empty while the policy is enabled without an audience", () => {
    expect(problems(raw({ policy: { ...policy, state: "enabled", includeTargets: [] } }))).toEqual([
      "entra-tap:policy.includeTargets: [] is not allowed; expected at least one target while state is enabled (here, or groups in entra-tap:audience.targets)",
    ]);
  });

  it("is refused empty when includeTargets is left out and there is no audience", () => {
    expect(problems(raw({ policy: withChanges(policy, { includeTargets: undefined }) }))).toEqual([
      "entra-tap:policy.includeTargets: [] is not allowed; expected at least one target while state is enabled (here, or groups in entra-tap:audience.targets)",
    ]);
  });
});
