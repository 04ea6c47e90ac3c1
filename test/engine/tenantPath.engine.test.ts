// The README's tenant path, command by command, with the real CLI on a fresh backend and the Graph emulator as the
// tenant: `npm run new-stack`, the file edited as a user edits it (comments kept), `npm run plan`, `pulumi preview
// --refresh`, `pulumi up`. The edits keep to what runs here: groups and the user by object id, `membership: pim`, no
// monitoring (azure-native), no session controls (azuread); the README's two `pulumi config set` lines for the
// webhook are monitoring's, so they are not run.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument, Scalar } from "yaml";
import { GraphEmulator } from "../support/graphEmulator";
import { testRecipient } from "../support/handoverIdentities";
import { sampleGroups, sandboxGrantConfig, sandboxUsers, seedSandboxTenant } from "../support/sampleTenant";
import {
  expectStatus,
  pulumiWorkspace,
  type PulumiWorkspace,
  repoDir,
  runProjectScript,
} from "./support/pulumiCli";

const stack = `engine-tenant-path-${process.pid}`;
const stackFile = path.join(repoDir, `Pulumi.${stack}.yaml`);
let emulator: GraphEmulator;
let pulumi: PulumiWorkspace;

beforeAll(async () => {
  emulator = await GraphEmulator.start();
  seedSandboxTenant(emulator);
  pulumi = pulumiWorkspace(emulator.env());
});

afterAll(async () => {
  pulumi?.dispose();
  await emulator?.stop();
  fs.rmSync(stackFile, { force: true });
});

describe("the README's tenant path under the real CLI", () => {
  it("new-stack, the file edited, plan, preview --refresh, up", async () => {
    expectStatus(await runProjectScript(pulumi, "newStack.ts", ["--stack", stack]), 0, "npm run new-stack");

    // $EDITOR Pulumi.<stack>.yaml: the tenant's id, its group, its grant and approver's key; the example's comments
    // stay. The example's tenant id is the dev tenant's: left as it is, every Graph call is refused before it is sent.
    const document = parseDocument(fs.readFileSync(stackFile, "utf8"));
    const approver = await testRecipient("tom.becker@contoso.com");
    const now = Date.now();
    // In quotes, as the example writes its dates (unquoted, YAML reads a timestamp, which the plan refuses).
    const quoted = (time: number) =>
      Object.assign(new Scalar(new Date(time).toISOString()), { type: Scalar.QUOTE_DOUBLE });
    document.setIn(["config", "entra-tap:tenantId"], emulator.tenantId);
    document.setIn(["config", "entra-tap:audience", "targets"], {
      contractors: { objectId: sampleGroups.contractors.id },
    });
    document.deleteIn(["config", "entra-tap:audience", "sessionControls"]);
    document.deleteIn(["config", "entra-tap:monitoring"]);
    document.setIn(["config", "entra-tap:handover", "recipients"], {
      "tom.becker@contoso.com": approver.key,
    });
    document.setIn(
      ["config", "entra-tap:grants"],
      [sandboxGrantConfig(quoted(now), quoted(now + 8 * 3_600_000))],
    );
    fs.writeFileSync(stackFile, document.toString());
    expect(fs.readFileSync(stackFile, "utf8")).toContain("# Who hands passes over:");

    // The plan checks the edited file offline.
    const plan = await runProjectScript(pulumi, "plan.ts", ["--stack", stack]);
    expect(plan.stderr).not.toMatch(/invalid|refused/i);
    // Exit 1: the config is valid, and the mandatory audit-trail rule flags a stack with TAP on and no monitoring.
    expect(plan.status).toBe(1);
    expect(plan.stdout).toContain(
      "[mandatory] tap-audit-trail: TAP is enabled but no diagnostic setting sends AuditLogs to a workspace.",
    );

    const preview = await pulumi.run(["preview", "--refresh", "--stack", stack], { cwd: repoDir });
    expectStatus(preview, 0, "pulumi preview --refresh");
    expect(emulator.writes()).toEqual([]);

    expectStatus(await pulumi.run(["up", "--stack", stack, "--yes"], { cwd: repoDir }), 0, "pulumi up");
    expect(emulator.policy).toMatchObject({ state: "enabled", defaultLength: 16 });
    const jane = emulator.users.get(sandboxUsers.jane.id)!;
    expect(jane.tap).toBeDefined();
    expect(jane.memberOf.has(sampleGroups.contractors.id)).toBe(true);
    expectStatus(
      await pulumi.run(["destroy", "--stack", stack, "--yes"], { cwd: repoDir }),
      0,
      "pulumi destroy",
    );
    expect(emulator.policy).toMatchObject({ state: "disabled" });
    expect(jane.tap).toBeUndefined();
  });
});
