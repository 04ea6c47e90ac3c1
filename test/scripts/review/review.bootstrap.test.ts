// `npm run review` and what a pass was for: a pass that did its job (a phishing-resistant method registered since it
// started) is `fulfilled` and --revoke-fulfilled deletes it; an onboarding that left no such method is flagged; a known
// issuer's pass is `issued by <name>`; and the conversion of each grant. Against the emulator, over HTTP.
import { exitCodes } from "../../../scripts/review";
import { GraphEmulator } from "../../support/graphEmulator";
import { sampleKnownIssuer, seedSampleTenant } from "../../support/sampleTenant";
import { json, review, userByUpn, useReviewEmulator } from "./review.support";

let emulator: GraphEmulator;
useReviewEmulator((started) => (emulator = started));

const priya = "priya.nair@contoso.com";
const kenji = "kenji.sato@contoso.com";
const lucas = "lucas.martin@contoso.com";
const jane = "jane.doe@contoso.com";

const auditReads = () => emulator.batchRequests.filter((r) => r.path === "/v1.0/auditLogs/directoryAudits");

describe("passes that did their job", () => {
  let config: Record<string, unknown>;
  beforeEach(() => {
    config = seedSampleTenant(emulator);
  });

  it("are fulfilled by a passkey registered since the pass started, never by a phone or an older method", async () => {
    // Jane registered a passkey before her pass started, and a phone after: neither is her pass's doing.
    const janeUser = userByUpn(jane);
    emulator.registerMethod(janeUser.id, "fido2", Date.parse(janeUser.tap!.startDateTime) - 60_000);
    emulator.registerMethod(janeUser.id, "phone");
    const result = json(await review(["--json"], { config }));
    const byUser = Object.fromEntries(result.passes.map((p) => [p.user, p]));
    expect(byUser[priya].fulfilled).toEqual({
      method: "passkey (FIDO2)",
      registeredAt: userByUpn(priya).methods[0].createdDateTime,
    });
    expect(byUser[jane].fulfilled).toBeNull();
    expect(byUser[kenji].fulfilled).toBeNull();
    // One request per user gives the pass and the methods: nothing read twice.
    expect(emulator.batchRequests.filter((r) => r.path.endsWith("/temporaryAccessPassMethods"))).toEqual([]);
  });

  it("counts a fulfilled pass that can still be used as needing attention", async () => {
    emulator.registerMethod(userByUpn(jane).id, "windowsHello");
    const result = json(await review(["--json"], { config }));
    expect(result.passes.find((p) => p.user === jane)).toMatchObject({
      state: "usable",
      fulfilled: { method: "Windows Hello for Business" },
    });
    const text = await review([], { config });
    expect(text.stdout).toContain("1 pass did its job and is still usable");
  });

  it("reads a pass on its own when the methods list leaves out the pass's fields", async () => {
    emulator.methodsListOmitsPassFields = true;
    const result = json(await review(["--json"], { config }));
    expect(result.passes.find((p) => p.user === priya)).toMatchObject({
      state: "used",
      fulfilled: { method: "passkey (FIDO2)" },
    });
    expect(emulator.batchRequests.filter((r) => r.path.endsWith("/temporaryAccessPassMethods")).length).toBe(
      9,
    );
  });

  it("--revoke-fulfilled deletes those passes and keeps their users' sessions; run again, there is nothing to do", async () => {
    const refused = await review(["--revoke-fulfilled"], { config });
    expect(refused.code).toBe(exitCodes.usage);
    expect(userByUpn(priya).tap).toBeDefined();

    const run = await review(["--revoke-fulfilled", "--yes"], { config });
    expect(run.stdout).toContain(`${priya}: delete pass (sessions kept)`);
    expect(run.stdout).toContain(`${priya}: sessions kept, pass deleted`);
    expect(userByUpn(priya).tap).toBeUndefined();
    expect(userByUpn(priya).sessionsRevokedAt).toBeUndefined();
    // Only that pass: every other pass is still there.
    expect(userByUpn(kenji).tap).toBeDefined();
    expect(userByUpn(jane).tap).toBeDefined();
    const priyaPass = `/v1.0/users/${userByUpn(priya).id}/authentication/temporaryAccessPassMethods/`;
    expect(emulator.writes().map((w) => [w.method, w.path.startsWith(priyaPass)])).toEqual([
      ["DELETE", true],
    ]);

    const again = await review(["--revoke-fulfilled", "--yes"], { config });
    expect(again.stdout).toContain("Nothing to revoke.");
  });

  it("revokes the sessions too when another flag selects the same pass", async () => {
    const run = await review(["--revoke-fulfilled", "--revoke", priya, "--yes"], { config });
    expect(run.stdout).toContain(`${priya}: sessions revoked, pass deleted`);
    expect(userByUpn(priya).sessionsRevokedAt).toBeDefined();
  });
});

describe("an onboarding that left no phishing-resistant method", () => {
  it("is flagged once its time has passed since the pass started, and not before", async () => {
    const config = seedSampleTenant(emulator);
    const flagged = json(await review(["--json"], { config }));
    expect(flagged.passes.find((p) => p.user === kenji)).toMatchObject({
      state: "used",
      bootstrapFailed: true,
    });
    // Li's grant is for support: a used pass without a passkey is what it was for.
    expect(flagged.passes.find((p) => p.user === "li.wei@contoso.com")).toMatchObject({
      state: "used",
      bootstrapFailed: false,
    });

    config["entra-tap:bootstrap"] = { registrationWithinMinutes: 720 };
    const patient = json(await review(["--json"], { config }));
    expect(patient.passes.find((p) => p.user === kenji)).toMatchObject({ bootstrapFailed: false });
  });
});

describe("known issuers", () => {
  it("classify a pass by the audit log's initiator, read only for the passes no grant explains", async () => {
    const config = seedSampleTenant(emulator);
    const result = json(await review(["--json"], { config }));
    const byUser = Object.fromEntries(result.passes.map((p) => [p.user, p]));
    expect(byUser[lucas].explanation).toEqual({ kind: "knownIssuer", issuer: "Lifecycle Workflows" });
    expect(byUser["mallory.miller@contoso.com"].explanation).toEqual({
      kind: "undeclared",
      detail: "issued by helpdesk.admin@contoso.com",
    });
    // Lucas's membership is the process's, not a member no grant explains.
    expect(result.unexplainedMembers.map((m) => m.user)).not.toContain(lucas);
    // Three passes no grant explains (Lucas, Mallory, the break-glass account): one audit read each.
    expect(auditReads()).toHaveLength(3);
    expect(decodeURIComponent(auditReads()[0].query)).toContain(
      "activityDisplayName eq 'Admin registered security info'",
    );
  });

  it("match by application id as well as service principal id", async () => {
    const config = seedSampleTenant(emulator);
    config["entra-tap:knownIssuers"] = [{ name: "LCW by app id", id: sampleKnownIssuer.appId }];
    const result = json(await review(["--json"], { config }));
    expect(result.passes.find((p) => p.user === lucas)!.explanation).toEqual({
      kind: "knownIssuer",
      issuer: "LCW by app id",
    });
  });

  it("are not looked up without any declared, and leave passes undeclared when the audit log is refused", async () => {
    const config = seedSampleTenant(emulator);
    config["entra-tap:knownIssuers"] = [];
    const without = json(await review(["--json"], { config }));
    expect(auditReads()).toEqual([]);
    expect(without.passes.find((p) => p.user === lucas)!.explanation).toEqual({ kind: "undeclared" });

    const withIssuers = seedSampleTenant(emulator);
    emulator.auditLogForbidden = true;
    const run = await review(["--json"], { config: withIssuers });
    expect(run.code).toBe(exitCodes.attention);
    const refused = json(run);
    expect(refused.passes.find((p) => p.user === lucas)!.explanation.kind).toBe("undeclared");
    expect(refused.notes).toContainEqual(
      expect.stringContaining("reading the audit log needs AuditLog.Read.All"),
    );
  });
});

describe("conversion", () => {
  it("counts per started grant its pass issued, used, and a phishing-resistant method in its window; and totals", async () => {
    const config = seedSampleTenant(emulator);
    const { conversion } = json(await review(["--json"], { config }));
    expect(conversion.grants.find((c) => c.grant === "new-hire-priya-nair")).toEqual({
      grant: "new-hire-priya-nair",
      issued: 1,
      used: 1,
      converted: 1,
    });
    expect(conversion.grants.map((c) => c.grant)).not.toContain("new-hire-sofia-rossi");
    expect(conversion.total).toEqual({ issued: 5, used: 3, converted: 1 });
  });
});
