// `npm run review`'s scope: large groups in pages and batches, nested groups, throttling, all_users.
import { PassThrough } from "node:stream";
import { exitCodes } from "../../../scripts/review";
import { type EmulatedUser, GraphEmulator } from "../../support/graphEmulator";
import { sampleGroups, sampleStackConfig, seedSamplePolicy } from "../../support/sampleTenant";
import { hour, json, review, useReviewEmulator } from "./review.support";

let emulator: GraphEmulator;
useReviewEmulator((started) => (emulator = started));

describe("scope", () => {
  beforeEach(() => seedSamplePolicy(emulator));

  it("reads a large group's members a page of 999 at a time, and their passes 20 to a batch", async () => {
    const members = 2_500;
    for (let i = 0; i < members; i++) {
      emulator.addMember(
        sampleGroups.contractors.id,
        emulator.addUser({ userPrincipalName: `member${i}@contoso.com` }).id,
      );
    }
    const run = await review(["--json"], { config: sampleStackConfig([]) });
    const result = json(run);
    expect(result.unexplainedMembers).toHaveLength(members);
    expect(result.scope.usersRead).toBe(members);
    const memberPages = emulator.requests.filter((r) => r.path.includes("/transitiveMembers/"));
    expect(memberPages.filter((r) => r.path.includes(sampleGroups.contractors.id))).toHaveLength(3);
    const passReads = emulator.batchRequests.filter((r) => r.path.endsWith("/authentication/methods"));
    expect(passReads).toHaveLength(members);
    const batches = emulator.requests.filter((r) => r.path === "/v1.0/$batch");
    // The groups' names and the stack's groups by name (one batch each), then ceil(2500 / 20) for the passes.
    expect(batches).toHaveLength(2 + Math.ceil(members / 20));
  });

  it("shows a progress bar on a terminal for a long scan, and nothing otherwise", async () => {
    for (let i = 0; i < 250; i++) {
      emulator.addMember(
        sampleGroups.contractors.id,
        emulator.addUser({ userPrincipalName: `member${i}@contoso.com` }).id,
      );
    }
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    const drawn: string[] = [];
    terminal.on("data", (chunk: Buffer) => drawn.push(chunk.toString()));
    const long = await review(["--json"], { config: sampleStackConfig([]), progressStream: terminal });
    expect(drawn.join("")).toMatch(/Reading passes \[.*\] \d+\/250 users/);
    expect(long.stderr).toBe("");
    const quiet = await review(["--json"], { config: sampleStackConfig([]) });
    expect(quiet.stderr).toBe("");
  });

  it("counts members of nested groups as members", async () => {
    const vendors = emulator.addGroup({ displayName: "Vendors" });
    emulator.nestGroup(sampleGroups.contractors.id, vendors.id);
    emulator.addMember(vendors.id, emulator.addUser({ userPrincipalName: "nested@contoso.com" }).id);
    const result = json(await review(["--json"], { config: sampleStackConfig([]) }));
    expect(result.unexplainedMembers).toEqual([
      expect.objectContaining({ user: "nested@contoso.com", groups: ["TAP - Contractors"] }),
    ]);
  });

  it("finishes under throttling: 429s inside batch answers are retried after their own Retry-After", async () => {
    for (let i = 0; i < 120; i++) {
      const user = emulator.addUser({ userPrincipalName: `member${i}@contoso.com` });
      emulator.addMember(sampleGroups.support.id, user.id);
      if (i % 10 === 0)
        emulator.addPass(user.id, { startDateTime: new Date().toISOString(), lifetimeInMinutes: 60 });
    }
    emulator.throttle = { limit: 60, windowMs: 1_000 };
    const started = Date.now();
    const run = await review(["--json"], { config: sampleStackConfig([]) });
    expect(run.code).toBe(exitCodes.attention);
    const result = json(run);
    expect(result.passes).toHaveLength(12);
    expect(result.unexplainedMembers).toHaveLength(120);
    // Some reads were throttled and sent again; waiting for the window to end took at least a second.
    const reads = emulator.batchRequests.filter((r) => r.path.endsWith("/authentication/methods"));
    expect(reads.length).toBeGreaterThan(120);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  describe("all_users", () => {
    let outsider: EmulatedUser;
    beforeEach(() => {
      emulator.policy.includeTargets = [
        { id: "all_users", targetType: "group", isRegistrationRequired: false },
      ];
      outsider = emulator.addUser({ userPrincipalName: "outsider@contoso.com" });
      emulator.addPass(outsider.id, {
        startDateTime: new Date(Date.now() - hour).toISOString(),
        lifetimeInMinutes: 120,
      });
      for (let i = 0; i < 30; i++) emulator.addUser({ userPrincipalName: `nopass${i}@contoso.com` });
    });

    it("finds pass holders in the registration report and reads only theirs", async () => {
      const run = await review(["--json"], { config: sampleStackConfig([]) });
      const result = json(run);
      expect(result.scope.holders).toBe("registrationReport");
      expect(result.passes.map((p) => p.user)).toEqual(["outsider@contoso.com"]);
      expect(result.scope.usersRead).toBe(1);
      expect(result.notes).toContainEqual(
        expect.stringMatching(/1 pass holders from the registration report/),
      );
      expect(emulator.requests.some((r) => r.path.endsWith("/userRegistrationDetails"))).toBe(true);
    });

    it("misses a pass the report does not show yet; --full-scan reads every user and finds it", async () => {
      emulator.registrationReportLagMs = 3 * hour;
      expect(json(await review(["--json"], { config: sampleStackConfig([]) })).passes).toEqual([]);
      const full = json(await review(["--json", "--full-scan"], { config: sampleStackConfig([]) }));
      expect(full.scope.holders).toBe("fullScan");
      expect(full.scope.usersRead).toBe(31);
      expect(full.passes.map((p) => p.user)).toEqual(["outsider@contoso.com"]);
    });

    it("says what the report needs when Graph refuses it", async () => {
      emulator.injectFault({
        path: /userRegistrationDetails/,
        status: 403,
        code: "Authorization_RequestDenied",
      });
      const run = await review([], { config: sampleStackConfig([]) });
      expect(run.code).toBe(exitCodes.failed);
      expect(run.stderr).toMatch(
        /HTTP 403 Authorization_RequestDenied.*needs AuditLog\.Read\.All.*--full-scan/,
      );
    });
  });
});
