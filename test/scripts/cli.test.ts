// The commands' frame (scripts/cli.ts): the one table of exit statuses, which the README states and `--help` shows;
// errors shown masked and neutralised; a stack's config read one way; and an entry point run as a user runs it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  type CommandName,
  exitCodes,
  exitStatuses,
  exitStatusSentence,
  readStackConfig,
  runCommand,
  shownError,
} from "../../scripts/cli";
import { makeTempDir } from "../support/tempDirs";

const projectDir = path.resolve(__dirname, "../..");
const commands: CommandName[] = [
  "plan",
  "review",
  "export",
  "handover",
  "new-stack",
  "sandbox",
  "due",
  "fleet",
  "fleet-matrix",
];

describe("the exit statuses", () => {
  it("are stated in the README exactly as the table holds them, one sentence per command", () => {
    const readme = fs.readFileSync(path.join(projectDir, "README.md"), "utf8").replace(/\s+/g, " ");
    const stated = [...readme.matchAll(/Exit status: .*?\.(?= |$)/g)].map((m) => m[0]);
    expect(stated.sort()).toEqual(commands.map(exitStatusSentence).sort());
  });

  it("name each code once per command, and a shared name is the same code everywhere", () => {
    for (const command of commands) {
      const codes = Object.values(exitCodes[command]);
      expect(new Set(codes).size).toBe(codes.length);
    }
    expect(new Set(commands.map((c) => exitCodes[c].ok))).toEqual(new Set([0]));
    expect(new Set(commands.map((c) => exitCodes[c].usage))).toEqual(new Set([2]));
    expect([
      exitCodes.review.failed,
      exitCodes.export.failed,
      exitCodes.handover.failed,
      exitCodes["new-stack"].failed,
    ]).toEqual([1, 1, 1, 1]);
    expect(exitCodes.plan.violations).toBe(1);
    expect(exitCodes.review.attention).toBe(3);
    expect(Object.keys(exitStatuses).sort()).toEqual([...commands].sort());
  });
});

describe("shownError", () => {
  it("masks what looks like a secret and escapes control and bidirectional characters", () => {
    const shown = shownError(
      new Error(
        "group \u202eevil\nName: failed with Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
      ),
    );
    expect(shown).toContain("\\u202eevil\\nName");
    expect(shown).not.toContain("eyJhbGci");
    expect(shown).not.toMatch(/[\n\u202e]/);
  });
});

describe("runCommand", () => {
  const spec = (command: CommandName) => ({
    command,
    description: "a test command",
    stackHelp: "the stack",
    configFileHelp: "the file",
    options: (program: import("commander").Command) => program,
  });

  it("shows an error the steps did not expect, masked, and gives the command's status for it", async () => {
    for (const [command, code] of [
      ["plan", exitCodes.plan.usage],
      ["review", exitCodes.review.failed],
      ["export", exitCodes.export.failed],
    ] as const) {
      const stderr: string[] = [];
      const status = await runCommand(
        spec(command),
        ["--stack", "dev"],
        { stdout: () => undefined, stderr: (t) => stderr.push(t), env: {} },
        async () => {
          throw new Error("boom\u001b[2J with client_secret=abcdefghijklmnopqrstuvwxyz0123456789");
        },
      );
      expect(status).toBe(code);
      expect(stderr.join("")).toMatch(/^boom\\x1b\[2J /);
      expect(stderr.join("")).not.toContain("abcdefghijklmnop");
    }
  });

  it("gives 0 for --help and 2 for a refused argument, without running the steps", async () => {
    let ran = false;
    const run = (...argv: string[]) =>
      runCommand(
        spec("review"),
        argv,
        { stdout: () => undefined, stderr: () => undefined, env: {} },
        async () => {
          ran = true;
          return 0;
        },
      );
    expect(await run("--help")).toBe(0);
    expect(await run("--stack", "a b")).toBe(2);
    expect(await run()).toBe(2);
    expect(ran).toBe(false);
  });
});

describe("readStackConfig", () => {
  it("names the flag that named a file it cannot read, and validates at the instant given", () => {
    expect(readStackConfig({ stack: "nope" }, 0)).toEqual({
      file: path.join(projectDir, "Pulumi.nope.yaml"),
      problems: [`--stack nope: no stack config file ${path.join(projectDir, "Pulumi.nope.yaml")}`],
    });
    const file = path.join(makeTempDir("entra-tap-cli-"), "Pulumi.x.yaml");
    expect(readStackConfig({ stack: "x", configFile: file }, 0)).toMatchObject({
      problems: [expect.stringMatching(/^--config-file .*Pulumi\.x\.yaml: no stack config file /)],
    });
    const dev = readStackConfig({ stack: "dev" }, Date.parse("2027-11-26T22:00:00Z"));
    expect("config" in dev && dev.config.grants.length).toBe(3);
  });
});

describe("the entry points", () => {
  it("run as a user runs them: npm run export -- --help, exit 0", () => {
    const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), "scripts/export.ts", "--help"], {
      cwd: projectDir,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(result.status).toBe(exitCodes.export.ok);
    expect(result.stdout.replace(/\s+/g, " ")).toContain(exitStatusSentence("export"));
  });
});
