// `npm run review`'s revocation: what each flag revokes, confirmation, and failures a re-run finishes.
import { exitCodes } from "../../../scripts/review";
import { revokePasses } from "../../../scripts/review/revoke";
import { graphClientFromEnvironment } from "../../../components/graph/client";
import { GraphEmulator } from "../../support/graphEmulator";
import { seedSampleTenant } from "../../support/sampleTenant";
import { json, review, useReviewEmulator, userByUpn } from "./review.support";

let emulator: GraphEmulator;
useReviewEmulator((started) => (emulator = started));

describe("revocation", () => {
  let config: Record<string, unknown>;
  beforeEach(() => {
    config = seedSampleTenant(emulator);
  });
  const passOf = (upn: string) => userByUpn(upn).tap;
  const revokedUsers = () =>
    [...emulator.users.values()]
      .filter((u) => u.sessionsRevokedAt)
      .map((u) => u.userPrincipalName)
      .sort();

  it("--revoke-undeclared revokes the sessions and deletes the passes no grant declares, and nothing else", async () => {
    const run = await review(["--revoke-undeclared", "--yes"], { config });
    expect(run.stdout).toMatch(
      /Revocation: 2 passes\n {2}admin\.breakglass1@contoso\.onmicrosoft\.com: revoke sign-in sessions, then delete pass/,
    );
    expect(run.stdout).toContain(
      "Revoked (2):\n  admin.breakglass1@contoso.onmicrosoft.com: sessions revoked, pass deleted",
    );
    expect(passOf("mallory.miller@contoso.com")).toBeUndefined();
    expect(passOf("admin.breakglass1@contoso.onmicrosoft.com")).toBeUndefined();
    expect(revokedUsers()).toEqual([
      "admin.breakglass1@contoso.onmicrosoft.com",
      "mallory.miller@contoso.com",
    ]);
    for (const upn of [
      "jane.doe@contoso.com",
      "ahmed.khan@contoso.com",
      "li.wei@contoso.com",
      "sofia.rossi@contoso.com",
    ]) {
      expect(passOf(upn)).toBeDefined();
    }
    // Memberships and the ended grant are still there: it still needs attention.
    expect(run.code).toBe(exitCodes.attention);
  });

  it.each(["--revoke-ended", "--revoke-expired"])(
    "%s revokes only the passes of ended grants",
    async (flag) => {
      const run = await review([flag, "--yes"], { config });
      expect(run.stdout).toMatch(
        /ahmed\.khan@contoso\.com: revoke sign-in sessions, then delete pass .* \(expired; grant support-ahmed-khan ended/,
      );
      expect(passOf("ahmed.khan@contoso.com")).toBeUndefined();
      expect(revokedUsers()).toEqual(["ahmed.khan@contoso.com"]);
      expect(emulator.writes()).toHaveLength(2);
    },
  );

  it("--revoke <user> revokes that user's pass, even a declared one, by name or object id", async () => {
    const li = userByUpn("li.wei@contoso.com");
    const run = await review(["--revoke", "JANE.DOE@contoso.com", "--revoke", li.id, "--yes"], { config });
    expect(run.stdout).toContain("jane.doe@contoso.com: sessions revoked, pass deleted");
    expect(revokedUsers()).toEqual(["jane.doe@contoso.com", "li.wei@contoso.com"]);
    expect(emulator.writes()).toHaveLength(4);
  });

  it("--revoke of a user holding no pass does nothing, and says so", async () => {
    const run = await review(["--revoke", "omar.haddad@contoso.com", "--yes"], { config });
    expect(run.stdout).toContain("--revoke omar.haddad@contoso.com: holds no pass in this review");
    expect(run.stdout).toContain("Nothing to revoke.");
    expect(emulator.writes()).toEqual([]);
  });

  it("asks first on a terminal, and does nothing when the answer is no", async () => {
    const run = await review(["--revoke-undeclared"], { config, tty: true, answer: false });
    expect(run.questions).toEqual(["Revoke these 2 passes? [y/N] "]);
    expect(run.stdout).toContain("Nothing was revoked.");
    expect(emulator.writes()).toEqual([]);
    expect(run.code).toBe(exitCodes.attention);
  });

  it("revokes after a yes on the terminal", async () => {
    const run = await review(["--revoke-ended"], { config, tty: true, answer: true });
    expect(run.questions).toEqual(["Revoke this pass? [y/N] "]);
    expect(passOf("ahmed.khan@contoso.com")).toBeUndefined();
  });

  it("refuses without a terminal and without --yes, touching nothing", async () => {
    const run = await review(["--revoke-undeclared"], { config, tty: false });
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stderr).toContain("Refusing to revoke: no terminal to confirm on. Run again with --yes");
    expect(run.questions).toEqual([]);
    expect(emulator.writes()).toEqual([]);
  });

  it("with --json, prints one JSON document with what was planned and done; the rest goes to stderr", async () => {
    const run = await review(["--revoke-ended", "--yes", "--json"], { config });
    const result = json(run);
    expect(result.revocation?.result?.done).toEqual([
      expect.objectContaining({
        target: expect.objectContaining({ user: "ahmed.khan@contoso.com" }),
        pass: "deleted",
      }),
    ]);
    expect(run.stderr).toContain("Revoked (1):");
  });

  it("reports what was and was not revoked when it fails half-way, exits 1, and a re-run finishes the job", async () => {
    const mallory = userByUpn("mallory.miller@contoso.com");
    emulator.injectFault({
      method: "DELETE",
      path: new RegExp(`/users/${mallory.id}/authentication/`),
      status: 500,
      // The first attempt and the client's 3 retries: the next run's DELETE goes through.
      times: 4,
    });
    const first = await review(["--revoke-undeclared", "--revoke-ended", "--yes"], { config });
    expect(first.code).toBe(exitCodes.failed);
    expect(first.stdout).toContain("Revoked (2):");
    expect(first.stdout).toMatch(
      /Not revoked \(1\):\n {2}mallory\.miller@contoso\.com: sessions revoked, pass not done \(Delete the Temporary Access Pass of mallory\.miller@contoso\.com failed: HTTP 500/,
    );
    expect(first.stdout).toContain("Run the same command again to finish");
    expect(passOf("mallory.miller@contoso.com")).toBeDefined();
    expect(passOf("ahmed.khan@contoso.com")).toBeUndefined();

    emulator.requests.length = 0;
    const second = await review(["--revoke-undeclared", "--revoke-ended", "--yes"], { config });
    expect(second.stdout).toMatch(/Revocation: 1 pass\n {2}mallory\.miller@contoso\.com/);
    expect(second.stdout).toContain(
      "Revoked (1):\n  mallory.miller@contoso.com: sessions revoked, pass deleted",
    );
    expect(passOf("mallory.miller@contoso.com")).toBeUndefined();
    // Only the pass left over was touched the second time.
    expect(emulator.writes().map((r) => r.path.split("/")[3])).toEqual([mallory.id, mallory.id]);
    expect(second.code).toBe(exitCodes.attention);

    const third = await review(["--revoke-undeclared", "--revoke-ended", "--yes"], { config });
    expect(third.stdout).toContain("Nothing to revoke.");
  });

  it("leaves the pass when the sessions cannot be revoked, so a re-run does both", async () => {
    emulator.injectFault({
      method: "POST",
      path: /revokeSignInSessions/,
      status: 403,
      code: "Authorization_RequestDenied",
    });
    const first = await review(["--revoke-ended", "--yes"], { config });
    expect(first.code).toBe(exitCodes.failed);
    expect(first.stdout).toMatch(/ahmed\.khan@contoso\.com: sessions not done, pass not done \(.*HTTP 403/);
    expect(passOf("ahmed.khan@contoso.com")).toBeDefined();
    const second = await review(["--revoke-ended", "--yes"], { config });
    expect(second.stdout).toContain("ahmed.khan@contoso.com: sessions revoked, pass deleted");
  });

  it("counts a pass whose deletion answer was lost as deleted: the retry finds it gone", async () => {
    emulator.injectFault({ method: "DELETE", status: 502, afterHandling: true });
    const run = await review(["--revoke-ended", "--yes"], { config });
    expect(run.stdout).toContain("ahmed.khan@contoso.com: sessions revoked, pass already gone");
    expect(passOf("ahmed.khan@contoso.com")).toBeUndefined();
  });

  it("does not touch a pass that replaced the listed one since the review", async () => {
    const ahmed = userByUpn("ahmed.khan@contoso.com");
    const listed = ahmed.tap!.id;
    // Someone issued a new pass after the review read the old one: the old id is gone, the new pass stays.
    const replacement = emulator.addPass(ahmed.id, {
      startDateTime: new Date().toISOString(),
      lifetimeInMinutes: 60,
    });
    const graph = graphClientFromEnvironment({ cloud: "global" }, emulator.env());
    const result = await revokePasses(graph, [
      {
        userId: ahmed.id,
        user: ahmed.userPrincipalName,
        methodId: listed,
        state: "expired",
        why: "test",
        endSessions: true,
      },
    ]);
    expect(result.done).toEqual([expect.objectContaining({ sessions: "revoked", pass: "already gone" })]);
    expect(ahmed.tap?.id).toBe(replacement.id);
  });
});
