// What the offline plan says, preview says: for the same config, the plan's refusals (config and the providers'
// `check`) are the engine's, and the policy pack flags the same violations under `pulumi preview --policy-pack` as
// under the plan's own runner.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { stringify as stringifyYaml } from "yaml";
import { breakGlassGroupId as breakGlass, contractorsGroupId as contractors } from "../support/fixtures";
import { GraphEmulator } from "../support/graphEmulator";
import { makeTempDir } from "../support/tempDirs";
import {
  expectStatus,
  programDir,
  pulumiWorkspace,
  type PulumiWorkspace,
  repoDir,
} from "./support/pulumiCli";

const hour = 3_600_000;
const tsxCli = require.resolve("tsx/cli");

let emulator: GraphEmulator;
let pulumi: PulumiWorkspace;
let scratch: string;
let stackCount = 0;
const createdStackFiles: string[] = [];

beforeAll(async () => {
  emulator = await GraphEmulator.start();
  emulator.policy.state = "enabled";
  const jane = emulator.addUser({ userPrincipalName: "jane.doe@contoso.example" });
  emulator.addMember(contractors, jane.id);
  pulumi = pulumiWorkspace(emulator.env());
  scratch = makeTempDir("entra-tap-agreement-");
});

afterAll(async () => {
  await emulator?.stop();
  pulumi?.dispose();
  for (const file of createdStackFiles) fs.rmSync(file, { force: true });
});

/** A new stack of the program in `dir` with `config`; returns its name and the stack file the plan reads. */
async function newStack(
  dir: string,
  config: Record<string, unknown>,
  unquoteDates = false,
): Promise<{ stack: string; file: string }> {
  const stack = `agreement-${++stackCount}`;
  expectStatus(await pulumi.run(["stack", "init", stack], { cwd: dir }), 0, "stack init");
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  createdStackFiles.push(file);
  // Written as the CLI would write `pulumi config set --path` values, next to the salt stack init wrote.
  const written = fs.readFileSync(file, "utf8");
  // Strings in quotes, as a careful hand writes dates (an unquoted one is a YAML timestamp: a case of its own below).
  const text = stringifyYaml({ config }, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
  fs.writeFileSync(
    file,
    `${written.trimEnd()}\n${unquoteDates ? text.replace(/"(\d{4}-\d{2}-\d{2}T[^"]+)"/g, "$1") : text}`,
  );
  return { stack, file };
}

async function offlinePlan(dir: string, project: string, file: string, packConfig?: string) {
  const args = [tsxCli, path.join(__dirname, "support", "offlinePlan.ts"), dir, project, file];
  const { stdout } = await promisify(execFile)(process.execPath, packConfig ? [...args, packConfig] : args, {
    cwd: repoDir,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as {
    refusals: string[];
    warnings: string[];
    violations: { policy: string; enforcementLevel: string; resource: string | null; message: string }[];
  };
}

const validPolicy = {
  state: "enabled",
  minimumLifetimeInMinutes: 60,
  defaultLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 240,
  defaultLength: 16,
  isUsableOnce: true,
  onDestroy: "restore",
};
const now = Date.now();
const validGrant = {
  name: "jane",
  user: "jane.doe@contoso.example",
  start: new Date(now + hour).toISOString(),
  expiry: new Date(now + 26 * hour).toISOString(),
  lifetimeInMinutes: 120,
  ticket: "CHG-2001",
};

function engineConfig(changes: { policy?: object; includeTargets?: object[]; grants?: object[] } = {}) {
  return {
    "entra-tap-engine:policy": changes.policy ?? validPolicy,
    "entra-tap-engine:includeTargets": changes.includeTargets ?? [
      { id: contractors, isRegistrationRequired: false },
    ],
    "entra-tap-engine:excludeTargets": [{ id: breakGlass }],
    "entra-tap-engine:grants": changes.grants ?? [validGrant],
  };
}

describe("the providers' check: the plan refuses what preview refuses", () => {
  it.each([
    ["a valid stack", {}],
    [
      "a grant that has already ended, in a new stack",
      {
        grants: [
          {
            ...validGrant,
            start: new Date(now - 3 * hour).toISOString(),
            expiry: new Date(now - hour).toISOString(),
          },
        ],
      },
    ],
    ["a pass lifetime outside Microsoft's limits", { grants: [{ ...validGrant, lifetimeInMinutes: 5 }] }],
    ["an enabled policy with no target", { includeTargets: [] }],
    [
      "a policy whose default lifetime is outside its range",
      { policy: { ...validPolicy, defaultLifetimeInMinutes: 300 } },
    ],
    ["dates left unquoted in the stack file (YAML timestamps)", { unquoted: true }],
  ])("%s", async (_case, changes: Parameters<typeof engineConfig>[0] & { unquoted?: boolean }) => {
    const { stack, file } = await newStack(programDir, engineConfig(changes), changes.unquoted);
    const offline = await offlinePlan(programDir, "entra-tap-engine", file);
    const preview = await pulumi.run(["preview", "--stack", stack]);
    const output = preview.stdout + preview.stderr;
    if (offline.refusals.length === 0) {
      expectStatus(preview, 0, "pulumi preview of a stack the plan accepts");
    } else {
      expect(preview.status).not.toBe(0);
      // Each refusal is `<resource>: <reason>`; the engine says `resource '<resource>': ... has a problem: <reason>`.
      for (const refusal of offline.refusals) {
        const [resource, ...reason] = refusal.split(": ");
        expect(output).toContain(`resource '${resource}'`);
        expect(output).toContain(reason.join(": "));
      }
    }
    // And nothing the engine refuses goes unsaid by the plan: every resource it errors on is in the plan's list.
    const erroredResources = [...output.matchAll(/resource '([^']+)': property/g)].map((m) => m[1]);
    expect(new Set(erroredResources)).toEqual(new Set(offline.refusals.map((r) => r.split(": ")[0])));
  });
});

/** `npm run plan` of entra-tap's own program for a stack file, as JSON. */
function repoPlan(stack: string, file: string): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [tsxCli, "scripts/plan.ts", "--stack", stack, "--config-file", file, "--json"],
      { cwd: repoDir },
      (error, stdout) => resolve({ status: error ? Number(error.code) : 0, stdout }),
    ),
  );
}

describe("config: the plan's messages are the engine's, for entra-tap's own program", () => {
  it("refuses a key with two colons, as the CLI refuses the file before the program runs", async () => {
    const { stack, file } = await newStack(repoDir, {
      "entra-tap:policy": { includeTargets: [{ id: "all_users" }] },
      "entra-tap:grants:extra": [],
    });
    const preview = await pulumi.run(["preview", "--stack", stack], { cwd: repoDir });
    expect(preview.status).not.toBe(0);
    expect(preview.stderr).toContain("could not parse entra-tap:grants:extra as a configuration key");
    const plan = await repoPlan(stack, file);
    expect(plan.status).toBe(2);
    expect(JSON.parse(plan.stdout).errors).toEqual([
      expect.stringContaining('Pulumi refuses "entra-tap:grants:extra": configuration keys have one ":"'),
    ]);
  });

  it("refuses an invalid config with the same messages under pulumi preview", async () => {
    const config = {
      "entra-tap:policy": { state: "on", defaultLength: 4, includeTargets: [{ id: "contractors" }] },
      "entra-tap:grants": [{ name: "x", user: "https://hooks.example/x?sig=secret-value" }],
    };
    const { stack, file } = await newStack(repoDir, config);
    const plan = await repoPlan(stack, file);
    expect(plan.status).toBe(2);
    const errors = JSON.parse(plan.stdout).errors as string[];
    expect(errors.length).toBeGreaterThan(1);
    const preview = await pulumi.run(["preview", "--stack", stack], { cwd: repoDir });
    expect(preview.status).not.toBe(0);
    const output = preview.stdout + preview.stderr;
    for (const error of errors) expect(output).toContain(error);
    expect(output).not.toContain("secret-value");
  });
});

describe("the policy pack under the real engine", () => {
  const packDir = path.join(repoDir, "policies");
  const strict = path.join(packDir, "config", "strict.json");
  /** The strict config without the audit-trail rule: this program declares no monitoring (no azure-native here). */
  function strictWithoutAuditTrail(): string {
    const file = path.join(scratch, "strict-without-audit-trail.json");
    const config = JSON.parse(fs.readFileSync(strict, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...config, "tap-audit-trail": "disabled" }));
    return file;
  }

  it("fails a violating stack with the policies' names, the same violations as the plan's runner", async () => {
    const violating = engineConfig({
      policy: { ...validPolicy, defaultLength: 12, maximumLifetimeInMinutes: 480 },
      grants: [{ ...validGrant, ticket: "not-a-ticket", lifetimeInMinutes: 300 }],
    });
    const { stack, file } = await newStack(programDir, violating);
    const preview = await pulumi.run([
      "preview",
      "--stack",
      stack,
      "--policy-pack",
      packDir,
      "--policy-pack-config",
      strict,
    ]);
    expect(preview.status).not.toBe(0);
    const offline = await offlinePlan(programDir, "entra-tap-engine", file, strict);
    // Each violation as `policy | resource | message`, from the engine's report and from the plan's runner.
    const engineViolations = [
      ...preview.stdout.matchAll(
        /- \[(?:mandatory|advisory|remediate)\] \[severity: \w+\]\s+(\S+)\s+\(([^)]+)\)\n.*\n\s+(.+)/g,
      ),
    ].map(([, policy, target, message]) => {
      const resource = target.startsWith("pulumi:pulumi:Stack") ? "(stack)" : target.split(": ").pop();
      return `${policy} | ${resource} | ${message.trim()}`;
    });
    const planViolations = offline.violations.map(
      (v) => `${v.policy} | ${v.resource ?? "(stack)"} | ${v.message}`,
    );
    expect(planViolations.length).toBeGreaterThanOrEqual(5);
    expect(engineViolations.sort()).toEqual(planViolations.sort());
    expect(new Set(offline.violations.map((v) => v.policy))).toEqual(
      new Set([
        "tap-audit-trail",
        "tap-grant-justification",
        "tap-grant-lifetime",
        "tap-policy-maximum-lifetime",
        "tap-policy-minimum-length",
      ]),
    );
  });

  it("passes a clean stack", async () => {
    const { stack, file } = await newStack(programDir, engineConfig());
    const config = strictWithoutAuditTrail();
    const preview = await pulumi.run([
      "preview",
      "--stack",
      stack,
      "--policy-pack",
      packDir,
      "--policy-pack-config",
      config,
    ]);
    expectStatus(preview, 0, "pulumi preview --policy-pack of a clean stack");
    expect((await offlinePlan(programDir, "entra-tap-engine", file, config)).violations).toEqual([]);
  });
});
