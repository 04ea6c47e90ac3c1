// The provider as the engine runs it: serialized into `__provider` by the program, then loaded from that text by
// Pulumi's dynamic-provider host in a fresh Node process that has only the project's node_modules.
import * as path from "node:path";
import { diffKinds, DynamicProviderHost } from "../support/dynamicProviderHost";
import { declaredInputsOf } from "../support/outputs";
import { type EmulatedTapPolicy, GraphEmulator, microsoftDefaultTapPolicy } from "../support/graphEmulator";
import { breakGlassGroupId as breakGlass, contractorsGroupId as contractors } from "../support/fixtures";

const projectDir = path.resolve(__dirname, "../..");
const urn =
  "urn:pulumi:test::entra-tap::entra-tap:index:TemporaryAccessPassPolicy$pulumi-nodejs:dynamic/entra:TemporaryAccessPassPolicy::tap-policy";

function tenantPolicy(): EmulatedTapPolicy {
  return { ...microsoftDefaultTapPolicy(), state: "enabled", maximumLifetimeInMinutes: 1440 };
}

describe("the serialized TAP policy provider in Pulumi's provider host", () => {
  let emulator: GraphEmulator;
  let host: DynamicProviderHost;
  let programInputs: Record<string, unknown>;

  beforeAll(async () => {
    programInputs = await declaredInputsOf(
      "pulumi-nodejs:dynamic/entra:TemporaryAccessPassPolicy",
      async () => {
        const { TemporaryAccessPassPolicy } = await import("../../components/temporaryAccessPassPolicy");
        return new TemporaryAccessPassPolicy("tap-policy", {
          includeTargets: [{ id: contractors }],
          excludeTargets: [{ id: breakGlass }],
        }).state;
      },
    );

    emulator = await GraphEmulator.start();
    emulator.policy = tenantPolicy();
    host = await DynamicProviderHost.start(projectDir, emulator.env(), urn);
  });

  afterAll(async () => {
    host?.stop();
    await emulator?.stop();
  });

  it("runs check, create, read, diff, update and delete against Graph", async () => {
    expect(typeof programInputs.__provider).toBe("string");

    const checked = await host.check({}, programInputs);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ defaultLength: 14, isUsableOnce: true, onDestroy: "restore" });

    const created = await host.create(checked.inputs);
    expect(created.id).toBe("TemporaryAccessPass");
    expect(created.properties.adoptedSettings).toMatchObject({ maximumLifetimeInMinutes: 1440 });
    expect(emulator.policy).toMatchObject({
      maximumLifetimeInMinutes: 480,
      defaultLength: 14,
      isUsableOnce: true,
    });

    emulator.policy.defaultLength = 8; // changed in the portal
    const read = await host.read(created.id, created.properties);
    expect(read.properties).toMatchObject({ defaultLength: 8 });
    expect(typeof read.properties.__provider).toBe("string");
    expect((await host.diff(created.id, read.properties, checked.inputs)).changes).toBe(diffKinds.some);

    const updated = await host.update(created.id, read.properties, checked.inputs);
    expect(updated).toMatchObject({ defaultLength: 14 });
    expect(emulator.policy.defaultLength).toBe(14);
    expect((await host.diff(created.id, updated, checked.inputs)).changes).toBe(diffKinds.none);

    await host.delete(created.id, updated);
    expect(emulator.policy).toEqual(tenantPolicy());
  });

  it("reports an invalid declaration as check failures naming the field", async () => {
    const checked = await host.check({}, { ...programInputs, defaultLength: 60 });
    expect(checked.failures).toEqual([
      {
        property: "defaultLength",
        reason: "policy.defaultLength: 60 is not allowed; expected an integer from 8 to 48",
      },
    ]);
  });

  it("reports Graph's refusal as the operation's error", async () => {
    const checked = await host.check({}, programInputs);
    emulator.injectFault({ method: "GET", status: 403, code: "Authorization_RequestDenied" });
    await expect(host.create(checked.inputs)).rejects.toThrow(
      /Read the TemporaryAccessPass policy to adopt it failed: HTTP 403 Authorization_RequestDenied/,
    );
  });
});
