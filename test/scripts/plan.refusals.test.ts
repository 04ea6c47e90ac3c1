// What the offline plan refuses before it evaluates the program (arguments, config, help): run in this process.
import * as path from "node:path";
import { exitCodes } from "../../scripts/cli";
import { runPlan } from "../../scripts/plan";
import { devStackConfig, projectDir, stackFile } from "./plan.support";

/** The plan in this process: for refusals only, which never reach the program. */
async function planHere(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runPlan(args, {
    stdout: (text) => stdout.push(text),
    stderr: (text) => stderr.push(text),
    env: {},
  });
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

describe("npm run plan: what it refuses before evaluating the program", () => {
  it("documents every flag and its exit statuses in --help, exit 0", async () => {
    const result = await planHere("--help");
    expect(result.status).toBe(exitCodes.plan.ok);
    for (const flag of [
      "--stack <name>",
      "--config-file <path>",
      "--json",
      "--at <ISO date>",
      "--policy-config <file>",
      "--existing-stack",
      "--help",
    ]) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout.replace(/\s+/g, " ")).toContain(
      "Exit status: 0 when the stack is valid and passes the mandatory policies; 1 when a mandatory policy is violated; 2 when",
    );
  });

  it.each([
    [[], /required option '--stack <name>' not specified/],
    [["--stack", "dev", "--at", "yesterday"], /^error: --at "yesterday" is not an ISO 8601 date$/m],
    [["--stack", "../etc"], /--stack "..\/etc": not a stack name/],
    [["--stack", "dev", "--frobnicate"], /unknown option '--frobnicate'/],
    [["--stack", "dev", "extra"], /too many arguments/],
  ])("refuses %j with exit status 2", async (args, message) => {
    const result = await planHere(...args);
    expect(result.status).toBe(exitCodes.plan.usage);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });

  it("refuses a role definition id of another subscription than its scope's, naming it", async () => {
    const dev = devStackConfig();
    const grants = dev["entra-tap:grants"] as unknown as Record<string, unknown>[];
    const index = grants.findIndex((g) => g.name === "support-ahmed-khan");
    const [role] = grants[index].azureRoles as { roleDefinitionId: string; scope: string }[];
    const tenantForm = role.roleDefinitionId.replace(/^\/subscriptions\/[^/]+/, "");
    const other = `/subscriptions/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6${tenantForm}`;
    const changed = grants.map((g, i) =>
      i === index ? { ...g, azureRoles: [{ ...role, roleDefinitionId: other }] } : g,
    );
    const result = await planHere(
      "--stack",
      "test",
      "--config-file",
      stackFile({ ...dev, "entra-tap:grants": changed }),
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `entra-tap:grants[${index}].azureRoles[0].roleDefinitionId: "${other}" is not allowed; expected a role definition id of the scope's subscription`,
    );
  });

  it("exits 2 with one message per config problem, naming key path, value and allowed range", async () => {
    const file = stackFile({
      "entra-tap:policy": {
        maximumLifetimeInMinutes: 50000,
        defaultLength: 4,
        includeTargets: [{ id: "contractors" }],
        oneTimeUse: true,
      },
    });
    const result = await planHere("--stack", "test", "--config-file", file);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      'Stack "test" is refused:',
      "  entra-tap:policy.maximumLifetimeInMinutes: 50000 is not allowed; expected an integer from 10 to 43200",
      "  entra-tap:policy.defaultLength: 4 is not allowed; expected an integer from 8 to 48",
      '  entra-tap:policy.includeTargets[0].id: "contractors" is not allowed; expected a group object id (GUID) or "all_users"',
      "  entra-tap:policy.oneTimeUse: not a known key; known keys: state, defaultLifetimeInMinutes, minimumLifetimeInMinutes, maximumLifetimeInMinutes, defaultLength, isUsableOnce, includeTargets, excludeTargets, onDestroy",
    ]);
  });

  it("gives the config problems in JSON too, with exit 2", async () => {
    const file = stackFile({ "entra-tap:policy": { state: "on", includeTargets: [{ id: "all_users" }] } });
    const result = await planHere("--stack", "test", "--config-file", file, "--json");
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      stack: "test",
      resources: [],
      violations: [],
      errors: ['entra-tap:policy.state: "on" is not allowed; expected one of "enabled", "disabled"'],
      warnings: [],
    });
  });

  it("masks secure config values it cannot decrypt", async () => {
    const file = stackFile({
      "entra-tap:policy": { includeTargets: [{ id: "all_users" }] },
      "entra-tap:extra": { secure: "v1:c2FsdHNhbHQ=:Y2lwaGVydGV4dGNpcGhlcg==" },
    });
    const result = await planHere("--stack", "test", "--config-file", file);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("entra-tap:extra: not a known key");
    expect(result.stderr).not.toContain("Y2lwaGVy");
  });

  it("refuses a secure: value that cannot be Pulumi ciphertext, naming the key, never the value", async () => {
    const file = stackFile({
      "entra-tap:policy": { includeTargets: [{ id: "all_users" }] },
      "entra-tap:monitoring": {
        actionGroup: { webhooks: [{ name: "soar", url: { secure: "https://hooks.example/x?sig=abc" } }] },
      },
    });
    const result = await planHere("--stack", "test", "--config-file", file, "--json");
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).errors[0]).toBe(
      "entra-tap:monitoring.actionGroup.webhooks[0].url: a secure: value that is not Pulumi ciphertext (never shown); set it with pulumi config set --secret --path 'entra-tap:monitoring.actionGroup.webhooks[0].url' <value>",
    );
    expect(result.stdout).not.toContain("sig=abc");
  });

  it("names a missing stack file in its errors, in JSON too", async () => {
    const result = await planHere("--stack", "nope", "--json");
    expect(result.status).toBe(exitCodes.plan.usage);
    expect(JSON.parse(result.stdout)).toEqual({
      stack: "nope",
      resources: [],
      violations: [],
      errors: [`--stack nope: no stack config file ${path.join(projectDir, "Pulumi.nope.yaml")}`],
      warnings: [],
    });
  });

  it("judges the config at --at, leaving the clock alone", async () => {
    // Two grants of one user that overlap: refused while both are active (at --at), not once both have ended.
    const dev = devStackConfig();
    const grants = dev["entra-tap:grants"] as unknown as Record<string, unknown>[];
    const overlapping = [
      { ...grants[0], name: "contractor-1", start: "2025-01-01T08:00:00Z", expiry: "2025-01-01T18:00:00Z" },
      { ...grants[0], name: "contractor-2", start: "2025-01-01T12:00:00Z", expiry: "2025-01-01T20:00:00Z" },
    ];
    const file = stackFile({ ...dev, "entra-tap:grants": [...grants, ...overlapping] });
    const clock = Date.now;
    const result = await planHere("--stack", "test", "--config-file", file, "--at", "2025-01-01T13:00:00Z");
    expect(Date.now).toBe(clock);
    expect(result.status).toBe(exitCodes.plan.usage);
    expect(result.stderr).toContain(
      `entra-tap:grants[${grants.length + 1}].user: "jane.doe@contoso.com" is not allowed; expected at most one active grant per user (overlaps grants[${grants.length}], contractor-1)`,
    );
  });
});
