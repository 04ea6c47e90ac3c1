// npm run fleet's parts: which stacks it runs, how a run is continued, the report and its ledger, the write budget,
// and the command over the dev stack (its own process, the offline plan) and over a stack that names no tenant.
import * as fs from "node:fs";
import * as path from "node:path";
import { writesOf } from "../../components/graph/writeBudget";
import { fleetStacks, runFleet } from "../../scripts/fleet";
import { openJournal, saveJournal } from "../../scripts/fleet/journal";
import { fleetReport, renderFleetMarkdown } from "../../scripts/fleet/report";
import type { TenantResult } from "../../scripts/fleet/result";
import { serveWriteBudget } from "../../scripts/fleet/writeBudget";
import { makeTempDir } from "../support/tempDirs";

const io = () => {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: (t: string) => void (out.stdout += t),
      stderr: (t: string) => void (out.stderr += t),
      env: process.env,
    },
  };
};

describe("fleetStacks", () => {
  it("lists the stack files' names that the glob matches, never the project file", () => {
    const dir = makeTempDir("entra-tap-fleet-");
    for (const f of [
      "Pulumi.yaml",
      "Pulumi.contoso-nl.yaml",
      "Pulumi.contoso-be.yaml",
      "Pulumi.fabrikam.yaml",
    ])
      fs.writeFileSync(path.join(dir, f), "config: {}\n");
    expect(fleetStacks(dir, "*")).toEqual(["contoso-be", "contoso-nl", "fabrikam"]);
    expect(fleetStacks(dir, "contoso-*")).toEqual(["contoso-be", "contoso-nl"]);
    expect(fleetStacks(dir, "nobody")).toEqual([]);
  });
});

const result = (
  stack: string,
  status: TenantResult["status"],
  extra: Partial<TenantResult> = {},
): TenantResult => ({
  stack,
  status,
  seconds: 1,
  ...extra,
});

describe("the journal", () => {
  it("continues an unfinished run, and starts afresh after a complete one or when told to", () => {
    const file = path.join(makeTempDir("entra-tap-fleet-"), ".fleet", "up.json");
    const now = new Date("2026-12-04T10:00:00Z");
    const first = openJournal(file, "up", ["a", "b"], false, now);
    first.finished.a = result("a", "ok");
    saveJournal(file, first);
    expect(openJournal(file, "up", ["a", "b"], false, new Date()).finished).toEqual({ a: result("a", "ok") });
    expect(openJournal(file, "up", ["a", "b"], true, now).finished).toEqual({});
    first.finished.b = result("b", "attention");
    saveJournal(file, first);
    expect(openJournal(file, "up", ["a", "b"], false, now).finished).toEqual({});
  });
});

describe("the report", () => {
  it("reconciles every tenant's passes in the ledger, per tenant and in total, and neutralises errors", () => {
    const ledger = (undeclared: number) => ({
      passes: 3 + undeclared,
      declared: 2,
      knownIssuer: 1,
      undeclared,
      endedGrantsLeft: 0,
      unexplainedMembers: 0,
    });
    const report = fleetReport("review", "2026-12-04T10:00:00Z", [
      { ...result("a", "ok", { review: ledger(0) }), ranIn: "this run" },
      { ...result("b", "attention", { review: ledger(2) }), ranIn: "an earlier run" },
      { ...result("c", "failed", { error: "Graph said \u202eevil|cell" }), ranIn: "this run" },
    ]);
    expect(report.totals).toMatchObject({ tenants: 3, ok: 1, attention: 1, failed: 1 });
    expect(report.totals.ledger).toMatchObject({ passes: 8, declared: 4, knownIssuer: 2, undeclared: 2 });
    const markdown = renderFleetMarkdown(report);
    expect(markdown).toContain("| in total |  | 8 | 4 | 2 | 2 | 0 | 0 |  |");
    expect(markdown).not.toContain("\u202e");
    expect(markdown).toContain("evil\\|cell");
  });
});

describe("the write budget", () => {
  it("counts a write per request, a batch by the writes it holds, and What If and reads as none", () => {
    const at = (p: string) => `https://graph.microsoft.com/v1.0${p}`;
    expect(writesOf({ method: "GET", url: at("/users"), body: undefined })).toBe(0);
    expect(writesOf({ method: "POST", url: at("/identity/conditionalAccess/evaluate"), body: "{}" })).toBe(0);
    expect(
      writesOf({
        method: "DELETE",
        url: at("/users/x/authentication/temporaryAccessPassMethods/y"),
        body: undefined,
      }),
    ).toBe(1);
    const batch = JSON.stringify({ requests: [{ method: "GET" }, { method: "DELETE" }, { method: "POST" }] });
    expect(writesOf({ method: "POST", url: at("/$batch"), body: batch })).toBe(2);
  });

  it("grants at most its writes per interval, across every caller", async () => {
    const budget = await serveWriteBudget(5, 1000);
    try {
      const take = (writes: number) => fetch(`${budget.url}/acquire?writes=${writes}`, { method: "POST" });
      expect((await take(3)).status).toBe(204);
      expect((await take(2)).status).toBe(204);
      // The sixth write waits for the next interval: still pending after the others were answered.
      let answered = false;
      const sixth = take(1).then(() => (answered = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(answered).toBe(false);
      expect(budget.grants.reduce((sum, g) => sum + g.writes, 0)).toBe(5);
      await sixth;
      expect(budget.grants.reduce((sum, g) => sum + g.writes, 0)).toBe(6);
      expect((await fetch(`${budget.url}/acquire?writes=0`, { method: "POST" })).status).toBe(400);
    } finally {
      await budget.close();
    }
  });
});

describe("npm run fleet", () => {
  it("refuses bad arguments and a glob no stack matches (exit 2)", async () => {
    const { io: first, out } = io();
    expect(await runFleet(["plan", "--concurrency", "0"], first)).toBe(2);
    expect(out.stderr).toContain('--concurrency "0": allowed: an integer from 1 to 64');
    const { io: second, out: out2 } = io();
    expect(await runFleet(["plan", "--stacks", "no-such-tenant-*"], second)).toBe(2);
    expect(out2.stderr).toContain('--stacks "no-such-tenant-*": no stack file matches');
    const { io: third, out: out3 } = io();
    expect(await runFleet(["plan", "--policy-config", "policies/config/lax.json"], third)).toBe(2);
    expect(out3.stderr).toContain(
      '--policy-config "policies/config/lax.json": allowed: a pack config file (no such file)',
    );
  });

  it("plans the dev stack in a process of its own, with the standard's pack config, and reports it", async () => {
    const { io: run, out } = io();
    const code = await runFleet(["plan", "--stacks", "dev", "--json", "--restart"], run);
    const report = JSON.parse(out.stdout);
    expect(report.tenants).toEqual([
      expect.objectContaining({
        stack: "dev",
        tenantId: "5b1f2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        status: "ok",
        changes: { declared: expect.any(Number) },
        ranIn: "this run",
      }),
    ]);
    expect(report.tenants[0].changes.declared).toBeGreaterThan(30);
    expect(code).toBe(0);
    expect(out.stderr).toContain("[1/1] dev: ok");
  }, 120_000);
});
