// The review's judgement, without Graph: pass states, the grant that explains a pass, ended grants, members.
import { clockSkewMs } from "../../../components/grant";
import { parseStackConfig } from "../../../config";
import { afterRevocation, classify, explainPass, passState } from "../../../scripts/review/classify";
import type { ScannedPass, TenantScan } from "../../../scripts/review/scan";
import { billingSubscriptionId, readerRoleId, sampleUser, validTapPolicy } from "../../support/fixtures";
import { sampleGrant, sampleGroups, sampleStackConfig } from "../../support/sampleTenant";

const now = Date.parse("2027-06-15T12:00:00Z");
const hour = 3_600_000;
const day = 24 * hour;
const jane = { id: "aaaaaaaa-0000-4000-8000-000000000001", upn: sampleUser };
const omar = { id: "aaaaaaaa-0000-4000-8000-000000000002", upn: "omar.haddad@contoso.com" };

function config(grants: Record<string, unknown>[]) {
  const raw = Object.fromEntries(
    Object.entries(sampleStackConfig(grants)).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  return parseStackConfig(raw, now);
}

function pass(start: number, minutes: number, reason = "EnabledByPolicy"): ScannedPass {
  return {
    id: "pass-1",
    createdDateTime: new Date(Math.min(start, now)).toISOString(),
    startDateTime: new Date(start).toISOString(),
    endDateTime: new Date(start + minutes * 60_000).toISOString(),
    lifetimeInMinutes: minutes,
    isUsableOnce: true,
    isUsable: reason === "EnabledByPolicy",
    methodUsabilityReason: reason,
  };
}

/** The policy's settings as Graph holds them (no onDestroy: that is entra-tap's). */
const { onDestroy: _onDestroy, ...policySettings } = validTapPolicy;

function scan(overrides: Partial<TenantScan> = {}): TenantScan {
  return {
    policy: { ...policySettings, includeTargets: [], excludeTargets: [] },
    allUsers: false,
    holders: "groups",
    groups: [
      {
        id: sampleGroups.contractors.id,
        displayName: sampleGroups.contractors.displayName,
        role: "target",
        key: "contractors",
        inLivePolicy: true,
        inStack: true,
        found: true,
        memberIds: [],
      },
      {
        id: sampleGroups.breakGlass.id,
        displayName: sampleGroups.breakGlass.displayName,
        role: "exclusion",
        key: "breakGlass",
        inLivePolicy: true,
        inStack: true,
        found: true,
        memberIds: [],
      },
    ],
    userTargets: [],
    excludedUserTargets: [],
    users: [],
    grantUsers: { [jane.upn]: jane.id, [omar.upn]: omar.id },
    passIssuers: {},
    notes: [],
    ...overrides,
  };
}

function withMembers(s: TenantScan, contractors: string[], breakGlass: string[] = []): TenantScan {
  s.groups[0].memberIds = contractors;
  s.groups[1].memberIds = breakGlass;
  return s;
}

const activeGrant = sampleGrant("contractor-jane-doe", jane.upn, "contractors", now - day, now + 7 * day);
const endedGrant = sampleGrant("contractor-jane-old", jane.upn, "contractors", now - 10 * day, now - 9 * day);

describe("passState", () => {
  it.each([
    ["EnabledByPolicy", "usable"],
    ["NotYetValid", "not yet valid"],
    ["Expired", "expired"],
    ["OneTimeUsed", "used"],
    ["DisabledByPolicy", "disabled by policy"],
  ])("shows %s as %s", (reason, state) => {
    expect(passState({ methodUsabilityReason: reason, isUsable: reason === "EnabledByPolicy" })).toBe(state);
  });

  it("shows a reason it does not know as it is, never as usable unless Graph says so", () => {
    expect(passState({ methodUsabilityReason: "SomethingNew", isUsable: false })).toBe(
      "unknown (SomethingNew)",
    );
    expect(passState({ methodUsabilityReason: null, isUsable: false })).toBe("unknown (no reason given)");
  });
});

describe("explainPass", () => {
  const grants = config([activeGrant, endedGrant]).grants;

  it("is a grant's when the pass lies within a grant that has not ended", () => {
    expect(explainPass(pass(now - hour, 120), grants, now)).toMatchObject({
      kind: "grant",
      grant: {
        name: "contractor-jane-doe",
        ticket: expect.any(String),
        approvedBy: "tom.becker@contoso.com",
      },
    });
  });

  it("is an upcoming grant's too: entra-tap issues its pass, not yet valid, before the start", () => {
    const upcoming = config([
      sampleGrant("upcoming", jane.upn, "contractors", now + day, now + 2 * day),
    ]).grants;
    expect(explainPass(pass(now + day, 120, "NotYetValid"), upcoming, now)).toMatchObject({
      kind: "grant",
      grant: { name: "upcoming" },
    });
  });

  it("allows the clock skew at the edges of the window, and no more", () => {
    const start = Date.parse(activeGrant.start as string);
    expect(explainPass(pass(start - clockSkewMs + 1000, 120), grants, now).kind).toBe("grant");
    expect(explainPass(pass(start - clockSkewMs - 60_000, 120), grants, now)).toEqual({
      kind: "undeclared",
      detail: "outside the window of grant contractor-jane-doe",
    });
  });

  it("is an ended grant's when it started in a grant that has ended", () => {
    expect(explainPass(pass(now - 10 * day + hour, 120, "Expired"), grants, now)).toMatchObject({
      kind: "endedGrant",
      grant: { name: "contractor-jane-old" },
    });
  });

  it("is undeclared without a grant", () => {
    expect(explainPass(pass(now, 60), [], now)).toEqual({ kind: "undeclared" });
  });
});

describe("classify", () => {
  it("reports each pass with its state and grant, and nothing else when all is declared", () => {
    const s = withMembers(scan(), [jane.id]);
    s.users = [
      { id: jane.id, userPrincipalName: jane.upn, phishingResistant: [], pass: pass(now - hour, 120) },
    ];
    const review = classify("dev", config([activeGrant]), s, now);
    expect(review.passes).toEqual([
      expect.objectContaining({ user: jane.upn, state: "usable", oneTime: true, excluded: false }),
    ]);
    expect(review.endedGrants).toEqual([]);
    expect(review.unexplainedMembers).toEqual([]);
    expect(review.needsAttention).toBe(false);
  });

  it("finds an ended grant whose pass and membership are still there", () => {
    const s = withMembers(scan(), [jane.id]);
    s.users = [
      {
        id: jane.id,
        userPrincipalName: jane.upn,
        phishingResistant: [],
        pass: pass(now - 10 * day + hour, 120, "Expired"),
      },
    ];
    const review = classify("dev", config([endedGrant]), s, now);
    expect(review.endedGrants).toEqual([
      {
        grant: expect.objectContaining({ name: "contractor-jane-old" }),
        pass: "still there",
        membership: "still there",
        azureRoles: "none declared",
      },
    ]);
    // The membership is the ended grant's: not reported a second time as unexplained.
    expect(review.unexplainedMembers).toEqual([]);
    expect(review.needsAttention).toBe(true);
  });

  it("does not blame an ended grant for a membership a later grant of the same group explains", () => {
    const s = withMembers(scan(), [jane.id]);
    s.users = [{ id: jane.id, userPrincipalName: jane.upn, phishingResistant: [], pass: undefined }];
    const review = classify("dev", config([endedGrant, activeGrant]), s, now);
    expect(review.endedGrants).toEqual([]);
    expect(review.needsAttention).toBe(false);
  });

  it("says an ended grant's membership is not checked when its group cannot be found", () => {
    const s = withMembers(scan(), []);
    s.groups[0].found = false;
    s.users = [
      {
        id: jane.id,
        userPrincipalName: jane.upn,
        phishingResistant: [],
        pass: pass(now - 10 * day + hour, 120, "Expired"),
      },
    ];
    const review = classify("dev", config([endedGrant]), s, now);
    expect(review.endedGrants[0].membership).toBe("not checked (group not found)");
  });

  it("notes the Azure roles of ended grants that left nothing Graph can see", () => {
    const withRoles = {
      ...endedGrant,
      azureRoles: [{ roleDefinitionId: readerRoleId, scope: `/subscriptions/${billingSubscriptionId}` }],
    };
    const review = classify("dev", config([withRoles]), withMembers(scan(), []), now);
    expect(review.endedGrants).toEqual([]);
    expect(review.notes).toEqual([
      expect.stringMatching(/contractor-jane-old is not checked: it needs Azure Resource Manager/),
    ]);
    expect(review.needsAttention).toBe(false);
  });

  it("lists members of targeted groups that no grant explains, with their groups", () => {
    const s = withMembers(scan(), [jane.id, omar.id]);
    s.users = [
      { id: jane.id, userPrincipalName: jane.upn, phishingResistant: [], pass: undefined },
      { id: omar.id, userPrincipalName: omar.upn, phishingResistant: [], pass: undefined },
    ];
    const review = classify("dev", config([activeGrant]), s, now);
    expect(review.unexplainedMembers).toEqual([
      { userId: omar.id, user: omar.upn, groups: ["TAP - Contractors"] },
    ]);
  });

  it("marks a pass of an excluded user, and reports it undeclared", () => {
    const s = withMembers(scan(), [], [omar.id]);
    s.users = [
      { id: omar.id, userPrincipalName: omar.upn, phishingResistant: [], pass: pass(now - hour, 120) },
    ];
    const review = classify("dev", config([]), s, now);
    expect(review.passes[0]).toMatchObject({ excluded: true, explanation: { kind: "undeclared" } });
    expect(review.needsAttention).toBe(true);
  });

  it("notes a group the live policy and the stack disagree on", () => {
    const s = withMembers(scan(), []);
    s.groups[0].inStack = false;
    expect(classify("dev", config([]), s, now).notes).toEqual([
      'the live policy targets group "TAP - Contractors", which the stack does not declare (pulumi preview --refresh shows the drift)',
    ]);
  });

  it("matches a grant's user by object id as well as by user principal name", () => {
    const s = withMembers(scan(), [jane.id]);
    s.grantUsers = { [jane.id]: jane.id };
    s.users = [
      { id: jane.id, userPrincipalName: jane.upn, phishingResistant: [], pass: pass(now - hour, 120) },
    ];
    const byId = sampleGrant("by-id", jane.id, "contractors", now - day, now + day);
    expect(classify("dev", config([byId]), s, now).needsAttention).toBe(false);
  });
});

describe("afterRevocation", () => {
  it("drops the revoked passes and keeps what revocation does not end", () => {
    const s = withMembers(scan(), [jane.id, omar.id]);
    s.users = [
      {
        id: jane.id,
        userPrincipalName: jane.upn,
        phishingResistant: [],
        pass: pass(now - 10 * day + hour, 120, "Expired"),
      },
      { id: omar.id, userPrincipalName: omar.upn, phishingResistant: [], pass: pass(now - hour, 120) },
    ];
    const review = classify("dev", config([endedGrant]), s, now);
    const after = afterRevocation(review, [jane.id, omar.id]);
    expect(after.passes).toEqual([]);
    // Jane's membership and Omar's are still there: `pulumi up` and people end those, not revocation.
    expect(after.endedGrants).toEqual([expect.objectContaining({ pass: "gone", membership: "still there" })]);
    expect(after.unexplainedMembers).toHaveLength(1);
    expect(after.needsAttention).toBe(true);
  });
});
