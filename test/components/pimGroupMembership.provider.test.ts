// The PIM for Groups membership provider against the Graph emulator over HTTP: assigned, read, changed, ended early,
// and above all an ended schedule (which Entra removes) never re-created and never asked to be removed.
import {
  type PimGroupMembershipInputs,
  type PimGroupMembershipOutputs,
  pimGroupMembershipProvider as provider,
} from "../../components/pimGroupMembership";
import {
  type EmulatedUser,
  GraphEmulator,
  pimScheduleRequestsPath,
  pimSchedulesPath,
  useGraphEmulatorInProcessEnv,
} from "../support/graphEmulator";
import { contractorsGroupId as contractors } from "../support/fixtures";

const hour = 3_600_000;

let emulator: GraphEmulator;
let jane: EmulatedUser;
useGraphEmulatorInProcessEnv((started) => (emulator = started));
beforeEach(() => {
  emulator.reset();
  emulator.addGroup({ id: contractors, displayName: "TAP contractors" });
  jane = emulator.addUser({ userPrincipalName: "jane.doe@contoso.example" });
});

function declared(overrides: Partial<PimGroupMembershipInputs> = {}): PimGroupMembershipInputs {
  return {
    cloud: "global",
    groupId: contractors,
    principalId: jane.id,
    endDateTime: new Date(Date.now() + 48 * hour).toISOString(),
    justification: {
      reason: "Laptop replacement",
      ticket: "CHG-1042",
      requestedBy: "ahmed.khan@contoso.example",
      approvedBy: "Sam Lee",
    },
    ...overrides,
  };
}

async function assigned(overrides: Partial<PimGroupMembershipInputs> = {}) {
  const result = await provider.create!(declared(overrides));
  emulator.requests.length = 0;
  return result.outs as PimGroupMembershipOutputs;
}

const scheduleRequests = () =>
  emulator.requests.filter((r) => r.method === "POST" && r.path === pimScheduleRequestsPath);
/** Moves time past `iso`, for Entra (the emulator) and for the provider alike. */
const realNow = Date.now;
afterEach(() => {
  Date.now = realNow;
});
const movePast = (iso: string) => {
  const at = Date.parse(iso) + 60_000;
  emulator.now = () => at;
  Date.now = () => at;
};

describe("check", () => {
  it("accepts a membership that ends in the future", async () => {
    const result = await provider.check!({}, declared());
    expect(result.failures ?? []).toEqual([]);
  });

  it("refuses a new membership whose end has passed, naming the field and the value", async () => {
    const end = new Date(Date.now() - hour).toISOString();
    const result = await provider.check!({}, declared({ endDateTime: end }));
    expect(result.failures).toEqual([
      {
        property: "endDateTime",
        reason: `pimMembership.endDateTime: "${end}" has passed; a new PIM membership must end in the future`,
      },
    ]);
  });

  it("lets an existing membership's end pass (the program stops declaring it; the provider then does nothing)", async () => {
    const olds = await assigned();
    const result = await provider.check!(
      olds as never,
      declared({ endDateTime: new Date(Date.now() - hour).toISOString() }),
    );
    expect(result.failures ?? []).toEqual([]);
  });

  it("refuses a principal that is not an object id before any call to Graph", async () => {
    const result = await provider.check!({}, declared({ principalId: "jane.doe@contoso.example" }));
    expect(result.failures?.[0]).toMatchObject({ property: "principalId" });
    expect(result.failures?.[0].reason).toContain('"jane.doe@contoso.example"');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("create", () => {
  it("assigns an active member assignment that PIM ends at the grant's expiry, and the user becomes a member", async () => {
    const inputs = declared();
    const { id, outs } = await provider.create!(inputs);
    const [request] = scheduleRequests();
    expect(request.body).toMatchObject({
      accessId: "member",
      action: "adminAssign",
      groupId: contractors,
      principalId: jane.id,
      justification: "Laptop replacement (CHG-1042, approved by Sam Lee)",
      scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: inputs.endDateTime } },
      ticketInfo: { ticketNumber: "CHG-1042", ticketSystem: "entra-tap" },
    });
    const schedule = emulator.pimSchedules.get(`${contractors}|${jane.id}`)!;
    expect(id).toBe(schedule.id);
    expect(outs).toMatchObject({ scheduleId: schedule.id, status: "assigned" });
    expect(jane.memberOf.has(contractors)).toBe(true);
  });

  it("reads before it assigns, and adopts a membership already there, giving it the grant's end", async () => {
    emulator.addPimSchedule({
      groupId: contractors,
      principalId: jane.id,
      startDateTime: new Date().toISOString(),
      endDateTime: new Date(Date.now() + 500 * hour).toISOString(),
    });
    const inputs = declared();
    await provider.create!(inputs);
    expect(scheduleRequests().map((r) => (r.body as { action: string }).action)).toEqual(["adminUpdate"]);
    expect(Date.parse(emulator.pimSchedules.get(`${contractors}|${jane.id}`)!.endDateTime)).toBe(
      Date.parse(inputs.endDateTime),
    );
  });

  it("does not repeat an assignment whose answer was lost once PIM shows it in place", async () => {
    emulator.injectFault({ method: "POST", path: pimScheduleRequestsPath, status: 503, afterHandling: true });
    const { outs } = await provider.create!(declared());
    expect(scheduleRequests()).toHaveLength(1);
    expect(outs).toMatchObject({ status: "assigned" });
    expect(emulator.pimSchedules.size).toBe(1);
  });

  it("sends the assignment again when the lost answer left nothing in PIM", async () => {
    emulator.injectFault({ method: "POST", path: pimScheduleRequestsPath, status: 503 });
    await provider.create!(declared());
    expect(scheduleRequests()).toHaveLength(2);
    expect(emulator.pimSchedules.size).toBe(1);
  });

  it("fails with PIM's answer when the group is unknown, and leaves nothing behind", async () => {
    await expect(
      provider.create!(declared({ groupId: "0f0e0d0c-0b0a-4909-8807-060504030201" })),
    ).rejects.toThrow(/HTTP 404/);
    expect(emulator.pimSchedules.size).toBe(0);
  });
});

describe("a user who is already a direct member of the group", () => {
  const directMemberReads = () =>
    emulator.requests.filter((r) => r.method === "GET" && r.path === `/v1.0/groups/${contractors}/members`);

  it("is refused before any request to PIM, naming the user, the group and what to do", async () => {
    emulator.addMember(contractors, jane.id);
    const refusal = provider.create!(declared());
    await expect(refusal).rejects.toThrow(
      new RegExp(`${jane.id} is already a direct member of group ${contractors}`),
    );
    await expect(refusal).rejects.toThrow(
      /[Rr]emove the direct membership.*or give the grant membership: direct/s,
    );
    expect(scheduleRequests()).toEqual([]);
    expect(emulator.pimSchedules.size).toBe(0);
  });

  it("keeps the direct membership, past the grant's end too", async () => {
    emulator.addMember(contractors, jane.id);
    const inputs = declared();
    await provider.create!(inputs).catch(() => undefined);
    // Past the grant's end, Entra has no assignment of entra-tap's to end, and so nothing takes the membership away.
    emulator.now = () => Date.parse(inputs.endDateTime) + hour;
    const later = await fetch(
      `${emulator.url}${pimSchedulesPath}?$filter=${encodeURIComponent(`groupId eq '${contractors}'`)}`,
      { headers: { authorization: `Bearer ${emulator.token}` } },
    );
    expect(later.status).toBe(200);
    expect(jane.memberOf.has(contractors)).toBe(true);
    expect(emulator.writes()).toEqual([]);
  });

  it("is asked for with Graph's documented read of direct members (an advanced query)", async () => {
    await provider.create!(declared());
    const [read] = directMemberReads();
    const query = new URLSearchParams(read.query);
    expect(query.get("$filter")).toBe(`id eq '${jane.id}'`);
    expect(query.get("$count")).toBe("true");
  });

  it("is not refused for a membership through a nested group (PIM never touches that one)", async () => {
    const nested = emulator.addGroup({ displayName: "Nested contractors" });
    emulator.nestGroup(contractors, nested.id);
    emulator.addMember(nested.id, jane.id);
    await provider.create!(declared());
    expect(scheduleRequests().map((r) => (r.body as { action: string }).action)).toEqual(["adminAssign"]);
    expect(jane.memberOf.has(nested.id)).toBe(true);
  });

  it("is not refused when the membership is PIM's own: an assignment already there is adopted", async () => {
    // A run whose answer was lost, or an assignment made by hand: PIM made the user a member.
    emulator.addPimSchedule({
      groupId: contractors,
      principalId: jane.id,
      startDateTime: new Date().toISOString(),
      endDateTime: new Date(Date.now() + 500 * hour).toISOString(),
    });
    expect(jane.memberOf.has(contractors)).toBe(true);
    const { outs } = await provider.create!(declared());
    expect(outs).toMatchObject({ status: "assigned" });
    expect(scheduleRequests().map((r) => (r.body as { action: string }).action)).toEqual(["adminUpdate"]);
  });

  it("is not refused on a retry after a lost answer: the first assignment is in PIM", async () => {
    emulator.injectFault({ method: "POST", path: pimScheduleRequestsPath, status: 504, afterHandling: true });
    const { outs } = await provider.create!(declared());
    expect(outs).toMatchObject({ status: "assigned" });
    expect(scheduleRequests()).toHaveLength(1);
    // The next run (the state lost the create, say) finds PIM's membership and adopts it.
    const again = await provider.create!(declared({ endDateTime: outs.endDateTime }));
    expect(again.id).toBe(outs.scheduleId);
    expect(scheduleRequests()).toHaveLength(1);
  });

  it("is refused when an ended membership would be assigned again and the user became a direct member meanwhile", async () => {
    const outs = await assigned();
    movePast(outs.endDateTime);
    const read = (await provider.read!(outs.scheduleId, outs)).props as PimGroupMembershipOutputs;
    emulator.addMember(contractors, jane.id);
    const extended = declared({ endDateTime: new Date(Date.now() + 24 * hour).toISOString() });
    await expect(provider.update!(outs.scheduleId, read, extended)).rejects.toThrow(
      new RegExp(`${jane.id} is already a direct member of group ${contractors}`),
    );
    expect(scheduleRequests()).toEqual([]);
    expect(jane.memberOf.has(contractors)).toBe(true);
  });
});

describe("read", () => {
  it("reads one schedule, filtered by group and principal as Graph requires, and shows no change", async () => {
    const outs = await assigned();
    const read = await provider.read!(outs.scheduleId, outs);
    expect(read).toEqual({ id: outs.scheduleId, props: { ...outs, endDateTime: outs.endDateTime } });
    const [request] = emulator.requests;
    expect(request.path).toBe(pimSchedulesPath);
    expect(new URLSearchParams(request.query).get("$filter")).toBe(
      `groupId eq '${contractors}' and principalId eq '${jane.id}'`,
    );
  });

  it("shows an end changed in PIM as drift", async () => {
    const outs = await assigned();
    const later = new Date(Date.now() + 300 * hour).toISOString();
    emulator.pimSchedules.get(`${contractors}|${jane.id}`)!.endDateTime = later;
    const read = await provider.read!(outs.scheduleId, outs);
    expect((read.props as PimGroupMembershipOutputs).endDateTime).toBe(later);
    const diff = await provider.diff!(
      outs.scheduleId,
      read.props as PimGroupMembershipOutputs,
      declared({ endDateTime: outs.endDateTime }),
    );
    expect(diff).toMatchObject({ changes: true, replaces: [] });
  });

  it("keeps a schedule that Entra removed after its end, marked ended, so it is never re-created", async () => {
    const outs = await assigned();
    movePast(outs.endDateTime);
    const read = await provider.read!(outs.scheduleId, outs);
    expect(emulator.pimSchedules.size).toBe(0);
    expect(read).toEqual({ id: outs.scheduleId, props: { ...outs, status: "ended" } });
    const diff = await provider.diff!(
      outs.scheduleId,
      read.props as PimGroupMembershipOutputs,
      declared({ endDateTime: outs.endDateTime }),
    );
    expect(diff).toEqual({ changes: false });
  });

  it("judges a schedule found gone by Entra's clock (the Date of Graph's answer), not this machine's", async () => {
    const outs = await assigned();
    // Entra's clock is past the end (it removed the schedule); this machine's is hours behind.
    const at = Date.parse(outs.endDateTime) + 60_000;
    emulator.now = () => at;
    const read = await provider.read!(outs.scheduleId, outs);
    expect(emulator.pimSchedules.size).toBe(0);
    expect(read).toEqual({ id: outs.scheduleId, props: { ...outs, status: "ended" } });
  });

  it("drops a schedule gone before its end by Entra's clock, however far ahead this machine's clock runs", async () => {
    const outs = await assigned();
    emulator.removePimAssignment(contractors, jane.id);
    // This machine's clock alone is past the end (the emulator shares this process: keep Entra's on the real one).
    emulator.now = () => realNow();
    Date.now = () => Date.parse(outs.endDateTime) + hour;
    expect(await provider.read!(outs.scheduleId, outs)).toEqual({});
  });

  it("judges by this machine's clock when Graph's answer carries no Date", async () => {
    const outs = await assigned();
    emulator.sendDateHeader = false;
    emulator.removePimAssignment(contractors, jane.id);
    emulator.now = () => realNow();
    Date.now = () => Date.parse(outs.endDateTime) + 60_000;
    const read = await provider.read!(outs.scheduleId, outs);
    expect(read).toEqual({ id: outs.scheduleId, props: { ...outs, status: "ended" } });
  });

  it("assigns an ended membership again when its grant is extended past now", async () => {
    const outs = await assigned();
    movePast(outs.endDateTime);
    const read = (await provider.read!(outs.scheduleId, outs)).props as PimGroupMembershipOutputs;
    const extended = declared({ endDateTime: new Date(Date.now() + 24 * hour).toISOString() });
    expect(await provider.diff!(outs.scheduleId, read, extended)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const updated = await provider.update!(outs.scheduleId, read, extended);
    expect(scheduleRequests().map((r) => (r.body as { action: string }).action)).toEqual(["adminAssign"]);
    expect(updated.outs).toMatchObject({ status: "assigned", endDateTime: extended.endDateTime });
  });

  it("drops a membership removed by hand before its end, so the next up assigns it again", async () => {
    const outs = await assigned();
    emulator.pimSchedules.clear();
    expect(await provider.read!(outs.scheduleId, outs)).toEqual({});
  });
});

describe("update", () => {
  it("moves the end with adminUpdate (a grant extended or shortened)", async () => {
    const olds = await assigned();
    const news = declared({ endDateTime: new Date(Date.now() + 6 * hour).toISOString() });
    const result = await provider.update!(olds.scheduleId, olds, news);
    expect(scheduleRequests().map((r) => (r.body as { action: string }).action)).toEqual(["adminUpdate"]);
    expect(result.outs).toMatchObject({ endDateTime: news.endDateTime, status: "assigned" });
    expect(Date.parse(emulator.pimSchedules.get(`${contractors}|${jane.id}`)!.endDateTime)).toBe(
      Date.parse(news.endDateTime),
    );
  });

  it("removes the membership now when the grant is ended early to a time already past", async () => {
    const olds = await assigned();
    const news = declared({ endDateTime: new Date(Date.now() - 60_000).toISOString() });
    const result = await provider.update!(olds.scheduleId, olds, news);
    expect(scheduleRequests().map((r) => (r.body as { action: string }).action)).toEqual(["adminRemove"]);
    expect(result.outs).toMatchObject({ status: "ended" });
    expect(jane.memberOf.has(contractors)).toBe(false);
  });
});

describe("delete", () => {
  it("removes a membership ended early (the grant removed before its end)", async () => {
    const outs = await assigned();
    await provider.delete!(outs.scheduleId, outs);
    expect(scheduleRequests().map((r) => (r.body as { action: string }).action)).toEqual(["adminRemove"]);
    expect(emulator.pimSchedules.size).toBe(0);
    expect(jane.memberOf.has(contractors)).toBe(false);
  });

  it("sends nothing to Graph for a schedule whose end has passed (Entra removed it)", async () => {
    const outs = await assigned();
    movePast(outs.endDateTime);
    await provider.delete!(outs.scheduleId, outs);
    expect(emulator.requests).toHaveLength(0);
  });

  it("sends nothing for a schedule read as ended", async () => {
    const outs = await assigned();
    await provider.delete!(outs.scheduleId, { ...outs, status: "ended" });
    expect(emulator.requests).toHaveLength(0);
  });

  it("is done when the membership was already removed by hand", async () => {
    const outs = await assigned();
    emulator.pimSchedules.clear();
    await provider.delete!(outs.scheduleId, outs);
    expect(scheduleRequests()).toHaveLength(0);
  });

  it("is done when Entra ended the schedule while the removal was on its way (PIM refuses, the read shows it gone)", async () => {
    const outs = await assigned({ endDateTime: new Date(Date.now() + 3_600_000).toISOString() });
    // The schedule is gone by the time PIM handles the removal, which it then refuses.
    emulator.injectFault({
      method: "POST",
      path: pimScheduleRequestsPath,
      status: 400,
      code: "RoleAssignmentDoesNotExist",
      afterHandling: true,
    });
    await provider.delete!(outs.scheduleId, outs);
    expect(scheduleRequests()).toHaveLength(1);
    expect(emulator.pimSchedules.size).toBe(0);
  });

  it("fails when PIM refuses a removal and the membership is still there", async () => {
    const outs = await assigned();
    emulator.injectFault({ method: "POST", path: pimScheduleRequestsPath, status: 403, code: "Forbidden" });
    await expect(provider.delete!(outs.scheduleId, outs)).rejects.toThrow(/adminRemove .* HTTP 403/);
    expect(emulator.pimSchedules.size).toBe(1);
  });

  it("does not repeat a removal whose answer was lost once PIM shows it gone", async () => {
    const outs = await assigned();
    emulator.injectFault({ method: "POST", path: pimScheduleRequestsPath, status: 504, afterHandling: true });
    await provider.delete!(outs.scheduleId, outs);
    expect(scheduleRequests()).toHaveLength(1);
    expect(emulator.pimSchedules.size).toBe(0);
  });
});

describe("a state written before the justification was the grant's record (PIM's text and a ticketNumber)", () => {
  const olderState = (outs: PimGroupMembershipOutputs) => {
    const { justification: _record, ...rest } = outs;
    return {
      ...rest,
      justification: "Laptop replacement (CHG-1042, approved by Sam Lee)",
      ticketNumber: "CHG-1042",
    } as unknown as PimGroupMembershipOutputs;
  };

  it("shows no change when the grant's justification reads the same", async () => {
    const outs = olderState(await assigned());
    expect(
      await provider.diff!(outs.scheduleId, outs, declared({ endDateTime: outs.endDateTime })),
    ).toMatchObject({
      changes: false,
    });
  });

  it("shows a change when the grant's reason changed", async () => {
    const outs = olderState(await assigned());
    const news = declared({
      endDateTime: outs.endDateTime,
      justification: { ...declared().justification, reason: "Laptop swap" },
    });
    expect(await provider.diff!(outs.scheduleId, outs, news)).toMatchObject({ changes: true });
  });

  it("is removed with its own text and ticket", async () => {
    const outs = olderState(await assigned());
    await provider.delete!(outs.scheduleId, outs);
    expect(scheduleRequests()[0].body).toMatchObject({
      action: "adminRemove",
      justification: "Laptop replacement (CHG-1042, approved by Sam Lee)",
    });
    expect(emulator.pimSchedules.size).toBe(0);
  });
});
