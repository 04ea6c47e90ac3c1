// index.ts with the dev stack's config under the mock runtime: the audience's group ids reach the TAP policy and the
// grants without being copied by hand.
import type { DeclaredResource } from "../scripts/declaredResources";
import { evaluateDevStack, mockGroupId as groupId } from "./support/devStackProgram";
import { approverRecipientKeys, breakGlassGroupId as breakGlass } from "./support/fixtures";

const tierZeroMember = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";

describe("the program with the dev stack", () => {
  let declared: DeclaredResource[];
  let program: Record<string, unknown>;

  beforeAll(async () => {
    ({ declared, program } = await evaluateDevStack([tierZeroMember]));
  });

  const named = (name: string) => declared.find((r) => r.name === name)!;

  it("includes the audience's groups in the TAP policy and excludes break-glass", () => {
    const policy = declared.find((r) => r.type === "entra-tap:graph:TemporaryAccessPassPolicy")!;
    expect(policy.inputs.includeTargets).toEqual([
      { id: groupId("tap-audience-target-contractors"), isRegistrationRequired: false },
      { id: groupId("tap-audience-target-support"), isRegistrationRequired: false },
      { id: groupId("tap-audience-target-onboarding"), isRegistrationRequired: true },
    ]);
    expect(policy.inputs.excludeTargets).toEqual([{ id: breakGlass }]);
  });

  it("puts each grant's user in the grant's group, and issues after the TAP policy", () => {
    expect(named("contractor-jane-doe-membership").inputs).toEqual({
      groupObjectId: groupId("tap-audience-target-contractors"),
      memberObjectId: "id-of-jane.doe@contoso.com",
    });
    // The new hire joins through PIM for Groups, until the grant's expiry.
    expect(named("new-hire-sofia-rossi-pim-membership").inputs).toMatchObject({
      groupId: groupId("tap-audience-target-onboarding"),
      principalId: "id-of-sofia.rossi@contoso.com",
      endDateTime: "2027-12-01T17:00:00Z",
    });
    expect(named("new-hire-sofia-rossi-tap").dependsOn).toEqual([
      "new-hire-sofia-rossi-pim-membership",
      "tap-policy",
    ]);
    expect(named("contractor-jane-doe-tap").dependsOn).toEqual([
      "contractor-jane-doe-membership",
      "tap-policy",
    ]);
  });

  it("passes each grant's lifetime to its pass", () => {
    expect(named("contractor-jane-doe-tap").inputs.lifetimeInMinutes).toBe(240);
    expect(named("support-ahmed-khan-tap").inputs.lifetimeInMinutes).toBe(120);
  });

  it("seals each grant's pass to its approver, and exports no plaintext passcode (the stack does not opt in)", async () => {
    const pulumi = await import("@pulumi/pulumi");
    const { settled } = await import("./support/outputs");
    const plaintext = program.grantPasscodes as import("@pulumi/pulumi").Output<unknown>;
    expect(await pulumi.isSecret(plaintext)).toBe(true);
    expect(await settled(plaintext)).toEqual({});
    expect(named("contractor-jane-doe-tap").inputs).toMatchObject({
      sealTo: [{ name: "tom.becker@contoso.com", key: approverRecipientKeys["tom.becker@contoso.com"] }],
      keepPasscodeInState: false,
    });
    expect(named("support-ahmed-khan-tap").inputs.sealTo).toEqual([
      { name: "lisa.wong@contoso.com", key: approverRecipientKeys["lisa.wong@contoso.com"] },
    ]);
    const passes = program.grantPasses as Record<string, Record<string, unknown>>;
    expect(Object.keys(passes)).toEqual([
      "contractor-jane-doe",
      "support-ahmed-khan",
      "new-hire-sofia-rossi",
    ]);
    expect(Object.keys(passes["contractor-jane-doe"])).toEqual([
      "ended",
      "status",
      "user",
      "isUsableOnce",
      "startDateTime",
      "endDateTime",
      "sealedTo",
      "sealedPasscode",
    ]);
  });

  it("gives a bootstrap the default time and trusts no other issuer when the stack names none", () => {
    const query = (name: string) =>
      (named(name).inputs.criteria as { allOf: { query: string }[] }).allOf[0].query;
    expect(query("tap-monitoring-tapBootstrapFailed")).toContain("let Within = 60m;");
    expect(query("tap-monitoring-tapIssuedOutOfProcess")).toContain("let KnownIssuers = dynamic([]);");
  });

  it("alerts on passes issued to the privileged group's members and to listed users", () => {
    const rule = named("tap-monitoring-tapIssuedToPrivilegedAccount");
    const query = (rule.inputs.criteria as { allOf: { query: string }[] }).allOf[0].query;
    expect(query).toContain(`let PrivilegedIds = dynamic(["${tierZeroMember}"]);`);
    expect(query).toContain('let PrivilegedNames = dynamic(["admin.breakglass1@contoso.onmicrosoft.com"]);');
  });
});
