// A grant's pass as the engine runs it: the provider serialized by the program, loaded by Pulumi's provider host in
// a fresh Node process, driven through a grant's life against the emulator.
import * as path from "node:path";
import { diffKinds, DynamicProviderHost } from "../support/dynamicProviderHost";
import { declaredInputsOf } from "../support/outputs";
import { GraphEmulator, microsoftDefaultTapPolicy } from "../support/graphEmulator";
import { contractorsGroupId as contractors } from "../support/fixtures";

const projectDir = path.resolve(__dirname, "../..");
const urn =
  "urn:pulumi:test::entra-tap::entra-tap:index:TemporaryAccessGrant$pulumi-nodejs:dynamic/entra:UserTemporaryAccessPass::jane-tap";
const hour = 3_600_000;

describe("the serialized user TAP provider in Pulumi's provider host", () => {
  let emulator: GraphEmulator;
  let host: DynamicProviderHost;
  let programInputs: Record<string, unknown>;
  const start = new Date(Date.now() + hour).toISOString();
  const expiry = new Date(Date.now() + 10 * 24 * hour).toISOString();

  beforeAll(async () => {
    programInputs = await declaredInputsOf(
      "pulumi-nodejs:dynamic/entra:UserTemporaryAccessPass",
      async () => {
        const { UserTemporaryAccessPass } = await import("../../components/userTemporaryAccessPass");
        return new UserTemporaryAccessPass("jane-tap", {
          user: "jane.doe@contoso.example",
          startDateTime: start,
          lifetimeInMinutes: 120,
          isUsableOnce: true,
          grantExpiry: expiry,
          scopeRetrySeconds: 5,
        }).status;
      },
    );

    emulator = await GraphEmulator.start();
    emulator.policy = {
      ...microsoftDefaultTapPolicy(),
      state: "enabled",
      isUsableOnce: true,
      includeTargets: [{ id: contractors, targetType: "group", isRegistrationRequired: false }],
    };
    emulator.addUser({ userPrincipalName: "jane.doe@contoso.example" });
    host = await DynamicProviderHost.start(projectDir, emulator.env(), urn);
  });

  afterAll(async () => {
    host?.stop();
    await emulator?.stop();
  });

  it("issues, reads, sees an out-of-band revoke as drift, and lets the grant end", async () => {
    const jane = [...emulator.users.values()][0];
    const checked = await host.check({}, programInputs);
    expect(checked.failures).toEqual([]);

    // Just added to the group: Graph refuses the pass until the membership has replicated.
    emulator.addMember(contractors, jane.id, 800);
    const created = await host.create(checked.inputs);
    expect(created.properties).toMatchObject({ status: "issued", methodUsabilityReason: "NotYetValid" });
    expect(created.properties.temporaryAccessPass).toBe(jane.tap!.temporaryAccessPass);
    expect(emulator.requests.filter((r) => r.method === "POST").length).toBeGreaterThan(1);

    emulator.now = () => Date.now() + 1.5 * hour;
    const usable = await host.read(created.id, created.properties);
    expect(usable.properties).toMatchObject({ isUsable: true, methodUsabilityReason: "EnabledByPolicy" });
    expect(usable.properties.temporaryAccessPass).toBe(created.properties.temporaryAccessPass);

    jane.tap = undefined; // revoked in the portal
    const revoked = await host.read(created.id, usable.properties);
    expect(revoked.properties.status).toBe("revokedOutOfBand");
    expect((await host.diff(created.id, revoked.properties, checked.inputs)).changes).toBe(diffKinds.none);
    const reissue = await host.diff(created.id, revoked.properties, { ...checked.inputs, reissue: 1 });
    expect(reissue).toEqual({ changes: diffKinds.some, replaces: ["reissue"] });

    const ended = await host.update(created.id, revoked.properties, { ...checked.inputs, grantEnded: true });
    expect(ended).toMatchObject({ status: "ended", temporaryAccessPass: null });
    expect(jane.sessionsRevokedAt).toBeDefined();
    await host.delete(created.id, ended);
  });

  it("refuses to add a grant that has already ended", async () => {
    const checked = await host.check({}, { ...programInputs, grantEnded: true });
    expect(checked.failures).toEqual([
      {
        property: "grantExpiry",
        reason: expect.stringContaining("has passed; a new grant must end in the future"),
      },
    ]);
  });
});
