// The PIM for Groups membership provider's check and create over HTTP, and its refusal of a direct member.
import {
  type PimGroupMembershipOutputs,
  pimGroupMembershipLifecycle as provider,
} from "../../components/pimGroupMembership";
import {
  type EmulatedUser,
  GraphEmulator,
  pimScheduleRequestsPath,
  pimSchedulesPath,
} from "../support/graphEmulator";
import { contractorsGroupId as contractors } from "../support/fixtures";
import {
  assigned,
  declared,
  hour,
  movePast,
  scheduleRequests,
  usePimTenant,
} from "./pimGroupMembership.provider.support";

let emulator: GraphEmulator;
let jane: EmulatedUser;
usePimTenant((started, user) => {
  emulator = started;
  jane = user;
});

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
