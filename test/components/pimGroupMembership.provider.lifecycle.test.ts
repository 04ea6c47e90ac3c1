// The PIM membership provider's read, update and delete: an ended schedule never re-created nor asked to be removed.
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
  realNow,
  scheduleRequests,
  usePimTenant,
} from "./pimGroupMembership.provider.support";

let emulator: GraphEmulator;
let jane: EmulatedUser;
usePimTenant((started, user) => {
  emulator = started;
  jane = user;
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
