// entra-tap's provider plugin under the real engine: the state keeps no provider code but the provider's version, and
// each command runs the plugin of the checkout it runs from, so a change to the delete logic between `up` and
// `destroy` is the logic `destroy` runs. The project here points the CLI at a plugin folder of the test's own, whose
// delete records which generation of it ran before calling entra-tap's.
import * as fs from "node:fs";
import * as path from "node:path";
import { providerVersion } from "../../components/providerInputs";
import { tapPolicyId } from "../../components/graph/tapPolicy";
import { temporaryAccessPassPolicyType } from "../../components/temporaryAccessPassPolicyConfiguration";
import { contractorsGroupId as contractors } from "../support/fixtures";
import { type EmulatedTapPolicy, GraphEmulator, microsoftDefaultTapPolicy } from "../support/graphEmulator";
import { makeTempDir } from "../support/tempDirs";
import { declaredPolicy } from "./support/enginePolicy";
import {
  expectStatus,
  programDir,
  pulumiWorkspace,
  type PulumiWorkspace,
  repoDir,
} from "./support/pulumiCli";

let emulator: GraphEmulator;
let pulumi: PulumiWorkspace;
let projectDir: string;
let pluginDir: string;
const deletes = () => fs.readFileSync(path.join(pluginDir, "deletes.log"), "utf8").trim().split("\n");

/** The test's plugin: entra-tap's provider, whose delete first writes `generation` and the resource's name. */
function writePlugin(generation: string): void {
  fs.writeFileSync(
    path.join(pluginDir, "main.ts"),
    [
      'import * as fs from "node:fs";',
      `import { main } from ${JSON.stringify(path.join(repoDir, "node_modules/@pulumi/pulumi/provider"))};`,
      `import { entraTapProvider } from ${JSON.stringify(path.join(repoDir, "provider/entraTapProvider"))};`,
      "void main(",
      "  {",
      "    ...entraTapProvider,",
      "    delete: async (id, urn, props) => {",
      `      fs.appendFileSync(${JSON.stringify(path.join(pluginDir, "deletes.log"))}, \`${generation} \${urn.split("::").pop()}\\n\`);`,
      "      return entraTapProvider.delete!(id, urn, props);",
      "    },",
      "  },",
      "  process.argv.slice(2),",
      ");",
    ].join("\n"),
  );
}

beforeAll(async () => {
  emulator = await GraphEmulator.start();
  emulator.policy = { ...microsoftDefaultTapPolicy(), state: "disabled" } satisfies EmulatedTapPolicy;
  const root = makeTempDir("entra-tap-provider-");
  projectDir = path.join(root, "project");
  pluginDir = path.join(root, "plugin");
  fs.mkdirSync(projectDir);
  fs.mkdirSync(pluginDir);
  for (const file of ["PulumiPlugin.yaml", "package.json"]) {
    fs.copyFileSync(path.join(repoDir, "provider", file), path.join(pluginDir, file));
  }
  // The language host finds Pulumi's plugin runner from the plugin's folder, as from provider/ in the project.
  fs.symlinkSync(path.join(repoDir, "node_modules"), path.join(pluginDir, "node_modules"));
  fs.writeFileSync(
    path.join(pluginDir, "index.js"),
    `require(${JSON.stringify(require.resolve("tsx/cjs"))});\nrequire("./main.ts");\n`,
  );
  writePlugin("first");
  // The engine suite's program, from a project whose only plugin is the test's.
  fs.writeFileSync(
    path.join(projectDir, "Pulumi.yaml"),
    [
      "name: entra-tap-engine",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: true",
      `main: ${path.relative(projectDir, path.join(programDir, "index.ts"))}`,
      "plugins:",
      "  providers:",
      "    - name: entra-tap",
      `      path: ${pluginDir}`,
    ].join("\n"),
  );
  pulumi = pulumiWorkspace(emulator.env());
  const inProject = { cwd: projectDir };
  expectStatus(await pulumi.run(["stack", "init", "provider"], inProject), 0, "stack init");
  for (const [key, value] of Object.entries({
    policy: declaredPolicy,
    includeTargets: [{ id: contractors, isRegistrationRequired: false }],
    excludeTargets: [],
    grants: [],
  })) {
    expectStatus(
      await pulumi.run(["config", "set", "--stack", "provider", key, JSON.stringify(value)], inProject),
      0,
      `config set ${key}`,
    );
  }
});

afterAll(async () => {
  await emulator?.stop();
  pulumi?.dispose();
});

describe("entra-tap's provider plugin", () => {
  it("keeps no provider code in the state, and the provider's version", async () => {
    expectStatus(
      await pulumi.run(["up", "--yes", "--stack", "provider"], { cwd: projectDir }),
      0,
      "pulumi up",
    );
    expect(emulator.policy.state).toBe("enabled");
    const exported = await pulumi.run(["stack", "export", "--stack", "provider"], { cwd: projectDir });
    expectStatus(exported, 0, "pulumi stack export");
    expect(exported.stdout).not.toContain("__provider");
    expect(exported.stdout).not.toContain("exports.handler");
    const resources: { urn: string; type: string; inputs?: Record<string, unknown>; provider?: string }[] =
      JSON.parse(exported.stdout).deployment.resources;
    const provider = resources.find((r) => r.type === "pulumi:providers:entra-tap")!;
    expect(provider.inputs).toMatchObject({ version: providerVersion });
    expect(resources.find((r) => r.type === temporaryAccessPassPolicyType)!.provider).toContain(provider.urn);
  });

  it("runs at destroy the delete logic of the plugin as it is then, not as it was at up", async () => {
    writePlugin("second");
    expectStatus(
      await pulumi.run(["destroy", "--yes", "--stack", "provider"], { cwd: projectDir }),
      0,
      "pulumi destroy",
    );
    expect(deletes()).toEqual(["second tap-policy"]);
    // onDestroy: restore, by the plugin's own delete: the tenant's policy as found.
    expect(emulator.policy.state).toBe("disabled");
  });

  it("imports the tenant's policy with pulumi import, which the next up takes as its own and destroy restores", async () => {
    const found: EmulatedTapPolicy = { ...microsoftDefaultTapPolicy(), state: "enabled", defaultLength: 12 };
    emulator.policy = structuredClone(found);
    emulator.requests.length = 0;
    const inProject = { cwd: projectDir };
    const imported = await pulumi.run(
      [
        "import",
        temporaryAccessPassPolicyType,
        "tap-policy",
        tapPolicyId,
        "--generate-code=false",
        "--yes",
        "--stack",
        "provider",
      ],
      inProject,
    );
    expectStatus(imported, 0, "pulumi import");
    expect(emulator.writes()).toEqual([]);
    const up = await pulumi.run(["up", "--yes", "--stack", "provider"], inProject);
    expectStatus(up, 0, "pulumi up after the import");
    // The imported policy is the program's (aliased from the stack's root): updated in place, never adopted again.
    expect(up.stdout).toMatch(/~ 1 updated/);
    expect(up.stdout).not.toMatch(/deleted/);
    expect(emulator.policy.defaultLength).toBe(declaredPolicy.defaultLength);
    expectStatus(
      await pulumi.run(["destroy", "--yes", "--stack", "provider"], inProject),
      0,
      "pulumi destroy",
    );
    expect(emulator.policy).toMatchObject({ state: "enabled", defaultLength: 12 });
  });
});
