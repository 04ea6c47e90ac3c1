// `npm run new-stack`: the example's text kept byte for byte around the new stack's secrets-provider settings, and
// every refusal before the backend is touched (the real CLI's part: test/engine/newStack.engine.test.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { exitStatusSentence } from "../../scripts/cli";
import { newStackExitCodes, type NewStackIo, newStackText, runNewStack } from "../../scripts/newStack";
import { makeTempDir } from "../support/tempDirs";

const projectDir = path.resolve(__dirname, "../..");

/** A project folder with Pulumi.yaml and the dev example; `pulumi` answered by `init` (it writes the salt). */
function project(init: (dir: string) => { status: number; stdout: string; stderr: string } = writeSalt) {
  const dir = makeTempDir("entra-tap-new-stack-");
  fs.copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.copyFileSync(path.join(projectDir, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
  const calls: string[][] = [];
  const run = { code: -1, stdout: "", stderr: "" };
  const io: NewStackIo = {
    stdout: (text) => (run.stdout += text),
    stderr: (text) => (run.stderr += text),
    env: {},
    cwd: dir,
    pulumi: async (args) => {
      calls.push(args);
      return init(dir);
    },
  };
  return { dir, io, run, calls };
}

function writeSalt(dir: string) {
  fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "encryptionsalt: v1:c2FsdA==:v1:abc:def\n");
  return { status: 0, stdout: "Created stack 'prod'\n", stderr: "" };
}

describe("npm run new-stack", () => {
  it("writes the example's text as it is, after the settings pulumi stack init wrote", async () => {
    const { dir, io, run, calls } = project();
    run.code = await runNewStack(["--stack", "prod", "--secrets-provider", "passphrase"], io);
    expect(run).toMatchObject({ code: newStackExitCodes.ok, stderr: "" });
    expect(calls).toEqual([
      ["stack", "init", "prod", "--secrets-provider", "passphrase", "--non-interactive"],
    ]);
    const example = fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
    expect(fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8")).toBe(
      `encryptionsalt: v1:c2FsdA==:v1:abc:def\n${example}`,
    );
    expect(run.stdout).toContain("Next: edit Pulumi.prod.yaml");
  });

  it("puts the new stack's settings in place of any the example had", () => {
    const example = "encryptionsalt: v1:old\n# the example\nconfig:\n  a:b: 1\n";
    expect(newStackText(example, "secretsprovider: azurekeyvault://v/keys/k\nencryptedkey: abc\n")).toBe(
      "secretsprovider: azurekeyvault://v/keys/k\nencryptedkey: abc\n# the example\nconfig:\n  a:b: 1\n",
    );
  });

  it.each([
    [
      "an existing file",
      (dir: string) => fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config: {}\n"),
      /Pulumi\.prod\.yaml exists/,
    ],
    [
      "no example",
      (dir: string) => fs.rmSync(path.join(dir, "Pulumi.dev.yaml")),
      /--from dev: no stack file/,
    ],
    [
      "an example holding secrets",
      (dir: string) =>
        fs.appendFileSync(path.join(dir, "Pulumi.dev.yaml"), "  entra-tap:webhook:\n    secure: v1:abc\n"),
      /its file holds secrets \(entra-tap:webhook\)/,
    ],
    ["no Pulumi.yaml", (dir: string) => fs.rmSync(path.join(dir, "Pulumi.yaml")), /no Pulumi\.yaml in /],
  ])("refuses %s before the backend is touched (exit 2)", async (_what, change, message) => {
    const { dir, io, run, calls } = project();
    change(dir);
    run.code = await runNewStack(["--stack", "prod"], io);
    expect(run.code).toBe(newStackExitCodes.usage);
    expect(run.stderr).toMatch(message);
    expect(calls).toEqual([]);
  });

  it("refuses a --from that is not a stack name", async () => {
    const { io, run } = project();
    run.code = await runNewStack(["--stack", "prod", "--from", "../etc"], io);
    expect(run.code).toBe(newStackExitCodes.usage);
    expect(run.stderr).toMatch(/--from "\.\.\/etc": not a stack name/);
  });

  it("fails with the CLI's own message when pulumi stack init fails, leaving no file", async () => {
    const { dir, io, run } = project(() => ({
      status: 255,
      stdout: "",
      stderr: "error: stack 'prod' already exists",
    }));
    run.code = await runNewStack(["--stack", "prod"], io);
    expect(run.code).toBe(newStackExitCodes.failed);
    expect(run.stderr).toBe("pulumi stack init prod failed (exit 255): error: stack 'prod' already exists\n");
    expect(fs.existsSync(path.join(dir, "Pulumi.prod.yaml"))).toBe(false);
  });

  it("documents its flags and exit statuses in --help", async () => {
    const { io, run } = project();
    run.code = await runNewStack(["--help"], io);
    expect(run.code).toBe(newStackExitCodes.ok);
    for (const flag of ["--stack", "--from", "--secrets-provider"]) expect(run.stdout).toContain(flag);
    expect(run.stdout.replace(/\s+/g, " ")).toContain(exitStatusSentence("new-stack"));
  });
});
