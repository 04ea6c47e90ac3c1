// The provider plugin as the engine calls it: each call goes to the lifecycle of the type in the URN (nested under a
// component or not), an unknown type is refused by name, and the schema describes every resource, its secret included.
import * as fs from "node:fs";
import * as path from "node:path";
import { temporaryAccessPassPolicyType } from "../../components/temporaryAccessPassPolicyConfiguration";
import { userTemporaryAccessPassType } from "../../components/userTemporaryAccessPass";
import { entraTapProvider, lifecycles } from "../../provider/entraTapProvider";
import { declared, useTapTenant } from "../components/userTemporaryAccessPass.provider.support";
import type { EmulatedUser } from "../support/graphEmulator";

let jane: EmulatedUser;
useTapTenant((_emulator, user) => (jane = user));

const urnOf = (type: string, parents = "") =>
  `urn:pulumi:dev::entra-tap::${parents}${type}::jane-tap` as `urn:pulumi:${string}`;

describe("the provider's calls", () => {
  it("go to the lifecycle of the URN's type, below a component too", async () => {
    const urn = urnOf(userTemporaryAccessPassType, "entra-tap:index:TemporaryAccessGrant$");
    const checked = await entraTapProvider.check!(urn, {}, declared());
    expect(checked.failures).toBeUndefined();
    const created = await entraTapProvider.create!(urn, checked.inputs);
    expect(created.id).toBe(jane.tap!.id);
    await entraTapProvider.delete!(created.id, urn, created.outs);
    expect(jane.tap).toBeUndefined();
  });

  it("refuse a type the provider does not have, naming it and those it has", async () => {
    await expect(entraTapProvider.check!(urnOf("entra-tap:graph:Unknown"), {}, {})).rejects.toThrow(
      /no resource of type "entra-tap:graph:Unknown" \(known: entra-tap:graph:TemporaryAccessPassPolicy, /,
    );
  });
});

describe("the provider's schema", () => {
  const schema = async () => JSON.parse(await entraTapProvider.getSchema!());

  it("names the package and the project's version, which the engine records", async () => {
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")).version;
    expect(await schema()).toMatchObject({ name: "entra-tap", version });
    expect(entraTapProvider.version).toBe(version);
  });

  it("describes every resource the provider serves, with the inputs its check requires", async () => {
    const { resources } = await schema();
    expect(Object.keys(resources).sort()).toEqual(Object.keys(lifecycles).sort());
    expect(resources[userTemporaryAccessPassType].requiredInputs.sort()).toEqual(
      ["grantExpiry", "isUsableOnce", "lifetimeInMinutes", "startDateTime", "user"].sort(),
    );
    expect(resources[temporaryAccessPassPolicyType].properties.adoptedSettings).toMatchObject({
      $ref: "pulumi.json#/Any",
    });
  });

  it("marks the passcode secret, and nothing else", async () => {
    const { resources } = await schema();
    const secrets = Object.entries(resources).flatMap(([type, resource]) =>
      Object.entries((resource as { properties: Record<string, { secret?: boolean }> }).properties)
        .filter(([, property]) => property.secret)
        .map(([name]) => `${type}.${name}`),
    );
    expect(secrets).toEqual([`${userTemporaryAccessPassType}.temporaryAccessPass`]);
  });
});
