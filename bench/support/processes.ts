// Runs a measured command in a child process: wall time from the parent, peak RSS from /usr/bin/time when the machine
// has it (GNU time's %M: the largest resident set of the command and its children, in KB).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const projectDir = path.resolve(__dirname, "../..");
const gnuTime = "/usr/bin/time";
export const hasGnuTime = fs.existsSync(gnuTime);
/** Node and tsx's command line, as `npm run plan` starts a script (tsx, on node_modules/.bin's Node). */
const tsxCli = require.resolve("tsx/cli");

export interface Measured {
  wallMs: number;
  /** Peak resident set size in MB; undefined without /usr/bin/time. */
  peakRssMb: number | undefined;
  status: number | null;
  /** The command's standard output (kept in a file, not piped through the parent while it is measured). */
  stdout: string;
  stderr: string;
}

/** Runs `tsx <script> <args>` from the project's directory and measures it. */
export async function measureTsx(script: string, args: readonly string[]): Promise<Measured> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-bench-run-"));
  const usageFile = path.join(dir, "usage");
  const stdoutFile = path.join(dir, "stdout");
  const stderrFile = path.join(dir, "stderr");
  const command = [process.execPath, tsxCli, script, ...args];
  const argv = hasGnuTime ? [gnuTime, "-f", "%M", "-o", usageFile, ...command] : command;
  const out = fs.openSync(stdoutFile, "w");
  const err = fs.openSync(stderrFile, "w");
  const started = performance.now();
  const status = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: projectDir, stdio: ["ignore", out, err] });
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  const wallMs = performance.now() - started;
  fs.closeSync(out);
  fs.closeSync(err);
  const usage = hasGnuTime ? fs.readFileSync(usageFile, "utf8").trim().split("\n").pop() : undefined;
  const measured: Measured = {
    wallMs,
    peakRssMb: usage && /^\d+$/.test(usage) ? Number(usage) / 1024 : undefined,
    status,
    stdout: fs.readFileSync(stdoutFile, "utf8"),
    stderr: fs.readFileSync(stderrFile, "utf8"),
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return measured;
}

/** Runs a measurement script that prints one JSON document on its last line, and returns it. */
export async function runJsonChild<T>(script: string, args: readonly string[]): Promise<T> {
  const result = await measureTsx(script, args);
  const last = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !last.startsWith("{")) {
    throw new Error(
      `${script} ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}`,
    );
  }
  return JSON.parse(last) as T;
}
