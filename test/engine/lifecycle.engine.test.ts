// entra-tap's components under the real Pulumi engine: `pulumi up`, `preview`, `refresh`, `destroy`, secrets in the
// state and stack outputs, against the Graph emulator over HTTP. The steps share one stack and run in order.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { breakGlassGroupId as breakGlass, contractorsGroupId as contractors } from "../support/fixtures";
import { type EmulatedTapPolicy, type EmulatedUser, GraphEmulator } from "../support/graphEmulator";
import { type TestRecipient, testRecipient } from "../support/handoverIdentities";
import { declaredPolicy } from "./support/enginePolicy";
import {
  expectStatus,
  programDir,
  pulumiWorkspace,
  type PulumiWorkspace,
  repoDir,
} from "./support/pulumiCli";

const hour = 3_600_000;

/** The tenant as entra-tap finds it: enabled for everyone, with an exclusion of a user (not a group). */
function tenantPolicy(engineer: string): EmulatedTapPolicy {
  return {
    state: "enabled",
    defaultLifetimeInMinutes: 60,
    minimumLifetimeInMinutes: 60,
    maximumLifetimeInMinutes: 480,
    defaultLength: 8,
    isUsableOnce: false,
    includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: false }],
    excludeTargets: [{ id: engineer, targetType: "user" }],
  };
}

let emulator: GraphEmulator;
let pulumi: PulumiWorkspace;
let jane: EmulatedUser;
let joe: EmulatedUser;
let found: EmulatedTapPolicy;
/** Whom the passes are sealed to, and someone else. */
let approver: TestRecipient;
let stranger: TestRecipient;

const handoverScript = path.join(repoDir, "scripts", "handover.ts");

/** `recipient`'s identity in a file of the workspace, as age-keygen writes one. */
function identityFileOf(recipient: TestRecipient): string {
  const file = path.join(pulumi.backendDir, `${recipient.name}.txt`);
  fs.writeFileSync(file, `# public key: ${recipient.key}\n${recipient.identity}\n`, { mode: 0o600 });
  return file;
}

/** The project's tsx running `args` in the program's folder (npm runs a script in its project's folder). */
function runNode(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(repoDir, "node_modules", ".bin", "tsx"),
      args,
      { cwd: programDir, env },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** When the suite started: grants' windows are fixed from it, so a later step changes only what it means to. */
const suiteStart = Date.now();

function grant(user: EmulatedUser, name: string, changes: Record<string, unknown> = {}) {
  return {
    name,
    user: user.userPrincipalName,
    start: new Date(suiteStart - hour).toISOString(),
    expiry: new Date(suiteStart + 48 * hour).toISOString(),
    lifetimeInMinutes: 120,
    ticket: "CHG-1001",
    ...changes,
  };
}

async function setConfig(key: string, value: unknown): Promise<void> {
  expectStatus(
    await pulumi.run(["config", "set", "--stack", "engine", key, JSON.stringify(value)]),
    0,
    `config set ${key}`,
  );
}

beforeAll(async () => {
  emulator = await GraphEmulator.start();
  jane = emulator.addUser({ userPrincipalName: "jane.doe@contoso.example" });
  joe = emulator.addUser({ userPrincipalName: "joe.bloggs@contoso.example" });
  const engineer = emulator.addUser({ userPrincipalName: "engineer@contoso.example" });
  for (const user of [jane, joe]) emulator.addMember(contractors, user.id);
  found = tenantPolicy(engineer.id);
  emulator.policy = structuredClone(found);
  pulumi = pulumiWorkspace(emulator.env());
  expectStatus(await pulumi.run(["stack", "init", "engine"]), 0, "stack init");
  await setConfig("policy", declaredPolicy);
  await setConfig("includeTargets", [{ id: contractors, isRegistrationRequired: false }]);
  await setConfig("excludeTargets", [{ id: breakGlass }]);
  await setConfig("grants", [grant(jane, "jane"), grant(joe, "joe")]);
  [approver, stranger] = await Promise.all([
    testRecipient("approver@contoso.example"),
    testRecipient("stranger"),
  ]);
  await setConfig("sealTo", [{ name: approver.name, key: approver.key }]);
});

afterAll(async () => {
  await emulator?.stop();
  pulumi?.dispose();
  // The stack's config file, written beside the program by `pulumi stack init` and `pulumi config set`.
  fs.rmSync(path.join(programDir, "Pulumi.engine.yaml"), { force: true });
});

describe("the real engine", () => {
  it("pulumi up adopts the tenant's policy and issues the passes", async () => {
    const up = await pulumi.run(["up", "--yes", "--stack", "engine"]);
    expectStatus(up, 0, "pulumi up");
    expect(emulator.policy).toMatchObject({
      defaultLength: 16,
      isUsableOnce: true,
      includeTargets: [{ id: contractors, targetType: "group", isRegistrationRequired: false }],
      excludeTargets: [{ id: breakGlass, targetType: "group" }],
    });
    expect(jane.tap).toBeDefined();
    expect(joe.tap).toBeDefined();
  });

  it("pulumi preview afterwards shows no changes", async () => {
    expectStatus(
      await pulumi.run(["preview", "--expect-no-changes", "--stack", "engine"]),
      0,
      "pulumi preview",
    );
  });

  it("keeps passcodes out of the state and outputs, even for whoever holds the stack's secrets", async () => {
    for (const args of [
      ["stack", "export", "--show-secrets"],
      ["stack", "output", "--show-secrets", "--json"],
    ]) {
      const shown = await pulumi.run([...args, "--stack", "engine"]);
      expectStatus(shown, 0, `pulumi ${args.join(" ")}`);
      for (const user of [jane, joe]) expect(shown.stdout).not.toContain(user.tap!.temporaryAccessPass);
      expect(shown.stdout).not.toContain(emulator.token);
      expect(shown.stdout).toContain("-----BEGIN AGE ENCRYPTED FILE-----");
    }
  });

  it("npm run handover opens the pass with the recipient's identity, and fails clearly with another's", async () => {
    // As a recipient runs it: the project's tsx, in the program's folder, without the stack's passphrase.
    const handover = (identityFile: string) =>
      runNode(
        [handoverScript, "--stack", "engine", "--grant", "jane", "--identity", identityFile, "--to-pipe"],
        { ...pulumi.env, PULUMI_CONFIG_PASSPHRASE: undefined },
      );
    const opened = await handover(identityFileOf(approver));
    expect(opened.stderr).toBe("");
    expect(opened.status).toBe(0);
    expect(opened.stdout).toContain(`passcode:  ${jane.tap!.temporaryAccessPass}`);
    expect(opened.stdout).toContain(`user:      ${jane.userPrincipalName}`);
    const refused = await handover(identityFileOf(stranger));
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toBe(
      "the pass was not sealed to this identity: none of its keys opens it (the pass of grant jane is sealed to " +
        `${approver.name})\n`,
    );
  });

  it("shows an out-of-band change as drift in preview --refresh --diff, and up puts it back", async () => {
    emulator.policy.defaultLength = 9;
    emulator.policy.excludeTargets = [];
    const preview = await pulumi.run(["preview", "--refresh", "--diff", "--stack", "engine"]);
    expectStatus(preview, 0, "pulumi preview --refresh --diff");
    // The refresh shows the live values as drift, and the plan puts the declaration back.
    expect(preview.stdout).toMatch(/~ defaultLength\s*: 16 => 9/);
    expect(preview.stdout).toMatch(/~ excludeTargets\s*: \[\s*- \[0\]: \{\s*- id: "9a41d6e2/);
    expect(preview.stdout).not.toContain("targetType");
    expect(preview.stdout).toMatch(/~ 1 to update/);
    expect(emulator.policy.defaultLength).toBe(9);
    expectStatus(
      await pulumi.run(["up", "--refresh", "--yes", "--stack", "engine"]),
      0,
      "pulumi up --refresh",
    );
    expect(emulator.policy).toMatchObject({
      defaultLength: 16,
      excludeTargets: [{ id: breakGlass, targetType: "group" }],
    });
  });

  it("warns in preview --refresh when Conditional Access would keep the pass from registering a method", async () => {
    emulator.authenticationStrengths.set("phishing-resistant", {
      id: "phishing-resistant",
      displayName: "Phishing-resistant MFA",
      policyType: "builtIn",
      allowedCombinations: ["windowsHelloForBusiness", "fido2"],
    });
    emulator.conditionalAccessPolicies.push({
      id: "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e",
      displayName: "Register security info \u202ewith a strong method",
      state: "enabled",
      conditions: {
        users: {
          includeUsers: ["All"],
          excludeUsers: [],
          includeGroups: [],
          excludeGroups: [],
          includeRoles: [],
          excludeRoles: [],
        },
        applications: { includeApplications: [], includeUserActions: ["urn:user:registersecurityinfo"] },
      },
      grantControls: {
        operator: "OR",
        builtInControls: [],
        authenticationStrength: { id: "phishing-resistant", displayName: "Phishing-resistant MFA" },
      },
    });
    const writesBefore = emulator.writes().length;
    try {
      const preview = await pulumi.run(["preview", "--refresh", "--stack", "engine"]);
      expectStatus(preview, 0, "pulumi preview --refresh");
      const output = preview.stdout + preview.stderr;
      expect(output).toMatch(/grant jane: Conditional Access policy .*Register security info/);
      expect(output).toContain('requires "Phishing-resistant MFA" to register security info');
      // The policy's name comes from the tenant: its bidi control is shown escaped, never raw.
      expect(output).not.toContain("\u202e");
      expect(output).toContain("security info \\u202ewith");
      expect(emulator.writes().length).toBe(writesBefore);
    } finally {
      emulator.conditionalAccessPolicies.length = 0;
    }
  });

  it("replaces a grant's pass when its lifetime changes", async () => {
    const before = jane.tap!.id;
    await setConfig("grants", [grant(jane, "jane", { lifetimeInMinutes: 180 }), grant(joe, "joe")]);
    const up = await pulumi.run(["up", "--yes", "--stack", "engine"]);
    expectStatus(up, 0, "pulumi up (new lifetime)");
    expect(up.stdout).toMatch(/1 replaced/);
    expect(jane.tap!.id).not.toBe(before);
    expect(jane.tap!.lifetimeInMinutes).toBe(180);
  });

  it("ends a grant whose expiry has passed: deletes its pass and revokes the user's sessions", async () => {
    // Only the expiry moves (into the past): the pass is updated to ended, not replaced. (A change that replaces
    // it as well is checked by the engine as a new pass, which a grant already over may not have.)
    const ended = grant(joe, "joe", { expiry: new Date(Date.now() - 60_000).toISOString() });
    await setConfig("grants", [grant(jane, "jane", { lifetimeInMinutes: 180 }), ended]);
    expectStatus(await pulumi.run(["up", "--yes", "--stack", "engine"]), 0, "pulumi up (grant ended)");
    expect(joe.tap).toBeUndefined();
    expect(joe.sessionsRevokedAt).toBeDefined();
    expect(jane.tap).toBeDefined();
    const outputs = await pulumi.run(["stack", "output", "grantPasses", "--json", "--stack", "engine"]);
    expect(JSON.parse(outputs.stdout).joe.status).toBe("ended");
  });

  it("pulumi destroy puts back the adopted policy exactly, the user exclusion included", async () => {
    expectStatus(await pulumi.run(["destroy", "--yes", "--stack", "engine"]), 0, "pulumi destroy");
    expect(emulator.policy).toEqual(found);
    expect(jane.tap).toBeUndefined();
  });
});
