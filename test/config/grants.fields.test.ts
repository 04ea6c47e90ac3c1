// entra-tap:grants' other fields: name, user, group, the record of the request, the pass's use; every problem at once.
import { parseStackConfig } from "../../config";
import {
  audience,
  grant,
  grantProblems,
  grantsProblems,
  janeObjectId,
  now,
  policy,
  problems,
  raw,
  supportGrant,
  supportGroup,
} from "./grants.support";

describe("entra-tap:grants", () => {
  it("refuses a value that is not a list", () => {
    expect(problems(raw({ policy, audience, grants: grant }))).toEqual([
      `entra-tap:grants: ${JSON.stringify(grant)} is not allowed; expected a list of grants`,
    ]);
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
      // Handed over to someone else, so that the approver needs no key here.
      expect(grantProblems({ approvedBy, handoverTo: ["tom.becker@contoso.com"] })).toEqual([
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
      "entra-tap:grants[0].lifetime: not a known key; known keys: name, user, reason, ticket, requestedBy, approvedBy, start, expiry, group, membership, lifetimeInMinutes, isUsableOnce, azureRoles, revokeSessionsOnEnd, reissue, handoverTo, purpose, expectedLocations",
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
      `entra-tap:grants[0].approvedBy: "maria.garcia@contoso.com" is not allowed; expected a person with an age public key in entra-tap:handover.recipients ("tom.becker@contoso.com", "lisa.wong@contoso.com"), to receive grant "contractor-jane-doe"'s pass (or handoverTo: the people who receive it)`,
      "entra-tap:grants[1].lifetimeInMinutes: 600 is not allowed; expected a lifetime within the TAP policy's minimum (60) and maximum (480)",
      "entra-tap:grants[1].isUsableOnce: false is not allowed; expected true: the TAP policy makes every pass one-time (entra-tap:policy.isUsableOnce)",
    ]);
  });
});
