// The split `pulumi up` of the workflows, under the real Pulumi CLI: with the glob of scripts/grantTargets.ts,
// `--exclude <glob> --exclude-dependents` (deploy.yml's policy jobs, as entra-tap-policy) applies the TAP policy and
// touches no grant, and `--target <glob> --target-dependents` (deploy.yml's grants jobs and schedule.yml, as
// entra-tap-passes) issues the grants' passes and leaves the policy as the state has it, even when main holds a
// policy change not applied yet. One small stack, its steps in order, against the Graph emulator.
import * as fs from "node:fs";
import * as path from "node:path";
import { temporaryAccessGrantType } from "../../components/providerInputs";
import { grantsUrnGlob, urnGlobMatches } from "../../scripts/grantTargets";
import { contractorsGroupId as contractors } from "../support/fixtures";
import { type EmulatedUser, GraphEmulator } from "../support/graphEmulator";
import { declaredPolicy } from "./support/enginePolicy";
import { expectStatus, programDir, pulumiWorkspace, type PulumiWorkspace } from "./support/pulumiCli";

const hour = 3_600_000;
const stack = "targeting";
const policyType = "entra-tap:graph:TemporaryAccessPassPolicy";
const passType = "entra-tap:graph:UserTemporaryAccessPass";

const exclude = ["--exclude", grantsUrnGlob, "--exclude-dependents"];
const target = ["--target", grantsUrnGlob, "--target-dependents"];

let emulator: GraphEmulator;
let pulumi: PulumiWorkspace;
let jane: EmulatedUser;

interface StateResource {
  urn: string;
  type: string;
  parent?: string;
  outputs?: Record<string, unknown>;
}

const run = (args: string[]) => pulumi.run([...args, "--stack", stack], { cwd: programDir });

async function setConfig(key: string, value: unknown): Promise<void> {
  expectStatus(await run(["config", "set", key, JSON.stringify(value)]), 0, `config set ${key}`);
}

async function stateResources(): Promise<StateResource[]> {
  const exported = await run(["stack", "export"]);
  expectStatus(exported, 0, "pulumi stack export");
  return (
    (JSON.parse(exported.stdout) as { deployment: { resources?: StateResource[] } }).deployment.resources ??
    []
  );
}

/** Whether a resource of the state is a grant or below one, by its parents (not by its URN, which the glob reads). */
function isGrantOrBelow(resource: StateResource, resources: StateResource[]): boolean {
  for (let current: StateResource | undefined = resource; current;) {
    if (current.type === temporaryAccessGrantType) return true;
    current = resources.find((r) => r.urn === current!.parent);
  }
  return false;
}

/** Graph requests that changed something since the emulator's log was last cleared, as `METHOD path`. */
function writes(): string[] {
  return emulator.writes().map((request) => `${request.method} ${request.path}`);
}

beforeAll(async () => {
  emulator = await GraphEmulator.start();
  emulator.policy.state = "enabled";
  jane = emulator.addUser({ userPrincipalName: "jane.doe@contoso.example" });
  emulator.addMember(contractors, jane.id);
  pulumi = pulumiWorkspace(emulator.env());
  expectStatus(await run(["stack", "init"]), 0, "stack init");
  await setConfig("policy", declaredPolicy);
  await setConfig("includeTargets", [{ id: contractors, isRegistrationRequired: false }]);
  await setConfig("excludeTargets", []);
  await setConfig("grants", [
    {
      name: "jane",
      user: jane.userPrincipalName,
      start: new Date(Date.now() - hour).toISOString(),
      expiry: new Date(Date.now() + 48 * hour).toISOString(),
      lifetimeInMinutes: 120,
      ticket: "CHG-2001",
    },
  ]);
});

afterAll(async () => {
  await emulator?.stop();
  pulumi?.dispose();
  // The stack's config file, written beside the program by `pulumi stack init` and `pulumi config set`.
  fs.rmSync(path.join(programDir, `Pulumi.${stack}.yaml`), { force: true });
});

describe("pulumi up split by the grants' URN glob", () => {
  it("--exclude <glob> --exclude-dependents applies the policy and creates no grant resource", async () => {
    emulator.requests.length = 0;
    expectStatus(await run(["up", "--yes", ...exclude]), 0, "pulumi up --exclude");
    expect(emulator.policy).toMatchObject({
      defaultLength: 16,
      isUsableOnce: true,
      includeTargets: [{ id: contractors, targetType: "group", isRegistrationRequired: false }],
    });
    expect(jane.tap).toBeUndefined();
    // The policy's PATCH only: no pass requested, nothing under /users.
    expect(writes().length).toBeGreaterThan(0);
    for (const write of writes())
      expect(write).toMatch(/^PATCH \/v1\.0\/policies\/authenticationMethodsPolicy\//);

    const resources = await stateResources();
    expect(resources.map((r) => r.type)).toContain(policyType);
    expect(resources.filter((r) => urnGlobMatches(grantsUrnGlob, r.urn))).toEqual([]);
    expect(resources.filter((r) => r.type === temporaryAccessGrantType || r.type === passType)).toEqual([]);
  });

  it("--target <glob> --target-dependents then issues the grants and leaves a policy change for the next deployment", async () => {
    // main now holds a policy change that the policy job has not applied.
    await setConfig("policy", { ...declaredPolicy, defaultLength: 12 });
    emulator.requests.length = 0;
    expectStatus(await run(["up", "--yes", ...target]), 0, "pulumi up --target");
    expect(jane.tap).toBeDefined();
    // The pass's POST (after reading the policy); the policy itself is not written.
    expect(writes()).toEqual([
      `POST /v1.0/users/${encodeURIComponent(jane.userPrincipalName)}/authentication/temporaryAccessPassMethods`,
    ]);
    expect(emulator.policy.defaultLength).toBe(16);

    const resources = await stateResources();
    expect(resources.find((r) => r.type === policyType)?.outputs?.defaultLength).toBe(16);
    const grants = resources.filter((r) => urnGlobMatches(grantsUrnGlob, r.urn));
    expect(grants.map((r) => r.type).sort()).toEqual([temporaryAccessGrantType, passType].sort());
    // The glob selects exactly the grants and what is below them.
    for (const resource of resources) {
      expect([resource.urn, urnGlobMatches(grantsUrnGlob, resource.urn)]).toEqual([
        resource.urn,
        isGrantOrBelow(resource, resources),
      ]);
    }
  });

  it("leaves the grants part with nothing to do, and the policy change to the excluding run", async () => {
    expectStatus(
      await run(["preview", "--expect-no-changes", ...target]),
      0,
      "pulumi preview --target --expect-no-changes",
    );
    const preview = await run(["preview", "--diff", ...exclude]);
    expectStatus(preview, 0, "pulumi preview --exclude --diff");
    expect(preview.stdout).toMatch(/~ defaultLength\s*: 16 => 12/);
    expect(preview.stdout).toMatch(/~ 1 to update/);
  });
});
