// entra-tap as a package in a Pulumi program of its own (README, "Using the components from your own program"): the
// tarball `npm run package` makes, installed with npm into a new TypeScript program, which the real CLI runs with
// its own TypeScript support against the Graph emulator. The program's Pulumi.yaml names the plugin in the package.
// The program sits in a folder of the project (git-ignored) so that the peer dependencies (the Pulumi SDK, azuread,
// azure-native) resolve to the project's, as a program's own would; everything else comes from the package.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { GraphEmulator } from "../support/graphEmulator";
import { testRecipient } from "../support/handoverIdentities";
import { sampleGroups, sandboxUsers, seedSandboxTenant } from "../support/sampleTenant";
import { expectStatus, pulumiWorkspace, type PulumiWorkspace, repoDir } from "./support/pulumiCli";

const consumer = path.join(repoDir, `.package-consumer-${process.pid}`);
let emulator: GraphEmulator;
let pulumi: PulumiWorkspace;

function run(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = pulumi.env,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const program = (
  recipientKey: string,
  now: number,
) => `import { TemporaryAccessGrant, TemporaryAccessPassPolicy } from "entra-tap";

const policy = new TemporaryAccessPassPolicy("tap-policy", {
  state: "enabled",
  minimumLifetimeInMinutes: 60,
  defaultLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 240,
  defaultLength: 16,
  isUsableOnce: true,
  includeTargets: [{ id: "${sampleGroups.contractors.id}" }],
  excludeTargets: [{ id: "${sampleGroups.breakGlass.id}" }],
  onDestroy: "restore",
});

const grant = new TemporaryAccessGrant("contractor-jane-doe", {
  user: "${sandboxUsers.jane.id}",
  groupObjectId: "${sampleGroups.contractors.id}",
  membership: "pim",
  reason: "Data platform migration, phase 2",
  ticket: "CHG-20418",
  requestedBy: "maria.garcia@contoso.com",
  approvedBy: "tom.becker@contoso.com",
  start: "${new Date(now).toISOString()}",
  expiry: "${new Date(now + 8 * 3_600_000).toISOString()}",
  lifetimeInMinutes: 60,
  isUsableOnce: true,
  sealTo: [{ name: "tom.becker@contoso.com", key: "${recipientKey}" }],
  issueAfter: [policy],
});

export const status = grant.tapStatus;
export const sealedTo = grant.sealedTo;
`;

beforeAll(async () => {
  emulator = await GraphEmulator.start();
  seedSandboxTenant(emulator);
  pulumi = pulumiWorkspace(emulator.env());
  fs.mkdirSync(consumer);
});

afterAll(async () => {
  pulumi?.dispose();
  await emulator?.stop();
  fs.rmSync(consumer, { recursive: true, force: true });
});

describe("the entra-tap package in a program of its own, under the real CLI", () => {
  it("installs from its tarball, and the program's up and destroy run the package's plugin", async () => {
    const packed = await run("bash", [path.join(repoDir, "scripts", "package.sh"), consumer], repoDir);
    expectStatus(packed, 0, "npm run package");
    const tarball = packed.stdout.trim();
    expect(path.dirname(tarball)).toBe(consumer);

    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({ name: "platform-team-identity", private: true, main: "index.ts" }),
    );
    fs.writeFileSync(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: "ES2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          esModuleInterop: true,
        },
      }),
    );
    fs.writeFileSync(
      path.join(consumer, "Pulumi.yaml"),
      [
        "name: platform-team-identity",
        "runtime: nodejs",
        "plugins:",
        "  providers:",
        "    - name: entra-tap",
        "      path: ./node_modules/entra-tap/provider",
        "",
      ].join("\n"),
    );
    const approver = await testRecipient("tom.becker@contoso.com");
    fs.writeFileSync(path.join(consumer, "index.ts"), program(approver.key, Date.now()));
    // Peers are the program's (here the project's, one folder up); the package's own dependencies come with it,
    // through the user's own npm settings (the CLI's workspace has an environment of its own).
    const installed = await run(
      "npm",
      [
        "install",
        tarball,
        "--legacy-peer-deps",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--loglevel=error",
      ],
      consumer,
      process.env,
    );
    expectStatus(installed, 0, "npm install <tarball>");
    const manifest = JSON.parse(
      fs.readFileSync(path.join(consumer, "node_modules", "entra-tap", "package.json"), "utf8"),
    );
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual([
      "@pulumi/azure-native",
      "@pulumi/azuread",
      "@pulumi/pulumi",
    ]);
    // Compiled JavaScript only: nothing of the checkout's TypeScript loader is needed to run it.
    expect(fs.existsSync(path.join(consumer, "node_modules", "entra-tap", "provider", "main.ts"))).toBe(
      false,
    );

    expectStatus(await pulumi.run(["stack", "init", "dev"], { cwd: consumer }), 0, "pulumi stack init");
    expectStatus(await pulumi.run(["up", "--stack", "dev", "--yes"], { cwd: consumer }), 0, "pulumi up");
    expect(emulator.policy).toMatchObject({ state: "enabled", defaultLength: 16 });
    const jane = emulator.users.get(sandboxUsers.jane.id)!;
    expect(jane.tap).toBeDefined();
    const outputs = await pulumi.run(["stack", "output", "--json", "--stack", "dev"], { cwd: consumer });
    expect(JSON.parse(outputs.stdout)).toEqual({ status: "issued", sealedTo: ["tom.becker@contoso.com"] });

    expectStatus(
      await pulumi.run(["destroy", "--stack", "dev", "--yes"], { cwd: consumer }),
      0,
      "pulumi destroy",
    );
    expect(emulator.policy).toMatchObject({ state: "disabled" });
    expect(jane.tap).toBeUndefined();
  });
});
