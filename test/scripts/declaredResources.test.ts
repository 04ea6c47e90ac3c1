import * as pulumi from "@pulumi/pulumi";
import { settled } from "../support/outputs";
import { displayInputs, maskedSecret, recordDeclaredResources } from "../../scripts/declaredResources";

describe("displayInputs", () => {
  it("masks secrets", async () => {
    const declared = await recordDeclaredResources({ project: "entra-tap", stack: "test", preview: false });
    class Probe extends pulumi.CustomResource {
      constructor(name: string, props: pulumi.Inputs) {
        super("test:index:Probe", name, props);
      }
    }
    const probe = new Probe("probe", {
      passcode: pulumi.secret("Tap-Passcode-123"),
      nested: { receivers: [{ url: pulumi.secret("https://hooks.example/secret-token") }] },
      plain: "visible",
    });
    await settled(probe.urn);
    const shown = displayInputs(declared[0].inputs);
    // A secret inside an input makes Pulumi treat the whole input as secret, so all of `nested` is masked.
    expect(shown).toEqual({ passcode: maskedSecret, nested: maskedSecret, plain: "visible" });
    expect(JSON.stringify(shown)).not.toMatch(/Tap-Passcode|secret-token/);
  });

  it("masks text that looks like a secret wherever it was put, even in an input not marked secret", async () => {
    const declared = await recordDeclaredResources({ project: "entra-tap", stack: "test", preview: false });
    class Probe extends pulumi.CustomResource {
      constructor(name: string, props: pulumi.Inputs) {
        super("test:index:Probe", name, props);
      }
    }
    const probe = new Probe("pasted", {
      reason: "see https://contoso.webhook.office.com/hook?sig=Zm9vYmFy for details",
      list: ["Bearer abcdefghijklmnop0123"],
    });
    await settled(probe.urn);
    const shown = displayInputs(declared.find((r) => r.name === "pasted")!.inputs);
    expect(shown).toEqual({ reason: "see [secret] for details", list: ["[secret]"] });
  });
});
