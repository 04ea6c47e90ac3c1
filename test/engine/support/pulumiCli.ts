// Runs the real Pulumi CLI for the engine suite: a local file backend, a passphrase secrets provider with a test
// passphrase, its own PULUMI_HOME, no update check and no plugin downloads, and the Graph emulator as Graph.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const repoDir = path.resolve(__dirname, "../../..");
export const programDir = path.resolve(__dirname, "../program");
const testPassphrase = "entra-tap engine suite passphrase";

/** The `pulumi` on PATH when there is one (a user's own CLI); otherwise the one scripts/pulumi-cli.sh built. */
function pulumiBinDir(): string {
  const onPath = (process.env.PATH ?? "")
    .split(path.delimiter)
    .find((dir) => dir !== "" && fs.existsSync(path.join(dir, "pulumi")));
  if (onPath) return onPath;
  const built = path.join(repoDir, ".tools", "bin");
  if (!fs.existsSync(path.join(built, "pulumi"))) {
    throw new Error(
      "no pulumi on PATH and none built: run `bash scripts/pulumi-cli.sh` (npm run test:engine does)",
    );
  }
  return built;
}

export interface PulumiResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface PulumiWorkspace {
  /** Runs `pulumi <args>` in the program's folder; never throws on a non-zero exit. */
  run(args: string[], options?: { cwd?: string; input?: string }): Promise<PulumiResult>;
  /** The file backend's folder (state files live below it). */
  backendDir: string;
  env: NodeJS.ProcessEnv;
  dispose(): void;
}

/** A fresh backend and PULUMI_HOME in a temporary folder; `graphEnv` points the providers at the emulator. */
export function pulumiWorkspace(graphEnv: Record<string, string>): PulumiWorkspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-engine-"));
  const backendDir = path.join(root, "backend");
  fs.mkdirSync(backendDir);
  const binDir = pulumiBinDir();
  const env: NodeJS.ProcessEnv = {
    PATH: [binDir, path.join(repoDir, "node_modules", ".bin"), process.env.PATH ?? ""].join(path.delimiter),
    HOME: root,
    PULUMI_HOME: path.join(root, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: testPassphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    NO_COLOR: "1",
    ...graphEnv,
  };
  return {
    backendDir,
    env,
    run: (args, options = {}) =>
      new Promise((resolve) => {
        const child = execFile(
          path.join(binDir, "pulumi"),
          [...args, "--non-interactive", "--color", "never"],
          { cwd: options.cwd ?? programDir, env, maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 },
          (error, stdout, stderr) => {
            const status = error ? (typeof error.code === "number" ? error.code : 1) : 0;
            resolve({ status, stdout, stderr });
          },
        );
        if (options.input !== undefined) child.stdin?.end(options.input);
      }),
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Fails with the command's output when it did not exit as expected, so a failing step shows why. */
export function expectStatus(result: PulumiResult, status: number, what: string): void {
  if (result.status !== status) {
    throw new Error(
      `${what}: exit ${result.status}, expected ${status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
}

/**
 * `npm run <command>` as the README runs it: the command's script (`script`, under scripts/) through the project's
 * tsx, in the project's folder and the workspace's environment. Never throws on a non-zero exit.
 */
export function runProjectScript(
  workspace: PulumiWorkspace,
  script: string,
  args: string[],
): Promise<PulumiResult> {
  return new Promise((resolve) => {
    execFile(
      path.join(repoDir, "node_modules", ".bin", "tsx"),
      [path.join(repoDir, "scripts", script), ...args],
      { cwd: repoDir, env: workspace.env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
