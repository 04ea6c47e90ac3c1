import { tapPolicyId, tapPolicySettingsFromGraph } from "../../components/graph/tapPolicy";
import {
  changedTapPolicySettings,
  temporaryAccessPassPolicyLifecycle as provider,
  type TapPolicyState,
  type TemporaryAccessPassPolicyDeclaration,
} from "../../components/temporaryAccessPassPolicyConfiguration";
import {
  type EmulatedTapPolicy,
  GraphEmulator,
  useGraphEmulatorInProcessEnv,
  microsoftDefaultTapPolicy,
  tapPolicyODataType,
} from "../support/graphEmulator";
import {
  breakGlassGroupId as breakGlass,
  contractorsGroupId as contractors,
  validTapPolicy,
} from "../support/fixtures";

const onboarding = "5d0e2a6b-1c9f-4f3e-8a7d-6b2c4e9f1a03";
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The tenant as found before entra-tap: Microsoft's defaults, enabled for everyone. */
function existingTenantPolicy(): EmulatedTapPolicy {
  return { ...microsoftDefaultTapPolicy(), state: "enabled" };
}

const declared: TemporaryAccessPassPolicyDeclaration = {
  ...validTapPolicy,
  includeTargets: [
    { id: contractors, isRegistrationRequired: false },
    { id: onboarding, isRegistrationRequired: true },
  ],
  cloud: "global",
};

let emulator: GraphEmulator;
useGraphEmulatorInProcessEnv((started) => (emulator = started));
beforeEach(() => {
  emulator.reset();
  emulator.policy = existingTenantPolicy();
});

async function created(): Promise<TapPolicyState> {
  const result = await provider.create!(declared);
  emulator.requests.length = 0;
  return result.outs as TapPolicyState;
}

describe("check", () => {
  it("returns the declaration with defaults filled in, without the engine's __provider", async () => {
    const result = await provider.check!({}, { includeTargets: [{ id: contractors }], __provider: "code" });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual({
      state: "enabled",
      minimumLifetimeInMinutes: 60,
      defaultLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      defaultLength: 14,
      isUsableOnce: true,
      includeTargets: [{ id: contractors, isRegistrationRequired: false }],
      excludeTargets: [],
      onDestroy: "restore",
      cloud: "global",
    });
  });

  it("applies the same rules as the config, so values built in code are caught", async () => {
    const result = await provider.check!({}, { ...declared, defaultLength: 50, maximumLifetimeInMinutes: 5 });
    expect(result.failures).toEqual([
      {
        property: "maximumLifetimeInMinutes",
        reason: "policy.maximumLifetimeInMinutes: 5 is not allowed; expected an integer from 10 to 43200",
      },
      {
        property: "defaultLength",
        reason: "policy.defaultLength: 50 is not allowed; expected an integer from 8 to 48",
      },
    ]);
  });

  it("checks what is known when an input is not known yet (preview), and all of it at apply", async () => {
    const preview = await provider.check!(
      {},
      { ...declared, includeTargets: [{ id: unknown }], defaultLength: unknown },
    );
    expect(preview.failures).toBeUndefined();
    const withKnownError = await provider.check!({}, { ...declared, defaultLength: unknown, state: "on" });
    expect(withKnownError.failures).toHaveLength(1);
    expect(withKnownError.failures![0].property).toBe("state");
  });
});

describe("diff", () => {
  it("compares target lists as sets", async () => {
    const reordered = {
      ...declared,
      includeTargets: [...declared.includeTargets].reverse(),
    } as TapPolicyState;
    const result = await provider.diff!(
      tapPolicyId,
      { ...declared, adoptedSettings: existingTenantPolicy() },
      reordered,
    );
    expect(result.changes).toBe(false);
  });

  it("sees a changed registration requirement on the same group", async () => {
    const olds = { ...declared, adoptedSettings: existingTenantPolicy() };
    const news = {
      ...declared,
      includeTargets: [
        { id: contractors, isRegistrationRequired: true },
        { id: onboarding, isRegistrationRequired: true },
      ],
    } as TapPolicyState;
    expect((await provider.diff!(tapPolicyId, olds, news)).changes).toBe(true);
  });

  it("updates in place for settings and onDestroy, and replaces for another cloud", async () => {
    const olds = { ...declared, adoptedSettings: existingTenantPolicy() };
    expect(await provider.diff!(tapPolicyId, olds, { ...olds, defaultLength: 16 })).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await provider.diff!(tapPolicyId, olds, { ...olds, onDestroy: "retain" })).toMatchObject({
      changes: true,
    });
    expect(await provider.diff!(tapPolicyId, olds, { ...olds, cloud: "usgovernmentl4" })).toMatchObject({
      changes: true,
      replaces: ["cloud"],
      deleteBeforeReplace: true,
    });
  });

  it("shows no diff after an apply", async () => {
    const outs = await created();
    const checked = await provider.check!(outs, {
      ...declared,
      includeTargets: [...declared.includeTargets].reverse(),
    });
    expect((await provider.diff!(tapPolicyId, outs, checked.inputs)).changes).toBe(false);
  });
});

describe("create", () => {
  it("adopts the tenant's policy: reads it, keeps it to restore, and PATCHes only what differs", async () => {
    const before = existingTenantPolicy();
    const result = await provider.create!(declared);
    expect(result.id).toBe("TemporaryAccessPass");
    expect((result.outs as TapPolicyState).adoptedSettings).toEqual(tapPolicySettingsFromGraph(before));
    expect(emulator.requests.map((r) => r.method)).toEqual(["GET", "PATCH"]);
    expect(emulator.requests[1].body).toEqual({
      "@odata.type": tapPolicyODataType,
      defaultLength: 14,
      isUsableOnce: true,
      includeTargets: [
        { id: contractors, targetType: "group", isRegistrationRequired: false },
        { id: onboarding, targetType: "group", isRegistrationRequired: true },
      ],
      excludeTargets: [{ id: breakGlass, targetType: "group" }],
    });
    expect(changedTapPolicySettings(tapPolicySettingsFromGraph(emulator.policy), declared)).toEqual([]);
  });

  it("writes nothing when the tenant already matches", async () => {
    await created();
    await provider.create!(declared);
    expect(emulator.writes()).toEqual([]);
  });

  it("gets through throttling and ends with the declared policy", async () => {
    emulator.injectFault({ method: "GET", status: 429, retryAfter: "0" });
    emulator.injectFault({ method: "PATCH", status: 503, retryAfter: "0", times: 2 });
    await provider.create!(declared);
    expect(emulator.requests.map((r) => r.method)).toEqual(["GET", "GET", "PATCH", "PATCH", "PATCH"]);
    expect(changedTapPolicySettings(tapPolicySettingsFromGraph(emulator.policy), declared)).toEqual([]);
  });

  it("fails with a message naming the operation and Graph's code, leaving the tenant as it was", async () => {
    emulator.injectFault({ method: "PATCH", status: 403, code: "Authorization_RequestDenied" });
    await expect(provider.create!(declared)).rejects.toThrow(
      /^Apply the TemporaryAccessPass policy failed: HTTP 403 Authorization_RequestDenied/,
    );
    expect(emulator.policy).toEqual(existingTenantPolicy());
  });

  it("fails loudly when Graph's answer lacks a field it compares, and writes nothing", async () => {
    delete (emulator.policy as Partial<EmulatedTapPolicy>).includeTargets;
    await expect(provider.create!(declared)).rejects.toThrow(/lacks or mistypes includeTargets/);
    expect(emulator.writes()).toEqual([]);
  });
});

describe("read", () => {
  it("returns the live policy, so a refresh shows out-of-band changes field by field", async () => {
    const outs = await created();
    emulator.policy.maximumLifetimeInMinutes = 1440;
    emulator.policy.excludeTargets = [];
    const read = await provider.read!(tapPolicyId, outs);
    expect(read.id).toBe(tapPolicyId);
    expect(read.props).toMatchObject({ maximumLifetimeInMinutes: 1440, excludeTargets: [] });
    expect(read.props.adoptedSettings).toEqual(outs.adoptedSettings);
    expect(changedTapPolicySettings(read.props, declared)).toEqual([
      "maximumLifetimeInMinutes",
      "excludeTargets",
    ]);
    expect((await provider.diff!(tapPolicyId, read.props, declared as TapPolicyState)).changes).toBe(true);
  });

  it("makes a no-change preview with refresh one GET and no writes", async () => {
    const outs = await created();
    const read = await provider.read!(tapPolicyId, outs);
    const checked = await provider.check!(read.props, { ...declared });
    const diff = await provider.diff!(tapPolicyId, read.props, checked.inputs);
    expect(diff.changes).toBe(false);
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass",
    ]);
  });
});

describe("update", () => {
  it("PATCHes the changed fields only, with @odata.type", async () => {
    const outs = await created();
    const news = { ...declared, maximumLifetimeInMinutes: 240, excludeTargets: [] };
    const result = await provider.update!(tapPolicyId, outs, news);
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]).toMatchObject({
      method: "PATCH",
      body: { "@odata.type": tapPolicyODataType, maximumLifetimeInMinutes: 240, excludeTargets: [] },
    });
    expect(emulator.policy.maximumLifetimeInMinutes).toBe(240);
    expect(result.outs.adoptedSettings).toEqual(outs.adoptedSettings);
  });

  it("changes only the state when only onDestroy changes", async () => {
    const outs = await created();
    const result = await provider.update!(tapPolicyId, outs, { ...declared, onDestroy: "retain" });
    expect(emulator.requests).toEqual([]);
    expect(result.outs.onDestroy).toBe("retain");
  });

  it("surfaces Graph's refusal and leaves the tenant unchanged", async () => {
    const outs = await created();
    const before = structuredClone(emulator.policy);
    emulator.injectFault({ method: "PATCH", status: 400, code: "badRequest" });
    await expect(provider.update!(tapPolicyId, outs, { ...declared, defaultLength: 20 })).rejects.toThrow(
      /^Update the TemporaryAccessPass policy failed: HTTP 400 badRequest/,
    );
    expect(emulator.policy).toEqual(before);
  });
});

describe("delete", () => {
  it("restore (the default) puts back the configuration found at adoption", async () => {
    const outs = await created();
    await provider.delete!(tapPolicyId, outs);
    expect(emulator.policy).toEqual(existingTenantPolicy());
    expect(emulator.requests.map((r) => r.method)).toEqual(["PATCH"]);
  });

  it("restore writes back exactly what it adopted, user targets and their targetType included", async () => {
    const engineer = "6e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    const found: EmulatedTapPolicy = {
      ...existingTenantPolicy(),
      includeTargets: [
        { id: contractors, targetType: "group", isRegistrationRequired: true },
        { id: engineer, targetType: "user", isRegistrationRequired: false },
      ],
      excludeTargets: [
        { id: breakGlass, targetType: "group" },
        { id: engineer, targetType: "user" },
      ],
    };
    emulator.policy = structuredClone(found);
    const outs = (await provider.create!(declared)).outs as TapPolicyState;
    expect(changedTapPolicySettings(tapPolicySettingsFromGraph(emulator.policy), declared)).toEqual([]);
    await provider.delete!(tapPolicyId, outs);
    expect(emulator.policy).toEqual(found);
  });

  it("sees a user target and a group target of the same id as different targets", () => {
    const asGroup = { ...declared, excludeTargets: [{ id: breakGlass }] };
    const asUser = { ...declared, excludeTargets: [{ id: breakGlass, targetType: "user" }] };
    expect(changedTapPolicySettings(asUser, asGroup)).toEqual(["excludeTargets"]);
    expect(
      changedTapPolicySettings(
        { ...asGroup, excludeTargets: [{ id: breakGlass, targetType: "group" }] },
        asGroup,
      ),
    ).toEqual([]);
  });

  it("reset sends Graph's DELETE, which puts back Microsoft's defaults", async () => {
    const outs = await created();
    await provider.delete!(tapPolicyId, { ...outs, onDestroy: "reset" });
    expect(emulator.requests.map((r) => r.method)).toEqual(["DELETE"]);
    expect(emulator.policy).toEqual(microsoftDefaultTapPolicy());
  });

  it("disable turns the policy off and keeps the rest", async () => {
    const outs = await created();
    await provider.delete!(tapPolicyId, { ...outs, onDestroy: "disable" });
    expect(emulator.requests[0].body).toEqual({ "@odata.type": tapPolicyODataType, state: "disabled" });
    expect(emulator.policy).toMatchObject({ state: "disabled", defaultLength: 14, isUsableOnce: true });
  });

  it("retain leaves the tenant as it is", async () => {
    const outs = await created();
    const before = structuredClone(emulator.policy);
    await provider.delete!(tapPolicyId, { ...outs, onDestroy: "retain" });
    expect(emulator.requests).toEqual([]);
    expect(emulator.policy).toEqual(before);
  });

  it("refuses to restore without an adopted configuration rather than guess one", async () => {
    const outs = await created();
    await expect(
      provider.delete!(tapPolicyId, { ...outs, adoptedSettings: undefined } as unknown as TapPolicyState),
    ).rejects.toThrow(/no adopted TemporaryAccessPass policy/);
    expect(emulator.writes()).toEqual([]);
  });
});
