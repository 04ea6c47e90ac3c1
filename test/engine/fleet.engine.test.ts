// A fleet under the real CLI: ten tenants' stacks in one backend, each tenant a Graph emulator of its own on loopback
// (its token names its tenant, and it answers 401 to any other's), all run by `npm run fleet` through the Automation
// API. The standard (Pulumi.yaml) changes; preview shows the change in every tenant, up applies it in every tenant;
// a tenant whose Graph fails is reported and the others finish; the same command again completes it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import type { GraphEmulator } from "../support/graphEmulator";
import { testRecipient } from "../support/handoverIdentities";
import { sandboxUsers } from "../support/sampleTenant";
import {
  removeFleetTenants,
  startFleetTenant,
  tenantStackFile,
  writeFleetPackConfig,
} from "./support/fleetTenants";
import {
  expectStatus,
  pulumiWorkspace,
  type PulumiWorkspace,
  repoDir,
  runProjectScript,
} from "./support/pulumiCli";

const tenants = 10;
const stacks = Array.from({ length: tenants }, (_, i) => `engine-fleet-${String(i + 1).padStart(2, "0")}`);
const projectFile = path.join(repoDir, "Pulumi.yaml");

let pulumi: PulumiWorkspace;
let envDir: string;
let packConfig: string;
let standard: string;
const emulators = new Map<string, GraphEmulator>();

interface FleetJson {
  tenants: {
    stack: string;
    tenantId?: string;
    status: string;
    changes?: Record<string, number>;
    error?: string;
    violations?: { mandatory: number; advisory: number; messages: string[] };
    ranIn: string;
    review?: Record<string, number>;
  }[];
  totals: {
    tenants: number;
    ok: number;
    attention: number;
    failed: number;
    ledger?: Record<string, number>;
  };
}

/** `npm run fleet -- <args> --json` over the test's stacks, each with its emulator's env file. */
async function fleet(args: string[]): Promise<{ status: number; report: FleetJson; stderr: string }> {
  const result = await runProjectScript(pulumi, "fleet.ts", [
    ...args,
    "--stacks",
    "engine-fleet-*",
    "--stack-env",
    path.join(envDir, "{stack}.env"),
    "--policy-config",
    packConfig,
    "--json",
  ]);
  if (!result.stdout.trim()) expectStatus(result, 0, `npm run fleet -- ${args.join(" ")}`);
  return { status: result.status, report: JSON.parse(result.stdout) as FleetJson, stderr: result.stderr };
}

const byStack = (report: FleetJson) => new Map(report.tenants.map((t) => [t.stack, t]));

beforeAll(async () => {
  standard = fs.readFileSync(projectFile, "utf8");
  pulumi = pulumiWorkspace({});
  envDir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-fleet-env-"));
  // The standard's pack config, but the audit trail advisory: it asks for monitoring, which needs azure-native.
  packConfig = path.join(envDir, "pack-config.json");
  writeFleetPackConfig(packConfig);
  const approver = await testRecipient("tom.becker@contoso.com");
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  for (const stack of stacks) {
    emulators.set(stack, await startFleetTenant(pulumi, stack, envDir, approver.key, minute));
  }
}, 5 * 60_000);

afterAll(async () => {
  if (standard !== undefined) fs.writeFileSync(projectFile, standard);
  removeFleetTenants(stacks);
  await Promise.all([...emulators.values()].map((emulator) => emulator.stop()));
  pulumi?.dispose();
  if (envDir) fs.rmSync(envDir, { recursive: true, force: true });
});

afterEach(() => {
  // Every request went to its own tenant's emulator: one sent with another tenant's token is answered 401.
  for (const [stack, emulator] of emulators) {
    expect({ stack, refused: emulator.answered.filter((a) => a.status === 401) }).toEqual({
      stack,
      refused: [],
    });
  }
});

describe("a fleet of ten tenants under the real CLI", () => {
  it("up makes the standard and each tenant's grant in every tenant", async () => {
    const { status, report } = await fleet(["up", "--concurrency", "4", "--restart"]);
    // 3: the audit trail's advisory (no monitoring here) is for a person to see in every tenant.
    expect(report.totals).toMatchObject({ tenants, attention: tenants, failed: 0 });
    expect(status).toBe(3);
    for (const [stack, emulator] of emulators) {
      expect(byStack(report).get(stack)).toMatchObject({ tenantId: emulator.tenantId, ranIn: "this run" });
      expect(emulator.policy).toMatchObject({ state: "enabled", maximumLifetimeInMinutes: 240 });
      expect(emulator.users.get(sandboxUsers.jane.id)!.tap).toBeDefined();
    }
  });

  it("a change to the standard previews in every tenant and changes none of them", async () => {
    const writesBefore = new Map([...emulators].map(([stack, e]) => [stack, e.writes().length]));
    fs.writeFileSync(
      projectFile,
      standard.replace("maximumLifetimeInMinutes: 240", "maximumLifetimeInMinutes: 120"),
    );
    expect(fs.readFileSync(projectFile, "utf8")).toContain("maximumLifetimeInMinutes: 120");

    const { status, report } = await fleet(["preview", "--concurrency", "4", "--restart"]);
    expect(report.totals).toMatchObject({ tenants, failed: 0 });
    expect(status).toBe(3);
    for (const [stack, emulator] of emulators) {
      // The policy, and nothing else: the grants' passes do not depend on the maximum.
      expect(byStack(report).get(stack)!.changes).toMatchObject({ update: 1 });
      expect(byStack(report).get(stack)!.changes).not.toHaveProperty("create");
      expect(emulator.writes()).toHaveLength(writesBefore.get(stack)!);
    }
  });

  it("up applies it in every tenant; a tenant whose Graph fails is reported, the others finish, and a re-run completes it", async () => {
    const failing = stacks[6];
    const broken = emulators.get(failing)!;
    // Graph is unavailable for the policy's update in that tenant, on every attempt (Retry-After 0: no wait).
    broken.injectFault({
      method: "PATCH",
      path: /authenticationMethodConfigurations/,
      status: 503,
      retryAfter: "0",
      times: 1000,
    });

    const first = await fleet(["up", "--concurrency", "4", "--restart"]);
    expect(first.status).toBe(1);
    expect(first.report.totals).toMatchObject({ tenants, failed: 1, attention: tenants - 1 });
    expect(byStack(first.report).get(failing)).toMatchObject({ status: "failed", ranIn: "this run" });
    expect(byStack(first.report).get(failing)!.error).toMatch(/503|ServiceUnavailable/);
    for (const [stack, emulator] of emulators) {
      expect({ stack, max: emulator.policy.maximumLifetimeInMinutes }).toEqual({
        stack,
        max: stack === failing ? 240 : 120,
      });
    }

    // Graph answers again; the same command runs only the tenant that did not finish.
    broken.clearFaults();
    const before = new Map([...emulators].map(([stack, e]) => [stack, e.requests.length]));
    const second = await fleet(["up", "--concurrency", "4"]);
    expect(second.status).toBe(3);
    expect(second.report.totals).toMatchObject({ tenants, failed: 0 });
    for (const [stack, emulator] of emulators) {
      const tenant = byStack(second.report).get(stack)!;
      expect({ stack, ranIn: tenant.ranIn }).toEqual({
        stack,
        ranIn: stack === failing ? "this run" : "an earlier run",
      });
      if (stack !== failing) expect(emulator.requests).toHaveLength(before.get(stack)!);
      expect(emulator.policy.maximumLifetimeInMinutes).toBe(120);
    }
  });

  it("review reconciles every pass in every tenant against its grants, and counts those nobody declared", async () => {
    const { status, report } = await fleet(["review", "--concurrency", "4", "--restart"]);
    // Each tenant: Jane's pass (her grant's) and Mallory's, which no grant or known issuer explains.
    expect(status).toBe(3);
    expect(report.totals).toMatchObject({
      tenants,
      attention: tenants,
      failed: 0,
      ledger: { passes: 2 * tenants, declared: tenants, knownIssuer: 0, undeclared: tenants },
    });
    for (const [stack, emulator] of emulators) {
      expect(byStack(report).get(stack)).toMatchObject({
        tenantId: emulator.tenantId,
        review: { passes: 2, declared: 1, undeclared: 1 },
      });
    }
  });

  it("a tenant's own policy replaces the standard's whole: what it leaves out is the default, and the pack refuses it in plan and preview alike", async () => {
    const own = stacks[9];
    const emulator = emulators.get(own)!;
    const writesBefore = emulator.writes().length;
    const document = parseDocument(fs.readFileSync(tenantStackFile(own), "utf8"));
    // Only the maximum: were Pulumi to merge it into the standard's, the length would stay the standard's 16.
    document.setIn(["config", "entra-tap:policy"], { maximumLifetimeInMinutes: 120 });
    fs.writeFileSync(tenantStackFile(own), document.toString());

    for (const command of ["plan", "preview"]) {
      const result = await runProjectScript(pulumi, "fleet.ts", [
        command,
        "--stacks",
        own,
        "--stack-env",
        path.join(envDir, "{stack}.env"),
        "--policy-config",
        packConfig,
        "--json",
        "--restart",
      ]);
      expect({ command, status: result.status }).toEqual({ command, status: 3 });
      const [tenant] = (JSON.parse(result.stdout) as FleetJson).tenants;
      expect({ command, status: tenant.status }).toEqual({ command, status: "attention" });
      expect(tenant.violations!.mandatory).toBeGreaterThan(0);
      expect(tenant.violations!.messages.join("\n")).toMatch(
        /defaultLength is 14; the organisation's minimum is 16/,
      );
    }
    expect(emulator.writes()).toHaveLength(writesBefore);
  });

  it("a stack given another tenant's Graph fails before it sends anything", async () => {
    const [own, other] = [stacks[0], stacks[1]];
    const otherEmulator = emulators.get(other)!;
    const requestsBefore = otherEmulator.requests.length;
    const crossed = path.join(envDir, "crossed-{stack}.env");
    fs.writeFileSync(
      crossed.replace("{stack}", own),
      Object.entries(otherEmulator.env())
        .map(([key, value]) => `${key}=${value}`)
        .join("\n"),
    );
    // The review reads Graph from its first step: the token it was given is the other tenant's.
    const result = await runProjectScript(pulumi, "fleet.ts", [
      "review",
      "--stacks",
      own,
      "--stack-env",
      crossed,
      "--json",
      "--restart",
    ]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as FleetJson;
    expect(report.tenants[0]).toMatchObject({ stack: own, status: "failed" });
    expect(report.tenants[0].error).toContain(otherEmulator.tenantId);
    expect(otherEmulator.requests).toHaveLength(requestsBefore);
  });
});
