// `npm run new-stack` with the real Pulumi CLI on a fresh backend: the README's first tenant step. The new stack's
// file is the example's text after the secrets-provider settings the CLI wrote, the example is left as it was, and
// the CLI reads the new stack's config and takes a secret into it.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeTempDir } from "../support/tempDirs";
import { expectStatus, pulumiWorkspace, type PulumiWorkspace, repoDir } from "./support/pulumiCli";

let pulumi: PulumiWorkspace;
let project: string;

function newStack(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(repoDir, "node_modules", ".bin", "tsx"),
      [path.join(repoDir, "scripts", "newStack.ts"), ...args],
      { cwd: project, env: pulumi.env },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  pulumi = pulumiWorkspace({});
  // The project as a user clones it: its Pulumi.yaml and the example stack file.
  project = makeTempDir("entra-tap-new-stack-");
  for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml"])
    fs.copyFileSync(path.join(repoDir, file), path.join(project, file));
});

afterAll(() => pulumi?.dispose());

describe("npm run new-stack under the real CLI", () => {
  it("makes the stack in a fresh backend, with the example's comments and order, its own salt", async () => {
    const example = fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8");
    const made = await newStack(["--stack", "prod"]);
    expectStatus(made, 0, "npm run new-stack");
    const file = fs.readFileSync(path.join(project, "Pulumi.prod.yaml"), "utf8");
    const [first, ...rest] = file.split("\n");
    expect(first).toMatch(/^encryptionsalt: v1:/);
    expect(rest.join("\n")).toBe(example);
    expect(fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8")).toBe(example);
    // The CLI reads the new stack's config, and takes a secret into it with the new stack's own provider.
    const config = await pulumi.run(["config", "--stack", "prod", "--json"], { cwd: project });
    expectStatus(config, 0, "pulumi config");
    expect(Object.keys(JSON.parse(config.stdout))).toEqual(
      expect.arrayContaining(["entra-tap:policy", "entra-tap:grants", "entra-tap:handover"]),
    );
    const url = "https://hooks.example/soar?sig=engine-secret";
    const key = "entra-tap:monitoring.actionGroup.webhooks[0].url";
    expectStatus(
      await pulumi.run(["config", "set", "--secret", "--path", key, url, "--stack", "prod"], {
        cwd: project,
      }),
      0,
      "pulumi config set --secret",
    );
    expect(fs.readFileSync(path.join(project, "Pulumi.prod.yaml"), "utf8")).not.toContain(url);
    const read = await pulumi.run(["config", "get", "--path", key, "--stack", "prod"], { cwd: project });
    expect(read.stdout.trim()).toBe(url);
  });

  it("refuses a second stack of the same name: the file exists (exit 2)", async () => {
    const again = await newStack(["--stack", "prod"]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/Pulumi\.prod\.yaml exists/);
  });
});
