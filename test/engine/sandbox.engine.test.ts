// The README's sandbox walk-through, as a user runs it: `npm run sandbox` in one shell; in another, its env file
// sourced, the real Pulumi CLI and entra-tap's commands against the sandbox's tenant: up, handover, review, revoke,
// drift put back, destroy; then Ctrl-C.
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  expectStatus,
  pulumiWorkspace,
  type PulumiWorkspace,
  repoDir,
  runProjectScript,
} from "./support/pulumiCli";
import { sandboxUsers } from "../support/sampleTenant";
import { tapPolicyPath } from "../support/graphEmulator";

const stack = `sandbox-engine-${process.pid}`;
const tsx = path.join(repoDir, "node_modules", ".bin", "tsx");
let pulumi: PulumiWorkspace;
let sandbox: ChildProcess;
let sandboxStderr = "";
let env: Record<string, string>;

/** A request to the sandbox's Graph (`pathname` from the version on), as any client of the tenant sends it. */
async function graph(
  method: string,
  pathname: string,
  body?: unknown,
): Promise<{ [key: string]: unknown; value?: unknown[] } | undefined> {
  const response = await fetch(`${env.ENTRA_TAP_GRAPH_ENDPOINT}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${env.ENTRA_TAP_GRAPH_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status === 204 ? undefined : ((await response.json()) as { value?: unknown[] });
}

/** The passes Graph holds for a user. */
const passesOf = async (userId: string) =>
  (await graph("GET", `/v1.0/users/${userId}/authentication/temporaryAccessPassMethods`))?.value;

beforeAll(async () => {
  pulumi = pulumiWorkspace({});
  sandbox = spawn(tsx, [path.join(repoDir, "scripts", "demo", "sandbox.ts"), "--stack", stack], {
    cwd: repoDir,
    env: pulumi.env,
  });
  sandbox.stderr!.on("data", (chunk: Buffer) => (sandboxStderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    let stdout = "";
    sandbox.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("Ctrl-C stops it.")) resolve();
    });
    sandbox.once("exit", (code) => reject(new Error(`sandbox exited ${code}: ${stdout}${sandboxStderr}`)));
  });
  // `source .sandbox/<stack>/env`
  const file = fs.readFileSync(path.join(repoDir, ".sandbox", stack, "env"), "utf8");
  env = Object.fromEntries([...file.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
  Object.assign(pulumi.env, env);
});

afterAll(() => {
  sandbox?.kill("SIGKILL");
  pulumi?.dispose();
  fs.rmSync(path.join(repoDir, `Pulumi.${stack}.yaml`), { force: true });
  fs.rmSync(path.join(repoDir, ".sandbox", stack), { recursive: true, force: true });
});

describe("the sandbox walk-through under the real CLI", () => {
  it("up issues Jane's pass through PIM, and handover opens it with the sandbox's key", async () => {
    expectStatus(await pulumi.run(["up", "--stack", stack, "--yes"], { cwd: repoDir }), 0, "pulumi up");
    expect(await graph("GET", tapPolicyPath)).toMatchObject({
      state: "enabled",
      maximumLifetimeInMinutes: 240,
    });
    expect(await passesOf(sandboxUsers.jane.id)).toHaveLength(1);

    const handover = await runProjectScript(pulumi, "handover.ts", [
      "--stack",
      stack,
      "--grant",
      "contractor-jane-doe",
      "--to-pipe",
    ]);
    expectStatus(handover, 0, "npm run handover");
    expect(handover.stdout).toMatch(/passcode: +\S{16}\n/);
  });

  it("review finds Mallory's undeclared pass and revokes it", async () => {
    const review = await runProjectScript(pulumi, "review.ts", ["--stack", stack]);
    expectStatus(review, 3, "npm run review");
    expect(review.stdout).toMatch(/mallory\.miller@contoso\.com +│ usable.*│ undeclared/);
    const revoke = await runProjectScript(pulumi, "review.ts", [
      "--stack",
      stack,
      "--revoke-undeclared",
      "--yes",
    ]);
    // Still 3: Mallory's membership of the group, which no grant explains, is for a person to keep or remove.
    expectStatus(revoke, 3, "npm run review --revoke-undeclared");
    expect(revoke.stdout).toContain("mallory.miller@contoso.com: sessions revoked, pass deleted");
    expect(await passesOf(sandboxUsers.mallory.id)).toEqual([]);
  });

  it("preview --refresh shows a change made outside Pulumi, and up --refresh puts the declared value back", async () => {
    await graph("PATCH", tapPolicyPath, {
      "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
      maximumLifetimeInMinutes: 480,
    });
    const preview = await pulumi.run(["preview", "--refresh", "--diff", "--stack", stack], { cwd: repoDir });
    expectStatus(preview, 0, "pulumi preview --refresh");
    expect(preview.stdout).toContain("maximumLifetimeInMinutes: 240 => 480");
    // A preview records nothing: up reads the drift again (--refresh) and puts the declared value back.
    const up = await pulumi.run(["up", "--refresh", "--stack", stack, "--yes"], { cwd: repoDir });
    expectStatus(up, 0, "pulumi up --refresh");
    expect(await graph("GET", tapPolicyPath)).toMatchObject({ maximumLifetimeInMinutes: 240 });
  });

  it("destroy removes the pass and puts back the policy found; Ctrl-C stops the sandbox", async () => {
    expectStatus(
      await pulumi.run(["destroy", "--stack", stack, "--yes"], { cwd: repoDir }),
      0,
      "pulumi destroy",
    );
    expect(await passesOf(sandboxUsers.jane.id)).toEqual([]);
    expect(await graph("GET", tapPolicyPath)).toMatchObject({ state: "disabled" });

    const exited = new Promise<number | null>((resolve) => sandbox.once("exit", (code) => resolve(code)));
    sandbox.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(sandboxStderr).toContain("Sandbox stopped");
  });
});
