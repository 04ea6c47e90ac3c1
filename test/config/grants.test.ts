// entra-tap:audience and entra-tap:grants in the stack config: the messages a user sees for each rule.
import { ValidationError } from "../../components/validation";
import { parseStackConfig } from "../../config";
import {
  billingScope,
  billingSubscriptionId as subscription,
  breakGlassGroupId as breakGlassGroup,
  contractorsGroupId,
  readerRoleId as readerRole,
  validGrant,
} from "../support/fixtures";

/** The time every grant is judged at; the grants below start after it. */
const now = Date.parse("2026-11-26T12:00:00Z");

const identityLead = "7c1e4b2a-9d3f-4a6e-8b5c-2f1d0e9a8b7c";
const securityLead = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
const janeObjectId = "d4c1a7e9-2b3f-4e6a-8c5d-9f0e1b2a3c4d";
/** The support group, an existing group given by its object id (any group's id will do). */
const supportGroup = contractorsGroupId;

type Json = Record<string, unknown>;

const policy: Json = {
  state: "enabled",
  minimumLifetimeInMinutes: 60,
  defaultLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  isUsableOnce: true,
  includeTargets: [],
  excludeTargets: [],
};

const contractors: Json = {
  displayName: "TAP - Contractors",
  description: "External contractors on a time-boxed project; membership is managed by entra-tap grants.",
  owners: [identityLead, securityLead],
};

const audience: Json = {
  targets: {
    contractors,
    support: { objectId: supportGroup, isRegistrationRequired: true },
  },
  exclusions: { breakGlass: { objectId: breakGlassGroup } },
};

const grant: Json = validGrant;

/** A second grant, of another user, in another group, without a lifetime of its own. */
const supportGrant: Json = {
  name: "support-ahmed-khan",
  user: "ahmed.khan@contoso.com",
  reason: "Troubleshoot failed nightly exports in the billing subscription",
  ticket: "INC-7731",
  requestedBy: "lisa.wong@contoso.com",
  approvedBy: "tom.becker@contoso.com",
  start: "2026-11-27T09:00:00Z",
  expiry: "2026-11-28T17:00:00Z",
  group: "support",
  azureRoles: [{ roleDefinitionId: readerRole, scope: billingScope }],
};

/** The raw config as Pulumi hands it to the program: `entra-tap:<key>` → JSON text; undefined keys left out. */
function raw(values: { policy?: unknown; audience?: unknown; grants?: unknown }): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) config[`entra-tap:${key}`] = JSON.stringify(value);
  }
  return config;
}

/** The problems parseStackConfig reports, or [] when the config is valid. */
function problems(config: Record<string, string>, at: number = now): string[] {
  try {
    parseStackConfig(config, at);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  return [];
}

/** Problems of a config with the valid policy and audience, and the given grants. */
function grantsProblems(grants: Json[], policyChanges: Json = {}, at: number = now): string[] {
  return problems(raw({ policy: { ...policy, ...policyChanges }, audience, grants }), at);
}

/** Problems of the valid grant with some keys changed (undefined: left out). */
function grantProblems(changes: Json, policyChanges: Json = {}): string[] {
  return grantsProblems([withChanges(grant, changes)], policyChanges);
}

/** Problems of a config with the valid policy and the given audience. */
function audienceProblems(value: unknown): string[] {
  return problems(raw({ policy, audience: value }));
}

/** A copy with some keys changed; a key changed to undefined is left out. */
function withChanges(value: Json, changes: Json): Json {
  const copy: Json = { ...value, ...changes };
  for (const [key, change] of Object.entries(changes)) {
    if (change === undefined) delete copy[key];
  }
  return copy;
}

function withTarget(key: string, group: unknown): Json {
  return { ...audience, targets: { [key]: group } };
}

function withExclusion(key: string, group: unknown): Json {
  return { ...audience, exclusions: { [key]: group } };
}

describe("a valid config with an audience and grants", () => {
  it("parses, filling the documented defaults", () => {
    const config = parseStackConfig(raw({ policy, audience, grants: [grant, supportGrant] }), now);
    expect(config).toEqual({
      cloud: "global",
      policy: { ...policy, defaultLength: 14, onDestroy: "restore" },
      audience: {
        targets: {
          contractors: { ...contractors, isRegistrationRequired: false },
          support: { objectId: supportGroup, isRegistrationRequired: true },
        },
        exclusions: { breakGlass: { objectId: breakGlassGroup } },
      },
      grants: [
        {
          ...grant,
          membership: "direct",
          isUsableOnce: true,
          azureRoles: [],
          revokeSessionsOnEnd: true,
          reissue: 0,
        },
        // Left out in the file: the policy's default lifetime, filled in by the config.
        {
          ...supportGrant,
          lifetimeInMinutes: policy.defaultLifetimeInMinutes,
          membership: "direct",
          isUsableOnce: true,
          revokeSessionsOnEnd: true,
          reissue: 0,
        },
      ],
    });
    expect(config.audience?.sessionControls).toBeUndefined();
  });

  it("keeps the values given instead of the defaults", () => {
    const given = {
      ...grant,
      membership: "pim",
      isUsableOnce: true,
      azureRoles: [],
      revokeSessionsOnEnd: false,
      reissue: 2,
    };
    expect(parseStackConfig(raw({ policy, audience, grants: [given] }), now).grants).toEqual([given]);
  });

  it("fills the session controls' defaults", () => {
    const config = parseStackConfig(raw({ policy, audience: { ...audience, sessionControls: {} } }), now);
    expect(config.audience?.sessionControls).toEqual({
      state: "enabledForReportingButNotEnforced",
      requireTapToRegisterSecurityInfo: true,
    });
  });

  it("judges the same config afresh at another time (an earlier valid answer is not reused)", () => {
    const expired = { ...grant, start: "2026-11-20T08:00:00Z", expiry: "2026-11-25T18:00:00Z" };
    const current = {
      ...supportGrant,
      user: grant.user,
      start: "2026-11-24T08:00:00Z",
      expiry: "2026-12-05T18:00:00Z",
    };
    const config = raw({ policy, audience, grants: [expired, current] });
    expect(parseStackConfig(config, now).grants).toHaveLength(2);
    expect(parseStackConfig(config, now)).toEqual(parseStackConfig(config, now));
    // Before the first grant expired, the two overlap.
    expect(() => parseStackConfig(config, Date.parse("2026-11-24T12:00:00Z"))).toThrow(
      /at most one active grant per user/,
    );
  });

  it("has no grants when entra-tap:grants is left out", () => {
    expect(parseStackConfig(raw({ policy, audience }), now).grants).toEqual([]);
  });
});

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

describe("entra-tap:grants", () => {
  it("refuses a value that is not a list", () => {
    expect(problems(raw({ policy, audience, grants: grant }))).toEqual([
      `entra-tap:grants: ${JSON.stringify(grant)} is not allowed; expected a list of grants`,
    ]);
  });

  describe("start and expiry", () => {
    it.each(["2026-11-30T08:00:00Z", "2026-11-29T08:00:00Z"])(
      "refuses an expiry (%s) not after the start",
      (expiry) => {
        expect(grantProblems({ expiry })).toEqual([
          `entra-tap:grants[0].expiry: "${expiry}" is not allowed; expected a time after start (2026-11-30T08:00:00Z)`,
        ]);
      },
    );

    it.each(["30/11/2026 08:00", "2026-11-30", "2026-11-30T08:00:00", "2026-11-31T08:00:00Z", 1796025600000])(
      "refuses start %p, not an ISO 8601 date and time with offset",
      (start) => {
        expect(grantProblems({ start })).toEqual([
          `entra-tap:grants[0].start: ${JSON.stringify(start)} is not allowed; expected an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z`,
        ]);
      },
    );

    it("refuses a missing expiry", () => {
      expect(grantProblems({ expiry: undefined })).toEqual([
        "entra-tap:grants[0].expiry: missing is not allowed; expected an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z",
      ]);
    });

    it("accepts dates with an offset other than Z", () => {
      expect(
        grantProblems({ start: "2026-11-30T09:00:00+01:00", expiry: "2026-12-18T19:00:00+01:00" }),
      ).toEqual([]);
    });
  });

  describe("lifetimeInMinutes", () => {
    it.each([30, 600])("refuses %p, outside the TAP policy's minimum (60) and maximum (480)", (lifetime) => {
      expect(grantProblems({ lifetimeInMinutes: lifetime })).toEqual([
        `entra-tap:grants[0].lifetimeInMinutes: ${lifetime} is not allowed; expected a lifetime within the TAP policy's minimum (60) and maximum (480)`,
      ]);
    });

    it.each([60, 480])("accepts %p, the TAP policy's limit", (lifetime) => {
      expect(grantProblems({ lifetimeInMinutes: lifetime })).toEqual([]);
    });

    it.each([60.5, "240"])("refuses %p, not an integer", (lifetime) => {
      expect(grantProblems({ lifetimeInMinutes: lifetime })).toEqual([
        `entra-tap:grants[0].lifetimeInMinutes: ${JSON.stringify(lifetime)} is not allowed; expected an integer from 10 to 43200`,
      ]);
    });

    it.each([9, 43201])("refuses %p, outside Microsoft's limits", (lifetime) => {
      expect(grantProblems({ lifetimeInMinutes: lifetime })).toEqual([
        `entra-tap:grants[0].lifetimeInMinutes: ${lifetime} is not allowed; expected an integer from 10 to 43200`,
      ]);
    });

    it("refuses a pass that would end after the grant's expiry", () => {
      expect(grantProblems({ start: "2026-11-30T08:00:00Z", expiry: "2026-11-30T10:00:00Z" })).toEqual([
        "entra-tap:grants[0].lifetimeInMinutes: 240 is not allowed; expected a lifetime that ends by the grant's expiry (2026-11-30T10:00:00Z)",
      ]);
    });

    it("accepts a pass that ends exactly at the grant's expiry", () => {
      expect(grantProblems({ start: "2026-11-30T08:00:00Z", expiry: "2026-11-30T12:00:00Z" })).toEqual([]);
    });

    it("is checked with the policy's defaultLifetimeInMinutes when left out", () => {
      const shortGrant = { lifetimeInMinutes: undefined, expiry: "2026-11-30T10:00:00Z" };
      expect(grantProblems(shortGrant, { defaultLifetimeInMinutes: 240 })).toEqual([
        "entra-tap:grants[0].lifetimeInMinutes: 240 is not allowed; expected a lifetime that ends by the grant's expiry (2026-11-30T10:00:00Z)",
      ]);
      expect(grantProblems(shortGrant, { defaultLifetimeInMinutes: 120 })).toEqual([]);
    });
  });

  describe("isUsableOnce", () => {
    it("refuses a multi-use pass while the TAP policy makes every pass one-time", () => {
      expect(grantProblems({ isUsableOnce: false }, { isUsableOnce: true })).toEqual([
        "entra-tap:grants[0].isUsableOnce: false is not allowed; expected true: the TAP policy makes every pass one-time (entra-tap:policy.isUsableOnce)",
      ]);
    });

    it("accepts a multi-use pass when the TAP policy lets each pass choose", () => {
      const config = parseStackConfig(
        raw({
          policy: { ...policy, isUsableOnce: false },
          audience,
          grants: [{ ...grant, isUsableOnce: false }],
        }),
        now,
      );
      expect(config.grants[0].isUsableOnce).toBe(false);
    });

    it("refuses a value that is not a boolean", () => {
      expect(grantProblems({ isUsableOnce: "no" })).toEqual([
        'entra-tap:grants[0].isUsableOnce: "no" is not allowed; expected true or false',
      ]);
    });
  });

  describe("group", () => {
    it("refuses a key that is not a targeted group, naming the targeted groups", () => {
      expect(grantProblems({ group: "vendors" })).toEqual([
        'entra-tap:grants[0].group: "vendors" is not allowed; expected a targeted group of entra-tap:audience.targets (contractors, support)',
      ]);
    });

    it("refuses the key of an excluded group", () => {
      expect(grantProblems({ group: "breakGlass" })).toEqual([
        'entra-tap:grants[0].group: "breakGlass" is not allowed; expected a targeted group of entra-tap:audience.targets (contractors, support)',
      ]);
    });

    it("refuses any group when there is no audience", () => {
      const policyWithTargets = { ...policy, includeTargets: [{ id: supportGroup }] };
      expect(problems(raw({ policy: policyWithTargets, grants: [grant] }))).toEqual([
        'entra-tap:grants[0].group: "contractors" is not allowed; expected a targeted group of entra-tap:audience.targets (none is configured)',
      ]);
    });

    it("refuses a missing group", () => {
      expect(grantProblems({ group: undefined })).toEqual([
        "entra-tap:grants[0].group: missing is not allowed; expected the key of a targeted group in entra-tap:audience.targets",
      ]);
    });
  });

  describe.each([
    ["reason", "the reason for the access, not empty"],
    ["ticket", "the ticket of the request, not empty"],
    ["requestedBy", "who asked for the access, not empty"],
    ["approvedBy", "who approved the access, not empty"],
  ])("%s", (key, allowed) => {
    it.each(["", "   ", "\t\n"])("refuses %p, showing it as typed", (value) => {
      expect(grantProblems({ [key]: value })).toEqual([
        `entra-tap:grants[0].${key}: ${JSON.stringify(value)} is not allowed; expected ${allowed}`,
      ]);
    });

    it("refuses a missing value", () => {
      expect(grantProblems({ [key]: undefined })).toEqual([
        `entra-tap:grants[0].${key}: missing is not allowed; expected ${allowed}`,
      ]);
    });

    it("refuses a value that is not a string", () => {
      expect(grantProblems({ [key]: 20418 })).toEqual([
        `entra-tap:grants[0].${key}: 20418 is not allowed; expected ${allowed}`,
      ]);
    });
  });

  it("trims the texts", () => {
    const config = parseStackConfig(
      raw({
        policy,
        audience,
        grants: [{ ...grant, ticket: "  CHG-20418 ", approvedBy: " tom.becker@contoso.com" }],
      }),
      now,
    );
    expect(config.grants[0]).toMatchObject({ ticket: "CHG-20418", approvedBy: "tom.becker@contoso.com" });
  });

  it.each(["maria.garcia@contoso.com", "Maria.Garcia@Contoso.com", " maria.garcia@contoso.com "])(
    "refuses approvedBy %p, the same person as requestedBy (four eyes)",
    (approvedBy) => {
      expect(grantProblems({ approvedBy })).toEqual([
        `entra-tap:grants[0].approvedBy: "${approvedBy.trim()}" is not allowed; expected someone other than requestedBy`,
      ]);
    },
  );

  it("accepts a grant that the user requested for themselves and someone else approved", () => {
    expect(grantProblems({ requestedBy: "jane.doe@contoso.com" })).toEqual([]);
  });

  describe("name", () => {
    it("refuses a name another grant has", () => {
      const second = { ...supportGrant, name: grant.name };
      expect(grantsProblems([grant, second])).toEqual([
        'entra-tap:grants[1].name: "contractor-jane-doe" is not allowed; expected a name no other grant has (grants[0])',
      ]);
    });

    it.each(["Jane_Doe", "contractor-Jane", "j", "-jane-doe", "jane.doe", `j${"a".repeat(63)}`])(
      "refuses %p",
      (name) => {
        expect(grantProblems({ name })).toEqual([
          `entra-tap:grants[0].name: "${name}" is not allowed; expected a name of lowercase letters, digits and dashes`,
        ]);
      },
    );

    it.each(["jd", "2026-jane-doe", `j${"a".repeat(62)}`])("accepts %p", (name) => {
      expect(grantProblems({ name })).toEqual([]);
    });
  });

  describe("user", () => {
    it.each(["jane", "jane@contoso", "jane doe@contoso.com", `${janeObjectId}0`])("refuses %p", (user) => {
      expect(grantProblems({ user })).toEqual([
        `entra-tap:grants[0].user: "${user}" is not allowed; expected a user principal name (name@domain) or object id`,
      ]);
    });

    it.each(["jane.doe@contoso.com", "jane.doe@contoso.onmicrosoft.com", janeObjectId])(
      "accepts %p",
      (user) => {
        expect(grantProblems({ user })).toEqual([]);
      },
    );
  });

  describe("at most one active grant per user", () => {
    const second: Json = {
      ...supportGrant,
      name: "support-jane-doe",
      user: "Jane.Doe@Contoso.com",
      start: "2026-12-10T08:00:00Z",
      expiry: "2026-12-20T18:00:00Z",
    };

    it("refuses two grants of the same user (UPN in any case) with overlapping windows", () => {
      expect(grantsProblems([grant, second])).toEqual([
        'entra-tap:grants[1].user: "Jane.Doe@Contoso.com" is not allowed; expected at most one active grant per user (overlaps grants[0], contractor-jane-doe)',
      ]);
    });

    it("refuses a window inside the other", () => {
      const inside = { ...second, start: "2026-12-01T08:00:00Z", expiry: "2026-12-02T18:00:00Z" };
      expect(grantsProblems([grant, inside])).toEqual([
        'entra-tap:grants[1].user: "Jane.Doe@Contoso.com" is not allowed; expected at most one active grant per user (overlaps grants[0], contractor-jane-doe)',
      ]);
    });

    it("accepts a window that starts when the other one expires", () => {
      const adjacent = { ...second, start: grant.expiry, expiry: "2026-12-20T18:00:00Z" };
      expect(grantsProblems([grant, adjacent])).toEqual([]);
    });

    it("accepts windows that do not overlap", () => {
      const before = { ...second, start: "2026-11-27T08:00:00Z", expiry: "2026-11-28T18:00:00Z" };
      expect(grantsProblems([grant, before])).toEqual([]);
    });

    it("accepts different users with overlapping windows", () => {
      expect(grantsProblems([grant, { ...second, user: "john.smith@contoso.com" }])).toEqual([]);
    });

    it("accepts an overlap with a grant that has already expired", () => {
      const expired = { ...grant, start: "2026-11-20T08:00:00Z", expiry: "2026-11-25T18:00:00Z" };
      const current = { ...second, start: "2026-11-24T08:00:00Z", expiry: "2026-12-05T18:00:00Z" };
      expect(grantsProblems([expired, current])).toEqual([]);
      expect(grantsProblems([current, expired])).toEqual([]);
      // Judged before the first grant expired, the same two grants overlap.
      expect(grantsProblems([expired, current], {}, Date.parse("2026-11-24T12:00:00Z"))).toEqual([
        'entra-tap:grants[1].user: "Jane.Doe@Contoso.com" is not allowed; expected at most one active grant per user (overlaps grants[0], contractor-jane-doe)',
      ]);
    });
  });

  describe("azureRoles", () => {
    const withRole = (role: Json) =>
      grantProblems({ azureRoles: [{ roleDefinitionId: readerRole, ...role }] });

    it("accepts a subscription-scoped role definition and a subscription scope", () => {
      expect(
        withRole({
          roleDefinitionId: `/subscriptions/${subscription}${readerRole}`,
          scope: `/subscriptions/${subscription}`,
        }),
      ).toEqual([]);
    });

    it.each([
      "Reader",
      "acdd72a7-3385-48ef-bd42-f606fba81ae7",
      "/providers/Microsoft.Authorization/roleDefinitions/reader",
    ])("refuses roleDefinitionId %p", (roleDefinitionId) => {
      expect(withRole({ roleDefinitionId, scope: billingScope })).toEqual([
        `entra-tap:grants[0].azureRoles[0].roleDefinitionId: "${roleDefinitionId}" is not allowed; expected a role definition id, /providers/Microsoft.Authorization/roleDefinitions/<guid>`,
      ]);
    });

    it.each(["/resourceGroups/rg-billing-exports", "/subscriptions/billing", subscription, "/"])(
      "refuses scope %p",
      (scope) => {
        expect(withRole({ scope })).toEqual([
          `entra-tap:grants[0].azureRoles[0].scope: "${scope}" is not allowed; expected an Azure scope: /subscriptions/<guid>[/...] or a management group`,
        ]);
      },
    );

    it("refuses a missing scope", () => {
      expect(withRole({})).toEqual([
        "entra-tap:grants[0].azureRoles[0].scope: missing is not allowed; expected an Azure scope: /subscriptions/<guid>[/...] or a management group",
      ]);
    });

    it("accepts a management-group scope", () => {
      expect(
        withRole({ scope: "/providers/Microsoft.Management/managementGroups/mg-contoso-platform" }),
      ).toEqual([]);
    });

    it("refuses an end after the grant's expiry", () => {
      expect(withRole({ scope: billingScope, end: "2026-12-19T08:00:00Z" })).toEqual([
        'entra-tap:grants[0].azureRoles[0].end: "2026-12-19T08:00:00Z" is not allowed; expected a time after the grant\'s start and no later than its expiry (2026-12-18T18:00:00Z)',
      ]);
    });

    it.each(["2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z"])(
      "refuses end %s, not after the start",
      (end) => {
        expect(withRole({ scope: billingScope, end })).toEqual([
          `entra-tap:grants[0].azureRoles[0].end: "${end}" is not allowed; expected a time after the grant's start and no later than its expiry (2026-12-18T18:00:00Z)`,
        ]);
      },
    );

    it.each(["2026-12-05T18:00:00Z", "2026-12-18T18:00:00Z"])("accepts end %s, within the window", (end) => {
      expect(withRole({ scope: billingScope, end })).toEqual([]);
    });

    it("refuses an end that is not an ISO 8601 date and time", () => {
      expect(withRole({ scope: billingScope, end: "next friday" })).toEqual([
        'entra-tap:grants[0].azureRoles[0].end: "next friday" is not allowed; expected an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z',
      ]);
    });

    it("numbers the role in the message", () => {
      const roles = [
        { roleDefinitionId: readerRole, scope: billingScope },
        { roleDefinitionId: readerRole, scope: `${billingScope}-archive`, end: "2027-01-01T00:00:00Z" },
      ];
      expect(grantProblems({ azureRoles: roles })).toEqual([
        'entra-tap:grants[0].azureRoles[1].end: "2027-01-01T00:00:00Z" is not allowed; expected a time after the grant\'s start and no later than its expiry (2026-12-18T18:00:00Z)',
      ]);
    });

    it("refuses the same role at the same scope twice (one eligibility, one resource)", () => {
      const roles = [
        { roleDefinitionId: readerRole, scope: billingScope },
        { roleDefinitionId: readerRole.replace("acdd72a7", "ACDD72A7"), scope: billingScope },
      ];
      expect(grantProblems({ azureRoles: roles })).toEqual([
        `entra-tap:grants[0].azureRoles[1]: ${JSON.stringify(roles[1])} is not allowed; expected each role definition once per scope (the same as azureRoles[0])`,
      ]);
    });

    it("refuses a subscription-form role definition id of another subscription than the scope's", () => {
      const other = "1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6";
      const roleDefinitionId = `/subscriptions/${other}${readerRole}`;
      expect(withRole({ roleDefinitionId, scope: billingScope })).toEqual([
        `entra-tap:grants[0].azureRoles[0].roleDefinitionId: "${roleDefinitionId}" is not allowed; expected a role definition id of the scope's subscription, /subscriptions/${subscription}${readerRole}, or the tenant form, ${readerRole}, which entra-tap converts to it`,
      ]);
      // Either form of the scope's own subscription (in any case) at a subscription, resource group or resource.
      for (const scope of [
        `/subscriptions/${subscription}`,
        billingScope,
        `${billingScope}/providers/Microsoft.Storage/storageAccounts/stexports`,
      ]) {
        expect(withRole({ roleDefinitionId: readerRole, scope })).toEqual([]);
        expect(
          withRole({ roleDefinitionId: `/subscriptions/${subscription.toUpperCase()}${readerRole}`, scope }),
        ).toEqual([]);
      }
    });

    it("refuses a subscription-form role definition id at a management-group scope", () => {
      const roleDefinitionId = `/subscriptions/${subscription}${readerRole}`;
      const scope = "/providers/Microsoft.Management/managementGroups/mg-contoso-platform";
      expect(withRole({ roleDefinitionId, scope })).toEqual([
        `entra-tap:grants[0].azureRoles[0].roleDefinitionId: "${roleDefinitionId}" is not allowed; expected the tenant form at a management-group scope, ${readerRole}`,
      ]);
    });

    it("refuses one role at one scope in both forms (one eligibility, one resource)", () => {
      const roles = [
        { roleDefinitionId: readerRole, scope: billingScope },
        { roleDefinitionId: `/subscriptions/${subscription}${readerRole}`, scope: billingScope },
      ];
      expect(grantProblems({ azureRoles: roles })).toEqual([
        `entra-tap:grants[0].azureRoles[1]: ${JSON.stringify(roles[1])} is not allowed; expected each role definition once per scope (the same as azureRoles[0])`,
      ]);
    });

    it("refuses an unknown key in a role", () => {
      expect(withRole({ scope: billingScope, endDateTime: "2026-12-05T18:00:00Z" })).toEqual([
        "entra-tap:grants[0].azureRoles[0].endDateTime: not a known key; known keys: roleDefinitionId, scope, end",
      ]);
    });
  });

  it.each([
    ["membership", "eligible", 'one of "direct", "pim"'],
    ["membership", true, 'one of "direct", "pim"'],
    ["revokeSessionsOnEnd", "yes", "true or false"],
    ["reissue", -1, "an integer from 0"],
    ["reissue", 1.5, "an integer from 0"],
  ])("refuses %s %p", (key, value, allowed) => {
    expect(grantProblems({ [key]: value })).toEqual([
      `entra-tap:grants[0].${key}: ${JSON.stringify(value)} is not allowed; expected ${allowed}`,
    ]);
  });

  it("refuses an unknown key in a grant, naming the known keys", () => {
    expect(grantProblems({ lifetime: 240 })).toEqual([
      "entra-tap:grants[0].lifetime: not a known key; known keys: name, user, reason, ticket, requestedBy, approvedBy, start, expiry, group, membership, lifetimeInMinutes, isUsableOnce, azureRoles, revokeSessionsOnEnd, reissue, expectedLocations",
    ]);
  });

  it("reports the problems of every grant at once, one message each", () => {
    const found = grantsProblems([
      { ...grant, approvedBy: grant.requestedBy, group: "vendors" },
      { ...supportGrant, isUsableOnce: false, lifetimeInMinutes: 600 },
    ]);
    expect(found).toEqual([
      'entra-tap:grants[0].group: "vendors" is not allowed; expected a targeted group of entra-tap:audience.targets (contractors, support)',
      'entra-tap:grants[0].approvedBy: "maria.garcia@contoso.com" is not allowed; expected someone other than requestedBy',
      "entra-tap:grants[1].lifetimeInMinutes: 600 is not allowed; expected a lifetime within the TAP policy's minimum (60) and maximum (480)",
      "entra-tap:grants[1].isUsableOnce: false is not allowed; expected true: the TAP policy makes every pass one-time (entra-tap:policy.isUsableOnce)",
    ]);
  });
});
