// PIM for Groups memberships under the real engine: assigned by `pulumi up`, left alone once Entra has ended and
// removed them (never asked to be removed, never re-created, with or without --refresh), removed when ended early.
//
// No step waits for the real clock: each membership ends hours after the test starts (so the provider's check, which
// judges by this machine's clock, passes however slow the machine), and the test moves time past the short one's end
// for Entra (the emulator's clock, which its answers carry in their Date header) and for the program
// (`entra-tap-engine:now`).
import * as fs from "node:fs";
import * as path from "node:path";
import { contractorsGroupId as contractors } from "../support/fixtures";
import { GraphEmulator, pimScheduleRequestsPath } from "../support/graphEmulator";
import { expectStatus, programDir, pulumiWorkspace, type PulumiWorkspace } from "./support/pulumiCli";

const stack = "pim";

let emulator: GraphEmulator;
let pulumi: PulumiWorkspace;
let shortId: string;
let longId: string;
/** The short membership's end: the suite moves Entra's clock past it to see Entra end it. */
let shortEnd: number;
const hour = 3_600_000;

function membership(name: string, principalId: string, end: number) {
  return { name, groupId: contractors, principalId, endDateTime: new Date(end).toISOString() };
}

async function setMemberships(value: unknown[]): Promise<void> {
  expectStatus(
    await pulumi.run(["config", "set", "--stack", stack, "pimMemberships", JSON.stringify(value)]),
    0,
    "config set pimMemberships",
  );
}

const scheduleRequests = () =>
  emulator.requests.filter((r) => r.method === "POST" && r.path === pimScheduleRequestsPath);

beforeAll(async () => {
  emulator = await GraphEmulator.start();
  emulator.addGroup({ id: contractors, displayName: "TAP - Contractors" });
  shortId = emulator.addUser({ userPrincipalName: "short@contoso.example" }).id;
  longId = emulator.addUser({ userPrincipalName: "long@contoso.example" }).id;
  emulator.policy = { ...emulator.policy, state: "enabled" };
  pulumi = pulumiWorkspace(emulator.env());
  expectStatus(await pulumi.run(["stack", "init", stack]), 0, "stack init");
  for (const [key, value] of Object.entries({
    policy: { state: "enabled", onDestroy: "retain" },
    includeTargets: [{ id: contractors, isRegistrationRequired: false }],
    excludeTargets: [],
  })) {
    expectStatus(
      await pulumi.run(["config", "set", "--stack", stack, key, JSON.stringify(value)]),
      0,
      `config set ${key}`,
    );
  }
});

afterAll(async () => {
  await emulator?.stop();
  pulumi?.dispose();
  fs.rmSync(path.join(programDir, `Pulumi.${stack}.yaml`), { force: true });
});

describe("PIM for Groups memberships under the real engine", () => {
  it("pulumi up assigns each membership until its end", async () => {
    shortEnd = Date.now() + 2 * hour;
    await setMemberships([
      membership("short", shortId, shortEnd),
      membership("long", longId, Date.now() + 48 * hour),
    ]);
    expectStatus(await pulumi.run(["up", "--yes", "--stack", stack]), 0, "pulumi up");
    expect(emulator.pimSchedules.size).toBe(2);
    expect(Date.parse(emulator.pimSchedules.get(`${contractors}|${shortId}`)!.endDateTime)).toBe(shortEnd);
  });

  it("once Entra has ended one, refresh keeps it as ended and up drops it, with no request to PIM", async () => {
    // A minute past the short membership's end, for Entra (its clock runs on from there) and for the program.
    const movedAt = Date.now();
    const entraNow = shortEnd + 60_000;
    emulator.now = () => entraNow + (Date.now() - movedAt);
    expectStatus(
      await pulumi.run(["config", "set", "--stack", stack, "now", new Date(entraNow).toISOString()]),
      0,
      "config set now",
    );
    emulator.requests.length = 0;

    expectStatus(await pulumi.run(["refresh", "--yes", "--stack", stack]), 0, "pulumi refresh after the end");
    // Entra removed it at its end.
    expect(emulator.pimSchedules.has(`${contractors}|${shortId}`)).toBe(false);
    const state = JSON.parse((await pulumi.run(["stack", "export", "--stack", stack])).stdout) as {
      deployment: { resources: { urn: string; outputs?: { status?: string } }[] };
    };
    const short = state.deployment.resources.find((r) => r.urn.endsWith("::short-pim-membership"));
    expect(short?.outputs?.status).toBe("ended");

    const up = await pulumi.run(["up", "--yes", "--stack", stack]);
    expectStatus(up, 0, "pulumi up after the end");
    expect(up.stdout).toMatch(/1 deleted/);
    // Neither asked to remove it (what breaks other tools) nor assigned again.
    expect(scheduleRequests()).toEqual([]);
    expectStatus(
      await pulumi.run(["preview", "--expect-no-changes", "--refresh", "--stack", stack]),
      0,
      "preview --refresh --expect-no-changes after the end",
    );
    expect(emulator.pimSchedules.has(`${contractors}|${longId}`)).toBe(true);
  });

  it("drops a membership removed by hand before its end at refresh, and up assigns it again", async () => {
    // In PIM, by an administrator: the assignment and the membership it gave are gone.
    emulator.removePimAssignment(contractors, longId);
    emulator.requests.length = 0;
    expectStatus(
      await pulumi.run(["refresh", "--yes", "--stack", stack]),
      0,
      "pulumi refresh (removed by hand)",
    );
    expect(scheduleRequests()).toEqual([]);
    expectStatus(await pulumi.run(["up", "--yes", "--stack", stack]), 0, "pulumi up (assign again)");
    expect(scheduleRequests().map((r) => (r.body as { action: string }).action)).toEqual(["adminAssign"]);
    expect(emulator.pimSchedules.has(`${contractors}|${longId}`)).toBe(true);
  });

  it("removes a membership ended early (taken out of the config before its end)", async () => {
    await setMemberships([]);
    emulator.requests.length = 0;
    expectStatus(await pulumi.run(["up", "--yes", "--stack", stack]), 0, "pulumi up (ended early)");
    expect(scheduleRequests().map((r) => (r.body as { action: string }).action)).toEqual(["adminRemove"]);
    expect(emulator.pimSchedules.size).toBe(0);
  });
});
