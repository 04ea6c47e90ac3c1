import { ValidationError } from "../../components/validation";
import { parseStackConfig } from "../../config";
import {
  breakGlassGroupId as otherGroup,
  contractorsGroupId as group,
  validTapPolicy as validPolicy,
} from "../support/fixtures";

/** The raw config as Pulumi hands it to the program: structured values as JSON text. */
function raw(policy: unknown, extra: Record<string, string> = {}): Record<string, string> {
  return { "entra-tap:policy": JSON.stringify(policy), ...extra };
}

function problems(config: Record<string, string>): string[] {
  try {
    parseStackConfig(config);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseStackConfig", () => {
  it("accepts a complete, valid policy as given", () => {
    expect(parseStackConfig(raw(validPolicy))).toEqual({
      cloud: "global",
      wave: "rest",
      policy: validPolicy,
      grants: [],
      handover: { recipients: {}, passcodeInState: false },
      knownIssuers: [],
      bootstrap: { registrationWithinMinutes: 60 },
    });
  });

  it("fills left-out settings with the documented defaults", () => {
    const config = parseStackConfig(raw({ includeTargets: [{ id: group }] }));
    expect(config).toEqual({
      cloud: "global",
      wave: "rest",
      policy: {
        state: "enabled",
        minimumLifetimeInMinutes: 60,
        defaultLifetimeInMinutes: 60,
        maximumLifetimeInMinutes: 480,
        defaultLength: 14,
        isUsableOnce: true,
        includeTargets: [{ id: group, isRegistrationRequired: false }],
        excludeTargets: [],
        onDestroy: "restore",
      },
      grants: [],
      handover: { recipients: {}, passcodeInState: false },
      knownIssuers: [],
      bootstrap: { registrationWithinMinutes: 60 },
    });
  });

  it("leaves other namespaces alone", () => {
    expect(() => parseStackConfig(raw(validPolicy, { "azure-native:location": "westeurope" }))).not.toThrow();
  });

  it.each(["global", "usgovernmentl4", "usgovernmentl5"])("accepts cloud %s", (cloud) => {
    expect(parseStackConfig(raw(validPolicy, { "entra-tap:cloud": cloud })).cloud).toBe(cloud);
  });

  it("refuses an unknown cloud, listing the allowed ones", () => {
    expect(problems(raw(validPolicy, { "entra-tap:cloud": "china" }))).toEqual([
      'entra-tap:cloud: "china" is not allowed; expected one of "global", "usgovernmentl4", "usgovernmentl5"',
    ]);
  });

  it("puts a stack in the deploy's rest wave unless it says canary, and refuses any other wave", () => {
    expect(parseStackConfig(raw(validPolicy)).wave).toBe("rest");
    expect(parseStackConfig(raw(validPolicy, { "entra-tap:wave": "canary" })).wave).toBe("canary");
    expect(problems(raw(validPolicy, { "entra-tap:wave": "first" }))).toEqual([
      'entra-tap:wave: "first" is not allowed; expected one of "canary", "rest"',
    ]);
  });

  it("requires entra-tap:policy", () => {
    expect(problems({})).toEqual(["entra-tap:policy: missing is not allowed; expected an object"]);
  });

  it("refuses unknown keys at every level, so a typo never falls back to a default", () => {
    const typo = {
      ...validPolicy,
      defaultLenght: 20,
      includeTargets: [{ id: group, isRegistrationRequierd: true }],
    };
    const found = problems(raw(typo, { "entra-tap:polcy": "{}" }));
    expect(found).toHaveLength(3);
    expect(found).toContain(
      "entra-tap:polcy: not a known key; known keys: cloud, tenantId, wave, policy, audience, grants, monitoring, handover, knownIssuers, bootstrap",
    );
    expect(found).toContainEqual(
      expect.stringMatching(/^entra-tap:policy\.defaultLenght: not a known key; known keys: state, /),
    );
    expect(found).toContainEqual(
      expect.stringMatching(
        /^entra-tap:policy\.includeTargets\[0\]\.isRegistrationRequierd: not a known key/,
      ),
    );
  });

  describe.each([
    ["state", ["enabled", "disabled"], ["on", 1], 'one of "enabled", "disabled"'],
    ["defaultLength", [8, 14, 48], [7, 49, 14.5, "14"], "an integer from 8 to 48"],
    ["isUsableOnce", [true, false], ["yes", 1], "true or false"],
    [
      "onDestroy",
      ["restore", "reset", "disable", "retain"],
      ["delete"],
      'one of "restore", "reset", "disable", "retain"',
    ],
  ])("%s", (field, valid, invalid, allowed) => {
    it.each(valid as unknown[])("accepts %p", (value) => {
      expect(problems(raw({ ...validPolicy, [field]: value }))).toEqual([]);
    });
    it.each(invalid as unknown[])(
      "refuses %p, naming the key path, the value and what is allowed",
      (value) => {
        expect(problems(raw({ ...validPolicy, [field]: value }))).toEqual([
          `entra-tap:policy.${field}: ${JSON.stringify(value)} is not allowed; expected ${allowed}`,
        ]);
      },
    );
  });

  describe.each(["minimumLifetimeInMinutes", "defaultLifetimeInMinutes", "maximumLifetimeInMinutes"])(
    "%s",
    (field) => {
      it.each([10, 43200])("accepts Microsoft's limit %p", (value) => {
        const policy = {
          ...validPolicy,
          minimumLifetimeInMinutes: value,
          defaultLifetimeInMinutes: value,
          maximumLifetimeInMinutes: value,
        };
        expect(problems(raw(policy))).toEqual([]);
      });
      it.each([9, 43201, 60.5, "60", null])("refuses %p", (value) => {
        expect(problems(raw({ ...validPolicy, [field]: value }))).toEqual([
          `entra-tap:policy.${field}: ${JSON.stringify(value)} is not allowed; expected an integer from 10 to 43200`,
        ]);
      });
    },
  );

  it("requires the default lifetime between the minimum and the maximum", () => {
    expect(problems(raw({ ...validPolicy, defaultLifetimeInMinutes: 30 }))).toEqual([
      "entra-tap:policy.defaultLifetimeInMinutes: 30 is not allowed; expected a value from minimumLifetimeInMinutes (60) to maximumLifetimeInMinutes (480)",
    ]);
    expect(problems(raw({ ...validPolicy, defaultLifetimeInMinutes: 600 }))).toHaveLength(1);
  });

  it("requires the minimum lifetime not above the maximum", () => {
    expect(problems(raw({ ...validPolicy, minimumLifetimeInMinutes: 600 }))).toEqual([
      "entra-tap:policy.minimumLifetimeInMinutes: 600 is not allowed; expected at most maximumLifetimeInMinutes (480)",
    ]);
  });

  describe("includeTargets", () => {
    it.each([group, "all_users", group.toUpperCase()])("accepts id %p", (id) => {
      expect(
        problems(raw({ ...validPolicy, includeTargets: [{ id, isRegistrationRequired: true }] })),
      ).toEqual([]);
    });
    it.each(["contractors", "all-users", `${group}x`, 42])("refuses id %p", (id) => {
      expect(problems(raw({ ...validPolicy, includeTargets: [{ id }] }))).toEqual([
        `entra-tap:policy.includeTargets[0].id: ${JSON.stringify(id)} is not allowed; expected a group object id (GUID) or "all_users"`,
      ]);
    });
    it("refuses a non-boolean isRegistrationRequired", () => {
      expect(
        problems(raw({ ...validPolicy, includeTargets: [{ id: group, isRegistrationRequired: "no" }] })),
      ).toEqual([
        'entra-tap:policy.includeTargets[0].isRegistrationRequired: "no" is not allowed; expected true or false',
      ]);
    });
    it("refuses a list without targets while the policy is enabled, and allows it when disabled", () => {
      expect(problems(raw({ ...validPolicy, includeTargets: [] }))).toEqual([
        "entra-tap:policy.includeTargets: [] is not allowed; expected at least one target while state is enabled (here, or groups in entra-tap:audience.targets)",
      ]);
      expect(problems(raw({ ...validPolicy, state: "disabled", includeTargets: [] }))).toEqual([]);
    });
    it("refuses a group listed twice", () => {
      expect(problems(raw({ ...validPolicy, includeTargets: [{ id: group }, { id: group }] }))).toEqual([
        `entra-tap:policy.includeTargets[1].id: "${group}" is not allowed; expected each group once per list`,
      ]);
    });
    it("refuses a value that is not a list", () => {
      expect(problems(raw({ ...validPolicy, includeTargets: group }))).toEqual([
        `entra-tap:policy.includeTargets: "${group}" is not allowed; expected a list of targets`,
      ]);
    });
  });

  describe("excludeTargets", () => {
    it("accepts group ids and an empty list", () => {
      expect(problems(raw({ ...validPolicy, excludeTargets: [] }))).toEqual([]);
      expect(problems(raw({ ...validPolicy, excludeTargets: [{ id: otherGroup }, { id: group }] }))).toEqual(
        [],
      );
    });
    it.each(["all_users", "break-glass"])("refuses id %p", (id) => {
      expect(problems(raw({ ...validPolicy, excludeTargets: [{ id }] }))).toEqual([
        `entra-tap:policy.excludeTargets[0].id: ${JSON.stringify(id)} is not allowed; expected a group object id (GUID)`,
      ]);
    });
  });

  it("reports every problem at once, one message each", () => {
    const found = problems(
      raw({
        ...validPolicy,
        state: "on",
        defaultLength: 4,
        maximumLifetimeInMinutes: 50000,
        excludeTargets: [{ id: "x" }],
      }),
    );
    expect(found).toHaveLength(4);
  });

  it("refuses a policy that is not an object", () => {
    expect(problems({ "entra-tap:policy": "enabled" })).toEqual([
      'entra-tap:policy: "enabled" is not allowed; expected an object',
    ]);
  });
});
