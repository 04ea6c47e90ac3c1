// `npm run sandbox`: the tenant it serves, the stack it writes (valid as the program reads it), the environment it
// hands over without printing the token, its refusals, and its stop (the real CLI's walk-through:
// test/engine/sandbox.engine.test.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { checkStackConfig } from "../../../scripts/cli";
import {
  runSandbox,
  sandboxExitCodes,
  sandboxFileMarker,
  type SandboxIo,
} from "../../../scripts/demo/sandbox";
import { readStackFile } from "../../../scripts/stackFile";
import { makeTempDir } from "../../support/tempDirs";

const now = Date.parse("2026-12-03T10:17:42Z");

/** A project folder, and a sandbox run in it whose `pulumi` is answered by `answer` and that stops when told. */
function sandboxIn(answer = { status: 0, stdout: "Created stack\n", stderr: "" }) {
  const dir = makeTempDir("entra-tap-sandbox-");
  const calls: { args: string[]; env: NodeJS.ProcessEnv }[] = [];
  const run = { stdout: "", stderr: "" };
  let stop = () => {};
  let resolveReady = () => {};
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const io: SandboxIo = {
    stdout: (text) => {
      run.stdout += text;
      if (text.startsWith("Sandbox ready")) resolveReady();
    },
    stderr: (text) => (run.stderr += text),
    env: { PATH: "" },
    now: () => now,
    cwd: dir,
    pulumi: async (args, _cwd, env) => {
      calls.push({ args, env });
      return answer;
    },
    stopped: () => new Promise<void>((resolve) => (stop = resolve)),
  };
  return { dir, io, run, calls, ready, stop: () => stop() };
}

/** The exports of the env file the sandbox wrote. */
function envFile(file: string): Record<string, string> {
  return Object.fromEntries(
    [...fs.readFileSync(file, "utf8").matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]),
  );
}

describe("npm run sandbox", () => {
  it("serves a tenant, writes a stack the program accepts, and stops cleanly", async () => {
    const sandbox = sandboxIn();
    const exit = runSandbox([], sandbox.io);
    await sandbox.ready;
    const file = path.join(sandbox.dir, "Pulumi.sandbox.yaml");
    expect(fs.readFileSync(file, "utf8").startsWith(sandboxFileMarker)).toBe(true);
    // Valid as the program and the plan read it, at the instant it was written.
    const checked = checkStackConfig(readStackFile(file), now);
    expect("problems" in checked ? checked.problems : []).toEqual([]);

    const env = envFile(path.join(sandbox.dir, ".sandbox", "sandbox", "env"));
    expect(fs.statSync(path.join(sandbox.dir, ".sandbox", "sandbox", "env")).mode & 0o777).toBe(0o600);
    expect(env).toMatchObject({
      PULUMI_BACKEND_URL: `file://${path.join(sandbox.dir, ".sandbox", "sandbox", "backend")}`,
      SOPS_AGE_KEY_FILE: path.join(sandbox.dir, ".sandbox", "sandbox", "approver-identity.txt"),
    });
    // The stack is made in the sandbox's own backend.
    expect(sandbox.calls.map((c) => c.args)).toEqual([["stack", "init", "sandbox", "--non-interactive"]]);
    expect(sandbox.calls[0].env).toMatchObject({ PULUMI_BACKEND_URL: env.PULUMI_BACKEND_URL });
    // The tenant answers at the endpoint handed over, with the token handed over, which is never printed.
    const policy = await fetch(
      `${env.ENTRA_TAP_GRAPH_ENDPOINT}/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass`,
      { headers: { authorization: `Bearer ${env.ENTRA_TAP_GRAPH_TOKEN}` } },
    );
    expect(await policy.json()).toMatchObject({ state: "disabled" });
    expect(sandbox.run.stdout + sandbox.run.stderr).not.toContain(env.ENTRA_TAP_GRAPH_TOKEN);

    sandbox.stop();
    expect(await exit).toBe(sandboxExitCodes.ok);
    await expect(fetch(env.ENTRA_TAP_GRAPH_ENDPOINT)).rejects.toThrow();
  });

  it("starts anew over a sandbox file it wrote, and leaves any other file alone", async () => {
    const sandbox = sandboxIn();
    const file = path.join(sandbox.dir, "Pulumi.sandbox.yaml");
    fs.writeFileSync(file, `${sandboxFileMarker} earlier\nconfig: {}\n`);
    const exit = runSandbox([], sandbox.io);
    await sandbox.ready;
    sandbox.stop();
    expect(await exit).toBe(sandboxExitCodes.ok);
    expect(fs.readFileSync(file, "utf8")).toContain("contractor-jane-doe");

    const other = sandboxIn();
    const theirs = path.join(other.dir, "Pulumi.sandbox-mine.yaml");
    fs.writeFileSync(theirs, "config: {}\n");
    expect(await runSandbox(["--stack", "sandbox-mine"], other.io)).toBe(sandboxExitCodes.usage);
    expect(other.run.stderr).toContain("was not written by the sandbox");
    expect(fs.readFileSync(theirs, "utf8")).toBe("config: {}\n");
    expect(other.calls).toEqual([]);
  });

  it.each([
    [["--stack", "prod"], '--stack "prod": allowed: a name starting with "sandbox"'],
    [["--port", "70000"], '--port "70000": allowed: an integer from 0 to 65535'],
  ])("refuses %j before anything starts", async (argv, message) => {
    const sandbox = sandboxIn();
    expect(await runSandbox(argv, sandbox.io)).toBe(sandboxExitCodes.usage);
    expect(sandbox.run.stderr).toContain(message);
    expect(fs.existsSync(path.join(sandbox.dir, ".sandbox"))).toBe(false);
  });

  it("stops the emulator and says how to get a CLI when pulumi stack init fails", async () => {
    const sandbox = sandboxIn({ status: 1, stdout: "", stderr: "spawn pulumi ENOENT" });
    expect(await runSandbox([], sandbox.io)).toBe(sandboxExitCodes.failed);
    expect(sandbox.run.stderr).toContain("pulumi stack init sandbox failed (exit 1): spawn pulumi ENOENT");
    expect(sandbox.run.stderr).toContain("bash scripts/pulumi-cli.sh");
    const env = envFile(path.join(sandbox.dir, ".sandbox", "sandbox", "env"));
    await expect(fetch(env.ENTRA_TAP_GRAPH_ENDPOINT)).rejects.toThrow();
  });
});
