// The offline plan's text and JSON output, through npm too, and what it says of a grant ended or a stack missing.
import { spawnSync } from "node:child_process";
import { devStackConfig, plan, projectDir, stackFile } from "./plan.support";

describe("npm run plan", () => {
  it("says in its text what it is and what it is not", () => {
    const result = plan("--stack", "dev", "--at", "2027-11-26T22:00:00Z");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("  entra-tap:graph:TemporaryAccessPassPolicy  tap-policy\n");
    expect(result.stdout).toContain("not a diff against the live tenant");
    expect(result.stdout).toContain(
      "  entra-tap:graph:UserTemporaryAccessPass  contractor-jane-doe-tap\n      temporaryAccessPass: [secret] (output, known after apply)\n",
    );
  });

  it("refuses, as preview refuses it, a new stack whose grant has already ended, and says this depends on state", () => {
    // The dev stack copied into a new stack after a grant's expiry: the pass's check refuses a grant already over.
    const result = plan("--stack", "dev", "--json", "--at", "2027-11-29T00:00:00Z");
    expect(result.status).toBe(2);
    const output = JSON.parse(result.stdout);
    expect(output.errors).toEqual([
      'support-ahmed-khan-tap: temporaryAccessPass.grantExpiry: "2027-11-28T17:00:00Z" has passed; a new grant must end in the future',
    ]);
    expect(output.warnings).toEqual([
      expect.stringMatching(
        /^support-ahmed-khan-tap: refused as a new resource, .* a stack that already holds support-ahmed-khan-tap accepts it/,
      ),
    ]);
    const text = plan("--stack", "dev", "--at", "2027-11-29T00:00:00Z");
    expect(text.status).toBe(2);
    expect(text.stderr).toContain("warning: support-ahmed-khan-tap: refused as a new resource");
  });

  it("prints JSON only on stdout when run through npm as the README says", () => {
    const result = spawnSync(
      "npm",
      ["run", "plan", "--", "--stack", "dev", "--json", "--at", "2027-11-26T22:00:00Z"],
      {
        cwd: projectDir,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
      },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).stack).toBe("dev");
  });

  it("warns of nothing for a stack without monitoring (no undefined stack output)", () => {
    const { "entra-tap:monitoring": _monitoring, ...config } = devStackConfig();
    const result = plan(
      "--stack",
      "test",
      "--config-file",
      stackFile(config),
      "--at",
      "2027-11-26T22:00:00Z",
    );
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/Undefined value/);
    expect(result.stdout).not.toContain("azure-native:monitor:ScheduledQueryRule");
  });

  it("names a missing stack file and exits 2", () => {
    const result = plan("--stack", "nope");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("no stack config file");
    expect(result.stderr).toContain("Pulumi.nope.yaml");
  });
});
