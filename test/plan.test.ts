// The offline plan as a user runs it: a separate process, the real stack files, exit statuses and output.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify as stringifyYaml } from "yaml";

const projectDir = path.resolve(__dirname, "..");
const tsxCli = require.resolve("tsx/cli");

function plan(...args: string[]) {
  const result = spawnSync(process.execPath, [tsxCli, "scripts/plan.ts", ...args], {
    cwd: projectDir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function stackFile(config: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-plan-"));
  const file = path.join(dir, "Pulumi.test.yaml");
  fs.writeFileSync(file, stringifyYaml({ config }));
  return file;
}

describe("npm run plan", () => {
  it("shows the dev stack's declared resources as JSON, exit 0", () => {
    const result = plan("--stack", "dev", "--json");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.stack).toBe("dev");
    expect(output.violations).toEqual([]);
    expect(output.resources).toEqual([
      { type: "entra-tap:index:TemporaryAccessPassPolicy", name: "tap-policy", parent: null, inputs: {} },
      {
        type: "pulumi-nodejs:dynamic/entra:TemporaryAccessPassPolicy",
        name: "tap-policy",
        parent: "tap-policy",
        inputs: expect.objectContaining({
          state: "enabled",
          maximumLifetimeInMinutes: 480,
          defaultLength: 14,
        }),
      },
    ]);
    expect(result.stdout).not.toContain("__provider");
  });

  it("says in its text what it is and what it is not", () => {
    const result = plan("--stack", "dev");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("pulumi-nodejs:dynamic/entra:TemporaryAccessPassPolicy  tap-policy");
    expect(result.stdout).toContain("not a diff against the live tenant");
  });

  it("exits 2 with one message per config problem, naming key path, value and allowed range", () => {
    const file = stackFile({
      "entra-tap:policy": {
        maximumLifetimeInMinutes: 50000,
        defaultLength: 4,
        includeTargets: [{ id: "contractors" }],
        oneTimeUse: true,
      },
    });
    const result = plan("--stack", "test", "--config-file", file);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      'Stack "test" has invalid configuration:',
      "  entra-tap:policy.maximumLifetimeInMinutes: 50000 is not allowed; expected an integer from 10 to 43200",
      "  entra-tap:policy.defaultLength: 4 is not allowed; expected an integer from 8 to 48",
      '  entra-tap:policy.includeTargets[0].id: "contractors" is not allowed; expected a group object id (GUID) or "all_users"',
      "  entra-tap:policy.oneTimeUse: not a known key; known keys: state, defaultLifetimeInMinutes, minimumLifetimeInMinutes, maximumLifetimeInMinutes, defaultLength, isUsableOnce, includeTargets, excludeTargets, onDestroy",
    ]);
  });

  it("gives the config problems in JSON too, with exit 2", () => {
    const file = stackFile({ "entra-tap:policy": { state: "on", includeTargets: [{ id: "all_users" }] } });
    const result = plan("--stack", "test", "--config-file", file, "--json");
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      stack: "test",
      resources: [],
      violations: [],
      errors: ['entra-tap:policy.state: "on" is not allowed; expected one of "enabled", "disabled"'],
    });
  });

  it("masks secure config values it cannot decrypt", () => {
    const file = stackFile({
      "entra-tap:policy": { includeTargets: [{ id: "all_users" }] },
      "entra-tap:extra": { secure: "v1:abc" },
    });
    const result = plan("--stack", "test", "--config-file", file);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("entra-tap:extra: not a known key");
    expect(result.stderr).not.toContain("v1:abc");
  });

  it("names a missing stack file and exits 2", () => {
    const result = plan("--stack", "nope");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("no stack config file");
    expect(result.stderr).toContain("Pulumi.nope.yaml");
  });

  it("asks for --stack", () => {
    expect(plan().status).toBe(2);
  });
});
