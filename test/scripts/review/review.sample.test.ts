// `npm run review` of the sample tenant: each pass's state and grant, the output formats and the exit statuses.
import * as fs from "node:fs";
import * as path from "node:path";
import { exitCodes } from "../../../scripts/review";
import { csvRows } from "../../../scripts/review/renderCsv";
import { GraphEmulator } from "../../support/graphEmulator";
import {
  sampleGrant,
  sampleGroups,
  sampleStackConfig,
  seedSamplePolicy,
  seedSampleTenant,
} from "../../support/sampleTenant";
import { day, hour, json, review, useReviewEmulator } from "./review.support";

let emulator: GraphEmulator;
useReviewEmulator((started) => (emulator = started));

describe("the review of the sample tenant", () => {
  let config: Record<string, unknown>;
  beforeEach(() => {
    config = seedSampleTenant(emulator);
  });

  it("gives every pass its state and the grant that explains it, and exits 3", async () => {
    const run = await review(["--json"], { config });
    expect(run.code).toBe(exitCodes.attention);
    const result = json(run);
    const byUser = Object.fromEntries(result.passes.map((p) => [p.user, p]));
    expect(byUser["jane.doe@contoso.com"]).toMatchObject({
      state: "usable",
      oneTime: true,
      explanation: {
        kind: "grant",
        grant: { name: "contractor-jane-doe", ticket: "CHG-20418", approvedBy: "tom.becker@contoso.com" },
      },
    });
    expect(byUser["sofia.rossi@contoso.com"]).toMatchObject({
      state: "not yet valid",
      explanation: { kind: "grant", grant: { name: "new-hire-sofia-rossi" } },
    });
    expect(byUser["li.wei@contoso.com"]).toMatchObject({ state: "used", explanation: { kind: "grant" } });
    expect(byUser["ahmed.khan@contoso.com"]).toMatchObject({
      state: "expired",
      explanation: { kind: "endedGrant", grant: { name: "support-ahmed-khan" } },
    });
    expect(byUser["mallory.miller@contoso.com"]).toMatchObject({
      state: "usable",
      oneTime: false,
      explanation: { kind: "undeclared" },
    });
    expect(byUser["admin.breakglass1@contoso.onmicrosoft.com"]).toMatchObject({
      excluded: true,
      explanation: { kind: "undeclared" },
    });
    expect(Object.keys(byUser)).not.toContain("alex.wilber@contoso.com");
    // Every declared grant, where it stands and how its membership is held.
    expect(result.grants.map(({ grant, state }) => [grant.name, state, grant.membership])).toEqual([
      ["contractor-jane-doe", "active", "direct"],
      ["new-hire-sofia-rossi", "upcoming", "pim"],
      ["support-li-wei", "active", "direct"],
      ["new-hire-priya-nair", "active", "direct"],
      ["new-hire-kenji-sato", "active", "direct"],
      ["support-ahmed-khan", "ended", "direct"],
    ]);
    expect(result.endedGrants).toEqual([
      {
        grant: expect.objectContaining({ name: "support-ahmed-khan", ticket: "INC-7731" }),
        pass: "still there",
        membership: "still there",
        azureRoles: "not checked (needs Azure Resource Manager)",
      },
    ]);
    expect(result.unexplainedMembers.map((m) => [m.user, m.groups])).toEqual([
      ["mallory.miller@contoso.com", ["TAP - Contractors"]],
      ["omar.haddad@contoso.com", ["TAP - Support engineers"]],
    ]);
    // Read-only: nothing was changed.
    expect(emulator.writes()).toEqual([]);
  });

  it("shows passes disabled by policy when the policy is off", async () => {
    emulator.policy.state = "disabled";
    const result = json(await review(["--json"], { config }));
    expect(new Set(result.passes.map((p) => p.state))).toEqual(new Set(["disabled by policy"]));
  });

  it("prints tables for people, and never a passcode", async () => {
    const run = await review([], { config });
    expect(run.stdout).toContain('Temporary Access Pass review of stack "sample"');
    expect(run.stdout).toMatch(/│ jane\.doe@contoso\.com\s+│ usable\s+│/);
    expect(run.stdout).toMatch(/│ support-ahmed-khan\s+│ ahmed\.khan@contoso\.com\s+│/);
    expect(run.stdout).toMatch(
      /│ new-hire-sofia-rossi\s+│ sofia\.rossi@contoso\.com\s+│ upcoming\s+│.*│ PIM for Groups \(Entra ends it\)\s+│/,
    );
    expect(run.stdout).toMatch(
      /│ contractor-jane-doe\s+│ jane\.doe@contoso\.com\s+│ active\s+│.*│ direct \(pulumi up ends it\)/,
    );
    expect(run.stdout).toContain(
      "Needs attention: 2 passes no grant declares, 1 pass outlived its grant, 1 bootstrap failed, 1 ended grant still in place, 2 members no grant explains.",
    );
    for (const user of emulator.users.values()) {
      if (user.tap) expect(run.stdout).not.toContain(user.tap.temporaryAccessPass);
    }
    expect(run.stderr).toBe("");
  });

  it("lists whom each pass was sealed to, and says when the stack keeps passcodes in the state too", async () => {
    const grants = config["entra-tap:grants"] as Record<string, unknown>[];
    grants[0].handoverTo = ["lisa.wong@contoso.com", "tom.becker@contoso.com"];
    const sealed = json(await review(["--json"], { config }));
    const jane = sealed.passes.find((p) => p.user === "jane.doe@contoso.com")!;
    expect(jane.explanation).toMatchObject({
      grant: { sealedTo: ["lisa.wong@contoso.com", "tom.becker@contoso.com"], passcodeInState: false },
    });
    const table = await review([], { config });
    expect(table.stdout).toMatch(/Sealed to/);
    config["entra-tap:handover"] = { passcodeInState: true };
    const csv = (await review(["--csv"], { config })).stdout.split("\n");
    expect(csv.find((line) => line.startsWith("pass,jane.doe@contoso.com"))).toContain(
      ",nobody; in the state too (passcodeInState),",
    );
  });

  it("prints Markdown for a CI job summary, escaping what would break a table", async () => {
    const grants = config["entra-tap:grants"] as Record<string, unknown>[];
    grants[0].reason = "Migration | phase <2>";
    const run = await review(["--markdown"], { config });
    expect(run.code).toBe(exitCodes.attention);
    expect(run.stdout).toMatch(/^## Temporary Access Pass review of stack sample\n/);
    expect(run.stdout).toContain("**Needs attention:");
    expect(run.stdout).toContain("| jane.doe@contoso.com | usable |");
    expect(run.stdout).toContain("Migration \\| phase \\<2\\>");
  });

  it("prints CSV: one row per pass, ended grant and unexplained member, formulas kept as text", async () => {
    const grants = config["entra-tap:grants"] as Record<string, unknown>[];
    grants[0].reason = '=HYPERLINK("x")';
    const run = await review(["--csv"], { config });
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "kind,user,userId,state,start,end,oneTime,excluded,grant,reason,ticket,approvedBy,sealedTo,membership,purpose,fulfilledBy,fulfilledAt,finding,detail",
    );
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual([
      ...Array(6).fill("grant"),
      ...Array(9).fill("pass"),
      "ended-grant",
      "unexplained-member",
      "unexplained-member",
    ]);
    expect(lines.find((line) => line.includes("jane.doe@contoso.com"))).toContain(',"\'=HYPERLINK(""x"")",');
  });

  it("says what the CSV's rows are as the README says it, in --help too", async () => {
    const readme = fs.readFileSync(path.join(__dirname, "../../../README.md"), "utf8");
    expect(readme).toContain(`--csv: ${csvRows}`);
    expect((await review(["--help"])).stdout.replace(/\s+/g, " ")).toContain(`CSV: ${csvRows}`);
    const kinds = (await review(["--csv"], { config })).stdout
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0].replace(/-/g, " "));
    for (const kind of new Set(kinds)) expect(csvRows).toContain(kind);
  });

  it("says in the CSV's last columns what needs attention: the finding, and its detail", async () => {
    const run = await review(["--csv"], { config });
    // The sample's findings and details hold no comma, so a row's last two cells are its last two fields.
    const findings = run.stdout
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((line) => {
        const cells = line.split(",");
        return [cells[0], cells[1], ...cells.slice(-2)].join(" | ");
      });
    expect(findings).toEqual(
      expect.arrayContaining([
        "pass | jane.doe@contoso.com |  | ",
        "pass | ahmed.khan@contoso.com | grant ended | ",
        "pass | mallory.miller@contoso.com | undeclared | issued by helpdesk.admin@contoso.com",
        "pass | kenji.sato@contoso.com | bootstrap failed | ",
        "pass | lucas.martin@contoso.com | known issuer | Lifecycle Workflows",
        "ended-grant | ahmed.khan@contoso.com | pass still there; membership still there | " +
          "azure roles not checked (needs Azure Resource Manager)",
        "unexplained-member | omar.haddad@contoso.com | member no grant explains | TAP - Support engineers",
      ]),
    );
  });

  it("exits 0 when nothing needs attention", async () => {
    emulator.reset();
    seedSamplePolicy(emulator);
    const jane = emulator.addUser({ userPrincipalName: "jane.doe@contoso.com" });
    emulator.addMember(sampleGroups.contractors.id, jane.id);
    emulator.addPass(jane.id, { startDateTime: new Date().toISOString(), lifetimeInMinutes: 120 });
    const now = Date.now();
    const run = await review([], {
      config: sampleStackConfig([
        sampleGrant("jane", "jane.doe@contoso.com", "contractors", now - hour, now + day),
      ]),
    });
    expect(run.code).toBe(exitCodes.ok);
    expect(run.stdout).toContain("Nothing needs attention.");
  });
});
