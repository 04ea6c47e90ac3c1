// `npm run review` as a user runs it: a separate process, its streams and exit status, against the emulator; and what
// it refuses before any Graph call, in this process.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { exitCodes, runReview } from "../../../scripts/review";
import { GraphEmulator } from "../../support/graphEmulator";
import { seedSampleTenant, writeStackFile } from "../../support/sampleTenant";

const projectDir = path.resolve(__dirname, "../../..");
const tsxCli = require.resolve("tsx/cli");

let emulator: GraphEmulator;
beforeAll(async () => {
  emulator = await GraphEmulator.start();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

/** Runs the CLI without a terminal (stdin closed), as CI does; the emulator keeps answering meanwhile. */
function reviewProcess(args: string[], env: Record<string, string> = emulator.env()) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [tsxCli, "scripts/review.ts", ...args], {
      cwd: projectDir,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("npm run review (a process)", () => {
  it("prints JSON only on stdout and exits 3 when something needs attention", async () => {
    const file = writeStackFile(seedSampleTenant(emulator));
    const run = await reviewProcess(["--stack", "sample", "--config-file", file, "--json"]);
    expect(run.status).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ stack: "sample", needsAttention: true });
    expect(run.stderr).toBe("");
  });

  it("refuses to revoke without a terminal and without --yes (exit 2), changing nothing", async () => {
    const file = writeStackFile(seedSampleTenant(emulator));
    const run = await reviewProcess(["--stack", "sample", "--config-file", file, "--revoke-undeclared"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Refusing to revoke: no terminal to confirm on");
    expect(emulator.writes()).toEqual([]);
  });
});

describe("npm run review (in this process)", () => {
  it("refuses an endpoint that is neither Graph nor loopback before any call (exit 2)", async () => {
    const file = writeStackFile(seedSampleTenant(emulator));
    const stderr: string[] = [];
    const status = await runReview(["--stack", "sample", "--config-file", file], {
      stdout: () => undefined,
      stderr: (text) => stderr.push(text),
      env: { ENTRA_TAP_GRAPH_ENDPOINT: "https://graph.example.com" },
      stdinIsTTY: false,
      confirm: async () => false,
    });
    expect(status).toBe(exitCodes.usage);
    expect(stderr.join("")).toMatch(
      /^Stack "sample" cannot be reviewed:\n {2}ENTRA_TAP_GRAPH_ENDPOINT="https:\/\/graph\.example\.com" is not allowed/,
    );
    expect(emulator.requests).toEqual([]);
  });
});
