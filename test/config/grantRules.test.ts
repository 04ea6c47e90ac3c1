// Each cross-field grant rule on its own: what it refuses, what it lets through, and that a date the schema already
// refused is not compared again.
import fc from "fast-check";
import {
  approverIsNotRequester,
  eachRoleOnce,
  expiryAfterStart,
  type GrantContext,
  grantProblems,
  knownTargetGroup,
  lifetimeEndsByExpiry,
  lifetimeWithinPolicy,
  oneActiveGrantPerUser,
  oneTimeWhenPolicyRequires,
  type ResolvedGrant,
  roleDefinitionFitsScope,
  rolesEndWithinGrant,
  uniqueName,
} from "../../config/grantRules";
import {
  billingScope as scope,
  readerRoleId as reader,
  validTapPolicy,
  validHandover,
} from "../support/fixtures";
import { resolvedGrant } from "./grants.support";

const grant = resolvedGrant;

function context(grants: ResolvedGrant[] = [grant], changes: Partial<GrantContext> = {}): GrantContext {
  return {
    policy: validTapPolicy,
    targetGroups: ["contractors", "support"],
    handover: { ...validHandover, passcodeInState: false },
    grants,
    now: Date.parse("2026-11-27T00:00:00Z"),
    ...changes,
  };
}

const with_ = (changes: Partial<ResolvedGrant>): ResolvedGrant => ({ ...grant, ...changes });

describe("expiryAfterStart", () => {
  it("refuses an expiry at or before the start, and lets a later one through", () => {
    expect(expiryAfterStart(with_({ expiry: grant.start }), 0, context())).toEqual([
      { path: ["expiry"], value: grant.start, allowed: `a time after start (${grant.start})` },
    ]);
    expect(expiryAfterStart(grant, 0, context())).toEqual([]);
  });

  it("does not compare a date that does not parse (the schema reports it)", () => {
    expect(expiryAfterStart(with_({ start: "2027-02-29T08:00:00Z-ish" }), 0, context())).toEqual([]);
  });
});

describe("lifetimeWithinPolicy", () => {
  it.each([59, 481])("refuses %p minutes outside the policy's 60..480", (lifetimeInMinutes) => {
    expect(lifetimeWithinPolicy(with_({ lifetimeInMinutes }), 0, context())).toEqual([
      {
        path: ["lifetimeInMinutes"],
        value: lifetimeInMinutes,
        allowed: "a lifetime within the TAP policy's minimum (60) and maximum (480)",
      },
    ]);
  });

  it.each([60, 480])("accepts %p minutes", (lifetimeInMinutes) => {
    expect(lifetimeWithinPolicy(with_({ lifetimeInMinutes }), 0, context())).toEqual([]);
  });

  it("leaves a lifetime outside Microsoft's limits to the schema", () => {
    expect(lifetimeWithinPolicy(with_({ lifetimeInMinutes: 5 }), 0, context())).toEqual([]);
  });
});

describe("lifetimeEndsByExpiry", () => {
  const shortWindow = with_({ start: "2026-11-30T08:00:00Z", expiry: "2026-11-30T10:00:00Z" });

  it("refuses a pass that would end after the grant", () => {
    expect(lifetimeEndsByExpiry(with_({ ...shortWindow, lifetimeInMinutes: 180 }), 0, context())).toEqual([
      {
        path: ["lifetimeInMinutes"],
        value: 180,
        allowed: "a lifetime that ends by the grant's expiry (2026-11-30T10:00:00Z)",
      },
    ]);
  });

  it("accepts a pass that ends exactly at the expiry", () => {
    expect(lifetimeEndsByExpiry(with_({ ...shortWindow, lifetimeInMinutes: 120 }), 0, context())).toEqual([]);
  });

  it("says nothing when the window or the lifetime is already refused by another rule", () => {
    expect(lifetimeEndsByExpiry(with_({ expiry: grant.start }), 0, context())).toEqual([]);
    expect(lifetimeEndsByExpiry(with_({ ...shortWindow, lifetimeInMinutes: 600 }), 0, context())).toEqual([]);
  });
});

describe("oneTimeWhenPolicyRequires", () => {
  it("refuses a multi-use pass under a one-time policy only", () => {
    const multiUse = with_({ isUsableOnce: false });
    expect(oneTimeWhenPolicyRequires(multiUse, 0, context())).toHaveLength(1);
    const lenient = context([multiUse], {
      policy: { ...validTapPolicy, isUsableOnce: false },
    });
    expect(oneTimeWhenPolicyRequires(multiUse, 0, lenient)).toEqual([]);
  });
});

describe("knownTargetGroup", () => {
  it("names the targeted groups there are, or says none is configured", () => {
    expect(knownTargetGroup(with_({ group: "vendors" }), 0, context())).toEqual([
      {
        path: ["group"],
        value: "vendors",
        allowed: "a targeted group of entra-tap:audience.targets (contractors, support)",
      },
    ]);
    expect(knownTargetGroup(grant, 0, context([grant], { targetGroups: [] }))[0].allowed).toContain(
      "none is configured",
    );
    expect(knownTargetGroup(grant, 0, context())).toEqual([]);
  });
});

describe("approverIsNotRequester", () => {
  it("refuses the requester approving their own access, whatever the case", () => {
    const self = with_({ approvedBy: "Maria.Garcia@contoso.com" });
    expect(approverIsNotRequester(self, 0, context())).toEqual([
      { path: ["approvedBy"], value: "Maria.Garcia@contoso.com", allowed: "someone other than requestedBy" },
    ]);
    expect(approverIsNotRequester(grant, 0, context())).toEqual([]);
  });
});

describe("rolesEndWithinGrant", () => {
  it("refuses a role ending after the grant or at its start, by its position", () => {
    const roles = [
      { roleDefinitionId: reader, scope, end: "2026-12-10T00:00:00Z" },
      { roleDefinitionId: reader, scope: `${scope}-2`, end: "2027-01-01T00:00:00Z" },
      { roleDefinitionId: reader, scope: `${scope}-3`, end: grant.start },
    ];
    expect(rolesEndWithinGrant(with_({ azureRoles: roles }), 0, context()).map((p) => p.path)).toEqual([
      ["azureRoles", 1, "end"],
      ["azureRoles", 2, "end"],
    ]);
  });
});

describe("eachRoleOnce", () => {
  it("refuses the same role definition at the same scope twice, ignoring case", () => {
    const roles = [
      { roleDefinitionId: reader, scope },
      { roleDefinitionId: reader, scope: scope.toUpperCase() },
      { roleDefinitionId: reader, scope: `${scope}-other` },
    ];
    expect(eachRoleOnce(with_({ azureRoles: roles }), 0, context()).map((p) => p.path)).toEqual([
      ["azureRoles", 1],
    ]);
  });
});

describe("eachRoleOnce, across the forms of a role definition id", () => {
  it("refuses a role in the subscription form at a scope that has it in the tenant form", () => {
    const subscriptionForm = `/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59${reader}`;
    const roles = [
      { roleDefinitionId: reader, scope },
      // GUIDs in another case: the same role.
      {
        roleDefinitionId:
          "/subscriptions/5F3C2A1B-8E7D-4C6B-9A5F-0E1D2C3B4A59/providers/Microsoft.Authorization/roleDefinitions/ACDD72A7-3385-48EF-BD42-F606FBA81AE7",
        scope,
      },
      { roleDefinitionId: subscriptionForm, scope: "/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59" },
    ];
    expect(eachRoleOnce(with_({ azureRoles: roles }), 0, context())).toEqual([
      {
        path: ["azureRoles", 1],
        value: roles[1],
        allowed: "each role definition once per scope (the same as azureRoles[0])",
      },
    ]);
  });
});

describe("roleDefinitionFitsScope", () => {
  const subscription = "5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59";
  const problemsOf = (azureRoles: ResolvedGrant["azureRoles"]) =>
    roleDefinitionFitsScope(with_({ azureRoles }), 0, context());

  it("refuses a subscription-form id of another subscription, and one at a management group, by position", () => {
    const other = `/subscriptions/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6${reader}`;
    const managementGroup = "/providers/Microsoft.Management/managementGroups/mg-contoso-platform";
    expect(
      problemsOf([
        { roleDefinitionId: reader, scope },
        { roleDefinitionId: other, scope },
        { roleDefinitionId: `/subscriptions/${subscription}${reader}`, scope: managementGroup },
        { roleDefinitionId: reader, scope: managementGroup },
        // An id or scope the schema refuses is left to the schema.
        { roleDefinitionId: "Reader", scope },
        { roleDefinitionId: other, scope: "/resourceGroups/rg-billing-exports" },
      ]),
    ).toEqual([
      {
        path: ["azureRoles", 1, "roleDefinitionId"],
        value: other,
        allowed: `a role definition id of the scope's subscription, /subscriptions/${subscription}${reader}, or the tenant form, ${reader}, which entra-tap converts to it`,
      },
      {
        path: ["azureRoles", 2, "roleDefinitionId"],
        value: `/subscriptions/${subscription}${reader}`,
        allowed: `the tenant form at a management-group scope, ${reader}`,
      },
    ]);
  });
});

describe("uniqueName", () => {
  it("refuses a second grant of the same name, pointing at the first", () => {
    const grants = [grant, with_({ user: "other@contoso.com" })];
    expect(uniqueName(grants[1], 1, context(grants))).toEqual([
      { path: ["name"], value: grant.name, allowed: "a name no other grant has (grants[0])" },
    ]);
    expect(uniqueName(grants[0], 0, context(grants))).toEqual([]);
  });

  it("points every later grant of a name at the first, each reported once, among many", () => {
    const others = Array.from({ length: 50 }, (_, i) =>
      with_({ name: `grant-${i}`, user: `u${i}@contoso.com` }),
    );
    const grants = [...others, grant, with_({ user: "b@contoso.com" }), with_({ user: "c@contoso.com" })];
    const problems = grantProblems(context(grants)).filter((p) => p.path[2] === "name");
    expect(problems).toEqual([
      { path: ["grants", 51, "name"], value: grant.name, allowed: "a name no other grant has (grants[50])" },
      { path: ["grants", 52, "name"], value: grant.name, allowed: "a name no other grant has (grants[50])" },
    ]);
  });
});

describe("oneActiveGrantPerUser", () => {
  it("refuses an overlapping active grant for the same user", () => {
    const second = with_({ name: "jane-again", user: "JANE.DOE@contoso.com" });
    expect(oneActiveGrantPerUser(second, 1, context([grant, second]))[0]).toMatchObject({
      path: ["user"],
      allowed: "at most one active grant per user (overlaps grants[0], contractor-jane-doe)",
    });
  });

  it("lets a grant follow one that ended, or one that does not overlap", () => {
    const ended = with_({ start: "2026-11-01T08:00:00Z", expiry: "2026-11-02T08:00:00Z" });
    const next = with_({ name: "jane-next", start: "2026-12-19T08:00:00Z", expiry: "2026-12-20T08:00:00Z" });
    expect(oneActiveGrantPerUser(grant, 1, context([ended, grant]))).toEqual([]);
    expect(oneActiveGrantPerUser(next, 1, context([grant, next]))).toEqual([]);
  });

  it("names the first earlier grant that overlaps, skipping ended and disjoint ones and other users", () => {
    const ended = with_({ name: "ended", start: "2026-11-01T08:00:00Z", expiry: "2026-11-02T08:00:00Z" });
    const later = with_({ name: "later", start: "2027-01-10T08:00:00Z", expiry: "2027-01-20T08:00:00Z" });
    const someoneElse = with_({ name: "someone-else", user: "joe@contoso.com" });
    const overlapping = with_({ name: "overlapping", start: "2026-12-01T08:00:00Z" });
    const last = with_({ name: "last", user: "Jane.Doe@contoso.com", start: "2026-12-10T08:00:00Z" });
    const grants = [ended, later, someoneElse, grant, overlapping, last];
    expect(oneActiveGrantPerUser(grant, 3, context(grants))).toEqual([]);
    expect(oneActiveGrantPerUser(overlapping, 4, context(grants))[0].allowed).toBe(
      "at most one active grant per user (overlaps grants[3], contractor-jane-doe)",
    );
    expect(oneActiveGrantPerUser(last, 5, context(grants))[0].allowed).toBe(
      "at most one active grant per user (overlaps grants[3], contractor-jane-doe)",
    );
  });

  it("judges the same grants again at another time", () => {
    const second = with_({
      name: "jane-again",
      start: "2026-12-01T08:00:00Z",
      expiry: "2027-01-05T08:00:00Z",
    });
    const grants = [grant, second];
    expect(oneActiveGrantPerUser(second, 1, context(grants))).toHaveLength(1);
    // Once the first has ended, the second (still active) no longer overlaps an active grant.
    const afterFirst = context(grants, { now: Date.parse("2026-12-19T00:00:00Z") });
    expect(oneActiveGrantPerUser(second, 1, afterFirst)).toEqual([]);
  });
});

describe("the rules across grants, looked up once per validation", () => {
  // The rules as they were written first, scanning every grant for each grant: the reference the index must match.
  const window = (g: ResolvedGrant) => ({ start: Date.parse(g.start), expiry: Date.parse(g.expiry) });
  const referenceUniqueName = (g: ResolvedGrant, index: number, grants: ResolvedGrant[]) => {
    const first = grants.findIndex((other) => other?.name === g.name);
    return first === index ? [] : [first];
  };
  const referenceOverlap = (g: ResolvedGrant, index: number, grants: ResolvedGrant[], now: number) => {
    if (Date.parse(g.expiry) <= now) return [];
    const found = grants.findIndex(
      (other, otherIndex) =>
        otherIndex < index &&
        other.user.toLowerCase() === g.user.toLowerCase() &&
        Date.parse(other.expiry) > now &&
        window(other).start < window(g).expiry &&
        window(g).start < window(other).expiry,
    );
    return found === -1 ? [] : [found];
  };
  const day = 86_400_000;
  const base = Date.parse("2026-11-20T00:00:00Z");
  const grantArb = fc
    .record({
      name: fc.constantFrom("a-grant", "b-grant", "c-grant", "d-grant"),
      user: fc.constantFrom("jane@contoso.com", "JANE@contoso.com", "joe@contoso.com", "ann@contoso.com"),
      startDay: fc.integer({ min: 0, max: 30 }),
      days: fc.integer({ min: 1, max: 10 }),
    })
    .map(({ name, user, startDay, days }) =>
      with_({
        name,
        user,
        start: new Date(base + startDay * day).toISOString(),
        expiry: new Date(base + (startDay + days) * day).toISOString(),
      }),
    );

  it("finds the same first grant of a name, and the same first overlapping grant of a user", () => {
    fc.assert(
      fc.property(
        fc.array(grantArb, { maxLength: 12 }),
        fc.integer({ min: 0, max: 40 }),
        (grants, nowDay) => {
          const now = base + nowDay * day;
          const ctx = context(grants, { now });
          grants.forEach((g, i) => {
            expect(uniqueName(g, i, ctx).map((p) => p.allowed)).toEqual(
              referenceUniqueName(g, i, grants).map(
                (first) => `a name no other grant has (grants[${first}])`,
              ),
            );
            expect(oneActiveGrantPerUser(g, i, ctx).map((p) => p.allowed)).toEqual(
              referenceOverlap(g, i, grants, now).map(
                (first) =>
                  `at most one active grant per user (overlaps grants[${first}], ${grants[first].name})`,
              ),
            );
          });
        },
      ),
    );
  });
});

describe("grantProblems", () => {
  it("runs every rule over every grant and puts the paths under grants[i]", () => {
    const bad = with_({
      name: "second",
      user: "x@contoso.com",
      approvedBy: "maria.garcia@contoso.com",
      handoverTo: ["tom.becker@contoso.com"],
    });
    expect(grantProblems(context([grant, bad])).map((p) => p.path)).toEqual([["grants", 1, "approvedBy"]]);
  });
});
