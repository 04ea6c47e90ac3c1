// The fleet as the workflows' matrices: every stack and each deploy wave, in chunks a matrix can hold, each stack
// with its stack file's tenant and subscription; a stack file that cannot be one refused, naming it.
import * as fs from "node:fs";
import * as path from "node:path";
import { chunked, fleetMatrices, githubOutputLines, matrixLimit } from "../../../scripts/fleet/matrix";
import { runFleetMatrix } from "../../../scripts/fleetMatrix";
import { makeTempDir } from "../../support/tempDirs";

const projectDir = path.resolve(__dirname, "../../..");
const tenant = (i: number) => `0000000${i % 10}-0000-4000-8000-000000000000`;

describe("chunked", () => {
  it("keeps the order, fills every chunk but the last, and gives none for none", () => {
    const items = Array.from({ length: 600 }, (_, i) => i);
    const chunks = chunked(items, matrixLimit);
    expect(chunks.map((c) => c.length)).toEqual([256, 256, 88]);
    expect(chunks.flat()).toEqual(items);
    expect(chunked([], matrixLimit)).toEqual([]);
  });
});

describe("fleetMatrices", () => {
  it("lists every stack, and each wave on its own, each stack with its tenant and subscription", () => {
    const stacks = Array.from({ length: 300 }, (_, i) => ({
      stack: `t${i}`,
      tenantId: tenant(i),
      subscriptionId: tenant(i + 1),
      wave: i < 3 ? ("canary" as const) : ("rest" as const),
    }));
    const matrices = fleetMatrices(stacks);
    expect(matrices.all.map((c) => c.length)).toEqual([256, 44]);
    expect(matrices.canary).toEqual([
      [0, 1, 2].map((i) => ({ stack: `t${i}`, tenantId: tenant(i), subscriptionId: tenant(i + 1) })),
    ]);
    expect(matrices.rest.flat().map((s) => s.stack)).toEqual(stacks.slice(3).map((s) => s.stack));
    // The wave is the workflow's to choose by the output's name: it is not in a job's entry.
    expect(matrices.all[0][0]).not.toHaveProperty("wave");
  });

  it("is printed as one line of JSON per output, as $GITHUB_OUTPUT reads them", () => {
    const lines = githubOutputLines(
      fleetMatrices([{ stack: "dev", tenantId: tenant(1), subscriptionId: tenant(2), wave: "canary" }]),
    );
    expect(lines.split("\n")).toEqual([
      `all=[[{"stack":"dev","tenantId":"${tenant(1)}","subscriptionId":"${tenant(2)}"}]]`,
      `canary=[[{"stack":"dev","tenantId":"${tenant(1)}","subscriptionId":"${tenant(2)}"}]]`,
      "rest=[]",
      "",
    ]);
  });
});

describe("npm run fleet-matrix", () => {
  let dir: string;
  const stackFile = (stack: string, config: Record<string, string>) =>
    fs.writeFileSync(
      path.join(dir, `Pulumi.${stack}.yaml`),
      `config:\n${Object.entries(config)
        .map(([key, value]) => `  ${key}: ${JSON.stringify(value)}\n`)
        .join("")}`,
    );
  const run = async (argv: string[] = []) => {
    const out = { stdout: "", stderr: "" };
    const code = await runFleetMatrix(argv, {
      stdout: (text) => (out.stdout += text),
      stderr: (text) => (out.stderr += text),
      env: {},
      projectDir: dir,
    });
    return { code, ...out };
  };
  const signIn = (i: number) => ({
    "entra-tap:tenantId": tenant(i),
    "azure-native:subscriptionId": tenant(i + 5),
  });

  beforeEach(() => {
    dir = makeTempDir("entra-tap-fleet-matrix-");
    fs.copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  });

  it("lists the stack files' stacks by wave, a stack naming none with the rest", async () => {
    stackFile("contoso", { ...signIn(1), "entra-tap:wave": "canary" });
    stackFile("fabrikam", signIn(2));
    stackFile("northwind", { ...signIn(3), "entra-tap:wave": "rest" });
    const { code, stdout } = await run();
    expect(code).toBe(0);
    const outputs = Object.fromEntries(
      stdout
        .trim()
        .split("\n")
        .map((line) => [line.split("=")[0], JSON.parse(line.slice(line.indexOf("=") + 1))]),
    );
    const names = (chunks: { stack: string }[][]) => chunks.flat().map((s) => s.stack);
    expect([names(outputs.all), names(outputs.canary), names(outputs.rest)]).toEqual([
      ["contoso", "fabrikam", "northwind"],
      ["contoso"],
      ["fabrikam", "northwind"],
    ]);
    expect(outputs.all[0][1]).toEqual({ stack: "fabrikam", tenantId: tenant(2), subscriptionId: tenant(7) });
    expect((await run(["--stacks", "north*"])).stdout).toContain('rest=[[{"stack":"northwind"');
  });

  it("refuses a stack file that cannot be in the fleet, naming each file, key and value, and prints nothing", async () => {
    stackFile("good", signIn(1));
    stackFile("no-tenant", { "azure-native:subscriptionId": tenant(1) });
    stackFile("no-subscription", { "entra-tap:tenantId": tenant(1) });
    stackFile("bad-wave", { ...signIn(1), "entra-tap:wave": "first" });
    stackFile("bad$(name)", signIn(1));
    const { code, stdout, stderr } = await run();
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toContain(
      'Pulumi.bad-wave.yaml: entra-tap:wave: "first" is not allowed; expected one of "canary", "rest"',
    );
    expect(stderr).toMatch(/Pulumi\.no-tenant\.yaml: entra-tap:tenantId: .*the tenant's id \(a GUID\)/);
    expect(stderr).toMatch(
      /Pulumi\.no-subscription\.yaml: azure-native:subscriptionId: .*a subscription in the stack's tenant/,
    );
    expect(stderr).toContain(
      'Pulumi.bad$(name).yaml: not a stack name; allowed: letters, digits, "-", "_" and "."',
    );
    expect(stderr).not.toContain("Pulumi.good.yaml");
  });

  it("refuses a glob no stack file matches (exit 2)", async () => {
    stackFile("good", signIn(1));
    expect(await run(["--stacks", "nope-*"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--stacks "nope-*": no stack file matches'),
    });
  });
});
