// `npm run review` in-process, against the Graph emulator over HTTP: states, scope, paging, batching under
// throttling, the output formats and exit statuses, and revocation with and without confirmation.
import { PassThrough } from "node:stream";
import { exitStatusSentence } from "../../../scripts/cli";
import { exitCodes, runReview } from "../../../scripts/review";
import type { Review } from "../../../scripts/review/classify";
import { revokePasses } from "../../../scripts/review/revoke";
import { graphClientFromEnvironment } from "../../../components/graph/client";
import { type EmulatedUser, GraphEmulator } from "../../support/graphEmulator";
import {
  sampleGrant,
  sampleGroups,
  sampleStackConfig,
  seedSamplePolicy,
  seedSampleTenant,
  writeStackFile,
} from "../../support/sampleTenant";

let emulator: GraphEmulator;
beforeAll(async () => {
  emulator = await GraphEmulator.start();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const hour = 3_600_000;
const day = 24 * hour;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  questions: string[];
}

async function review(
  args: string[],
  options: {
    config?: Record<string, unknown>;
    tty?: boolean;
    answer?: boolean;
    progressStream?: NodeJS.WritableStream;
  } = {},
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const file = options.config ? writeStackFile(options.config) : undefined;
  const code = await runReview([...(file ? ["--stack", "sample", "--config-file", file] : []), ...args], {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    stdinIsTTY: options.tty ?? false,
    confirm: async (question) => {
      questions.push(question);
      return options.answer ?? false;
    },
    env: emulator.env(),
    graphOptions: { retryDelayInMs: 10, maxRetries: 3 },
    progressStream: options.progressStream,
  });
  return { code, stdout: out.join(""), stderr: err.join(""), questions };
}

function json(run: Run): Review & { revocation?: { result?: { done: unknown[]; notDone: unknown[] } } } {
  return JSON.parse(run.stdout);
}

function userByUpn(upn: string): EmulatedUser {
  return [...emulator.users.values()].find((u) => u.userPrincipalName === upn)!;
}

describe("the review of the sample tenant", () => {
  let config: Record<string, unknown>;
  beforeEach(() => {
    config = seedSampleTenant(emulator);
  });

  it("gives every pass its state and the grant that explains it, and exits 3", async () => {
    const run = await review(["--json"], { config });
    expect(run.code).toBe(exitCodes.attention);
    const result = json(run);
    const byUser = Object.fromEntries(result.passes.map((p) => [p.user, p]));
    expect(byUser["jane.doe@contoso.com"]).toMatchObject({
      state: "usable",
      oneTime: true,
      explanation: {
        kind: "grant",
        grant: { name: "contractor-jane-doe", ticket: "CHG-20418", approvedBy: "tom.becker@contoso.com" },
      },
    });
    expect(byUser["sofia.rossi@contoso.com"]).toMatchObject({
      state: "not yet valid",
      explanation: { kind: "grant", grant: { name: "new-hire-sofia-rossi" } },
    });
    expect(byUser["li.wei@contoso.com"]).toMatchObject({ state: "used", explanation: { kind: "grant" } });
    expect(byUser["ahmed.khan@contoso.com"]).toMatchObject({
      state: "expired",
      explanation: { kind: "endedGrant", grant: { name: "support-ahmed-khan" } },
    });
    expect(byUser["mallory.miller@contoso.com"]).toMatchObject({
      state: "usable",
      oneTime: false,
      explanation: { kind: "undeclared" },
    });
    expect(byUser["admin.breakglass1@contoso.onmicrosoft.com"]).toMatchObject({
      excluded: true,
      explanation: { kind: "undeclared" },
    });
    expect(Object.keys(byUser)).not.toContain("alex.wilber@contoso.com");
    // Every declared grant, where it stands and how its membership is held.
    expect(result.grants.map(({ grant, state }) => [grant.name, state, grant.membership])).toEqual([
      ["contractor-jane-doe", "active", "direct"],
      ["new-hire-sofia-rossi", "upcoming", "pim"],
      ["support-li-wei", "active", "direct"],
      ["support-ahmed-khan", "ended", "direct"],
    ]);
    expect(result.endedGrants).toEqual([
      {
        grant: expect.objectContaining({ name: "support-ahmed-khan", ticket: "INC-7731" }),
        pass: "still there",
        membership: "still there",
        azureRoles: "not checked (needs Azure Resource Manager)",
      },
    ]);
    expect(result.unexplainedMembers.map((m) => [m.user, m.groups])).toEqual([
      ["mallory.miller@contoso.com", ["TAP - Contractors"]],
      ["omar.haddad@contoso.com", ["TAP - Support engineers"]],
    ]);
    // Read-only: nothing was changed.
    expect(emulator.writes()).toEqual([]);
  });

  it("shows passes disabled by policy when the policy is off", async () => {
    emulator.policy.state = "disabled";
    const result = json(await review(["--json"], { config }));
    expect(new Set(result.passes.map((p) => p.state))).toEqual(new Set(["disabled by policy"]));
  });

  it("prints tables for people, and never a passcode", async () => {
    const run = await review([], { config });
    expect(run.stdout).toContain('Temporary Access Pass review of stack "sample"');
    expect(run.stdout).toMatch(/│ jane\.doe@contoso\.com\s+│ usable\s+│/);
    expect(run.stdout).toMatch(/│ support-ahmed-khan\s+│ ahmed\.khan@contoso\.com\s+│/);
    expect(run.stdout).toMatch(
      /│ new-hire-sofia-rossi\s+│ sofia\.rossi@contoso\.com\s+│ upcoming\s+│.*│ PIM for Groups \(Entra ends it\)\s+│/,
    );
    expect(run.stdout).toMatch(
      /│ contractor-jane-doe\s+│ jane\.doe@contoso\.com\s+│ active\s+│.*│ direct \(pulumi up ends it\)/,
    );
    expect(run.stdout).toContain(
      "Needs attention: 2 passes no grant declares, 1 pass outlived its grant, 1 ended grant still in place, 2 members no grant explains.",
    );
    for (const user of emulator.users.values()) {
      if (user.tap) expect(run.stdout).not.toContain(user.tap.temporaryAccessPass);
    }
    expect(run.stderr).toBe("");
  });

  it("prints Markdown for a CI job summary, escaping what would break a table", async () => {
    const grants = config["entra-tap:grants"] as Record<string, unknown>[];
    grants[0].reason = "Migration | phase <2>";
    const run = await review(["--markdown"], { config });
    expect(run.code).toBe(exitCodes.attention);
    expect(run.stdout).toMatch(/^## Temporary Access Pass review of stack sample\n/);
    expect(run.stdout).toContain("**Needs attention:");
    expect(run.stdout).toContain("| jane.doe@contoso.com | usable |");
    expect(run.stdout).toContain("Migration \\| phase \\<2\\>");
  });

  it("prints CSV: one row per pass, ended grant and unexplained member, formulas kept as text", async () => {
    const grants = config["entra-tap:grants"] as Record<string, unknown>[];
    grants[0].reason = '=HYPERLINK("x")';
    const run = await review(["--csv"], { config });
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "kind,user,userId,state,start,end,oneTime,excluded,grant,reason,ticket,approvedBy,membership,finding,detail",
    );
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual([
      ...Array(4).fill("grant"),
      ...Array(6).fill("pass"),
      "ended-grant",
      "unexplained-member",
      "unexplained-member",
    ]);
    expect(lines.find((line) => line.includes("jane.doe@contoso.com"))).toContain(',"\'=HYPERLINK(""x"")",');
  });

  it("exits 0 when nothing needs attention", async () => {
    emulator.reset();
    seedSamplePolicy(emulator);
    const jane = emulator.addUser({ userPrincipalName: "jane.doe@contoso.com" });
    emulator.addMember(sampleGroups.contractors.id, jane.id);
    emulator.addPass(jane.id, { startDateTime: new Date().toISOString(), lifetimeInMinutes: 120 });
    const now = Date.now();
    const run = await review([], {
      config: sampleStackConfig([
        sampleGrant("jane", "jane.doe@contoso.com", "contractors", now - hour, now + day),
      ]),
    });
    expect(run.code).toBe(exitCodes.ok);
    expect(run.stdout).toContain("Nothing needs attention.");
  });
});

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
    const passReads = emulator.batchRequests.filter((r) => r.path.endsWith("/temporaryAccessPassMethods"));
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
    const reads = emulator.batchRequests.filter((r) => r.path.endsWith("/temporaryAccessPassMethods"));
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

describe("arguments", () => {
  it.each([
    [[], /required option '--stack <name>' not specified/],
    [["--stack", "dev", "--json", "--csv"], /option '--json' cannot be used with option '--csv'/],
    [["--stack", "dev", "--concurrency", "0"], /--concurrency "0": allowed: an integer from 1 to 16/],
    [
      ["--stack", "dev", "--revoke", "jane"],
      /--revoke "jane": allowed: a user principal name \(name@domain\) or an object id/,
    ],
    [["--stack", "../etc"], /--stack "..\/etc": not a stack name/],
    [["--stack", "dev", "--frobnicate"], /unknown option '--frobnicate'/],
    [["--stack", "nosuchstack"], /--stack nosuchstack: no stack config file .*Pulumi\.nosuchstack\.yaml/],
  ])("refuses %j with exit status 2 before any Graph call", async (args, message) => {
    const run = await review(args);
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(message);
    expect(emulator.requests).toEqual([]);
  });

  it("refuses an invalid stack config, naming each problem", async () => {
    const config = sampleStackConfig([]);
    (config["entra-tap:policy"] as Record<string, unknown>).defaultLength = 99;
    const run = await review([], { config });
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(/entra-tap:policy\.defaultLength: 99 is not allowed/);
    expect(emulator.requests).toEqual([]);
  });

  it("documents every flag in --help", async () => {
    const run = await review(["--help"]);
    expect(run.code).toBe(exitCodes.ok);
    for (const flag of [
      "--stack",
      "--config-file",
      "--json",
      "--csv",
      "--markdown",
      "--full-scan",
      "--concurrency",
      "--revoke-ended",
      "--revoke-undeclared",
      "--revoke <user>",
      "--yes",
      "--help",
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout.replace(/\s+/g, " ")).toContain(exitStatusSentence("review"));
  });
});

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
    const graph = graphClientFromEnvironment("global", emulator.env());
    const result = await revokePasses(graph, [
      { userId: ahmed.id, user: ahmed.userPrincipalName, methodId: listed, state: "expired", why: "test" },
    ]);
    expect(result.done).toEqual([expect.objectContaining({ sessions: "revoked", pass: "already gone" })]);
    expect(ahmed.tap?.id).toBe(replacement.id);
  });
});
