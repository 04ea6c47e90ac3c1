import * as pulumi from "@pulumi/pulumi";
import { settled } from "../support/outputs";
import { displayInputs, maskedSecret, recordDeclaredResources } from "../../scripts/declaredResources";
import { readStackFile } from "../../scripts/plan";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

describe("displayInputs", () => {
  it("masks secrets and drops the serialized provider", async () => {
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
      __provider: "exports.handler = ...",
    });
    await settled(probe.urn);
    const shown = displayInputs(declared[0].inputs);
    // A secret inside an input makes Pulumi treat the whole input as secret, so all of `nested` is masked.
    expect(shown).toEqual({ passcode: maskedSecret, nested: maskedSecret, plain: "visible" });
    expect(JSON.stringify(shown)).not.toMatch(/Tap-Passcode|secret-token/);
  });
});

describe("readStackFile", () => {
  it("hands config to the program as the CLI does, masking secure values and marking their keys secret", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-stack-"));
    const file = path.join(dir, "Pulumi.test.yaml");
    fs.writeFileSync(
      file,
      [
        "config:",
        "  azure-native:location: westeurope",
        "  policy:",
        "    defaultLength: 14",
        "  entra-tap:hooks:",
        "    - url:",
        "        secure: v1:AAAA",
      ].join("\n"),
    );
    expect(readStackFile(file)).toEqual({
      config: {
        "azure-native:location": "westeurope",
        "entra-tap:policy": '{"defaultLength":14}',
        "entra-tap:hooks": `[{"url":"${maskedSecret}"}]`,
      },
      secretKeys: ["entra-tap:hooks"],
    });
  });
});
