// `npm run export` against the Graph emulator over HTTP, and the round trip: export a tenant, plan the exported stack,
// and find no difference between the declared TAP policy and the live one.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackConfig } from "../../config";
import { tapPolicySettingKeys, type TapPolicySettings } from "../../components/tapPolicySettings";
import { tapPolicySettingsFromGraph } from "../../components/graph/tapPolicy";
import {
  changedTapPolicySettings,
  temporaryAccessPassPolicyType,
} from "../../components/temporaryAccessPassPolicyConfiguration";
import { exportExitCodes, runExport } from "../../scripts/export";
import { readStackFile } from "../../scripts/stackFile";
import { GraphEmulator } from "../support/graphEmulator";
import { sampleGroups, seedSamplePolicy } from "../support/sampleTenant";
import { makeTempDir } from "../support/tempDirs";

const projectDir = path.resolve(__dirname, "../..");
const tsxCli = require.resolve("tsx/cli");

let emulator: GraphEmulator;
beforeAll(async () => {
  emulator = await GraphEmulator.start();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  seedSamplePolicy(emulator);
});

function target(stack = "adopted"): string {
  return path.join(makeTempDir("entra-tap-export-"), `Pulumi.${stack}.yaml`);
}

async function exportStack(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runExport(args, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: emulator.env(),
    graphOptions: { retryDelayInMs: 10, maxRetries: 2 },
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

/** The live policy as the providers read it. */
function live(): TapPolicySettings {
  return tapPolicySettingsFromGraph(structuredClone(emulator.policy));
}

function plan(file: string) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [tsxCli, "scripts/plan.ts", "--stack", "adopted", "--config-file", file, "--json"],
      { cwd: projectDir, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("npm run export", () => {
  it("writes a stack that declares the live policy exactly, naming each group in a comment", async () => {
    emulator.policy = {
      ...emulator.policy,
      defaultLifetimeInMinutes: 90,
      minimumLifetimeInMinutes: 30,
      maximumLifetimeInMinutes: 720,
      defaultLength: 12,
      isUsableOnce: false,
    };
    const file = target();
    const run = await exportStack(["--stack", "adopted", "--config-file", file]);
    expect(run.code).toBe(exportExitCodes.ok);
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain(`- id: ${sampleGroups.contractors.id} # TAP - Contractors`);
    expect(text).toContain(`- id: ${sampleGroups.breakGlass.id} # Break-glass accounts`);
    expect(text).toContain("onDestroy: restore");
    const config = parseStackConfig(readStackFile(file, "entra-tap").config);
    expect(changedTapPolicySettings(live(), config.policy)).toEqual([]);
    expect(config.policy.includeTargets).toContainEqual({
      id: sampleGroups.onboarding.id,
      isRegistrationRequired: true,
    });
    // Only reads.
    expect(emulator.writes()).toEqual([]);
  });

  it("writes what the policy pack flags into the file and prints it", async () => {
    emulator.policy.isUsableOnce = false;
    emulator.policy.defaultLength = 8;
    const file = target();
    const run = await exportStack(["--stack", "adopted", "--config-file", file]);
    expect(run.stdout).toMatch(/The policy pack flags:\n[^]*tap-policy-one-time-use/);
    const text = fs.readFileSync(file, "utf8");
    expect(text).toMatch(/^# What the policy pack flags in this policy/m);
    expect(text).toMatch(/^# {3}\[\w+\] tap-policy-one-time-use: /m);
    expect(text).toMatch(/^# {3}\[\w+\] tap-policy-minimum-length: /m);
  });

  it("says what the plan will say next: how many mandatory findings it refuses, and what to do", async () => {
    emulator.policy.isUsableOnce = false;
    emulator.policy.defaultLength = 8;
    const file = target();
    const run = await exportStack(["--stack", "adopted", "--config-file", file]);
    const next = run.stdout.trimEnd().split("\n").at(-1)!;
    const stated = Number(/exits 1 while the (\d+) mandatory findings? above stand/.exec(next)?.[1]);
    expect(next).toMatch(/Fix them in the file, in a reviewed change/);
    const planned = await plan(file);
    expect(planned.status).toBe(1);
    const mandatory = (
      JSON.parse(planned.stdout) as { violations: { enforcementLevel: string }[] }
    ).violations.filter((v) => v.enforcementLevel === "mandatory");
    expect(stated).toBe(mandatory.length);
  });

  it("round trip: the exported stack's offline plan declares the live policy, with no difference", async () => {
    emulator.policy.includeTargets.push({
      id: "all_users",
      targetType: "group",
      isRegistrationRequired: false,
    });
    const file = target();
    expect((await exportStack(["--stack", "adopted", "--config-file", file])).code).toBe(0);
    const planned = await plan(file);
    // The pack's mandatory audit-trail rule fails an exported stack without monitoring (exit 1); the plan is there.
    expect([0, 1]).toContain(planned.status);
    const output = JSON.parse(planned.stdout) as {
      resources: { type: string; inputs: Record<string, unknown> }[];
    };
    const policy = output.resources.find((r) => r.type === temporaryAccessPassPolicyType)!;
    const declared = Object.fromEntries(tapPolicySettingKeys.map((key) => [key, policy.inputs[key]]));
    expect(changedTapPolicySettings(live(), declared as Partial<TapPolicySettings>)).toEqual([]);
    expect(policy.inputs.onDestroy).toBe("restore");
  });

  it("refuses to overwrite an existing file without --force, before any Graph call", async () => {
    const file = target();
    fs.writeFileSync(file, "config: {}\n");
    const run = await exportStack(["--stack", "adopted", "--config-file", file]);
    expect(run.code).toBe(exportExitCodes.usage);
    expect(run.stderr).toContain("exists: not overwritten. Pass --force");
    expect(fs.readFileSync(file, "utf8")).toBe("config: {}\n");
    expect(emulator.requests).toEqual([]);
    expect((await exportStack(["--stack", "adopted", "--config-file", file, "--force"])).code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toContain("entra-tap:policy:");
  });

  it("refuses a policy that targets a user one by one: entra-tap declares groups only", async () => {
    const user = "aaaaaaaa-0000-4000-8000-000000000001";
    emulator.policy.excludeTargets.push({ id: user, targetType: "user" });
    const file = target();
    const run = await exportStack(["--stack", "adopted", "--config-file", file]);
    expect(run.code).toBe(exportExitCodes.failed);
    expect(run.stderr).toContain(`excludeTargets: ${user} (targetType user)`);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("says which groups the policy names that the tenant does not have", async () => {
    emulator.groups.delete(sampleGroups.support.id);
    const file = target();
    const run = await exportStack(["--stack", "adopted", "--config-file", file]);
    expect(run.code).toBe(0);
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain(`- id: ${sampleGroups.support.id} # no such group in the tenant`);
    expect(run.stdout).toContain(`${sampleGroups.support.id} (not found)`);
  });

  it.each([
    [["--stack", "adopted", "--cloud", "china"], /argument 'china' is invalid. Allowed choices are global/],
    [["--stack", "a/b"], /--stack "a\/b": not a stack name/],
    [[], /required option '--stack <name>' not specified/],
  ])("refuses %j with exit status 2", async (args, message) => {
    const run = await exportStack(args);
    expect(run.code).toBe(exportExitCodes.usage);
    expect(run.stderr).toMatch(message);
    expect(emulator.requests).toEqual([]);
  });
});
