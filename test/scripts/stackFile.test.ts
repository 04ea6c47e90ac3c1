// Reading a stack file as the Pulumi CLI presents it to a program, and refusing what the CLI could not read.
import * as fs from "node:fs";
import * as path from "node:path";
import { maskedSecret } from "../../scripts/declaredResources";
import { parseStackConfig } from "../../config";
import { goTimeString, readStackFile } from "../../scripts/stackFile";
import { makeTempDir } from "../support/tempDirs";

function stackFile(lines: string[]): string {
  const dir = makeTempDir("entra-tap-stack-");
  const file = path.join(dir, "Pulumi.test.yaml");
  fs.writeFileSync(file, lines.join("\n"));
  return file;
}

describe("readStackFile under the project's standard (Pulumi.yaml config)", () => {
  const withProject = (project: string[], stack: string[]) => {
    const file = stackFile(stack);
    fs.writeFileSync(
      path.join(path.dirname(file), "Pulumi.yaml"),
      ["name: entra-tap", ...project].join("\n"),
    );
    return file;
  };

  it("gives the stack the project's values it does not set, and its own value of a key whole, as the CLI does", () => {
    const file = withProject(
      [
        "config:",
        "  entra-tap:cloud: global",
        "  entra-tap:policy:",
        "    value:",
        "      state: enabled",
        "      defaultLength: 16",
        "  bootstrap:",
        "    default: { registrationWithinMinutes: 60 }",
      ],
      ["config:", "  entra-tap:policy:", "    defaultLength: 20", "  entra-tap:grants: []"],
    );
    const read = readStackFile(file, "entra-tap");
    // No merge inside a key: the stack's policy replaces the standard's, `state` included (the engine suite's fleet
    // test shows the CLI does the same).
    expect(read.config).toEqual({
      "entra-tap:cloud": "global",
      "entra-tap:policy": '{"defaultLength":20}',
      "entra-tap:bootstrap": '{"registrationWithinMinutes":60}',
      "entra-tap:grants": "[]",
    });
    expect(read.layers).toEqual({
      "entra-tap:cloud": "project",
      "entra-tap:policy": "stack, replacing the project's",
      "entra-tap:bootstrap": "project",
      "entra-tap:grants": "stack",
    });
    expect(read.problems).toEqual([]);
  });

  it("refuses a project value Pulumi would not read, and a secret one, naming the key", () => {
    const file = withProject(
      [
        "config:",
        "  entra-tap:policy:",
        "    state: enabled",
        "  token:",
        "    value: x",
        "    secret: true",
      ],
      ["config: {}"],
    );
    expect(readStackFile(file, "entra-tap").problems).toEqual([
      "Pulumi.yaml config.entra-tap:policy: not a project config value; write an object as { value: ... } (Pulumi's project-level config)",
      "Pulumi.yaml config.token: a project value cannot be secret; set it per stack",
    ]);
  });
});

describe("readStackFile", () => {
  it("hands config to the program as the CLI does, masking secure values and marking their keys secret", () => {
    const file = stackFile([
      "config:",
      "  azure-native:location: westeurope",
      "  policy:",
      "    defaultLength: 14",
      "  entra-tap:hooks:",
      "    - url:",
      "        secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBB",
    ]);
    expect(readStackFile(file, "entra-tap")).toEqual({
      config: {
        "azure-native:location": "westeurope",
        "entra-tap:policy": '{"defaultLength":14}',
        "entra-tap:hooks": `[{"url":"${maskedSecret}"}]`,
      },
      layers: { "azure-native:location": "stack", "entra-tap:policy": "stack", "entra-tap:hooks": "stack" },
      secretKeys: ["entra-tap:hooks"],
      problems: [],
    });
  });

  it.each([
    ["a plaintext URL", "https://hooks.example/services/T000?token=abc"],
    ["text with spaces", "my webhook url"],
    ["an empty value", "''"],
  ])(
    "refuses a secure: value that cannot be Pulumi ciphertext (%s), naming the key and never the value",
    (_what, value) => {
      const file = stackFile([
        "config:",
        "  entra-tap:monitoring:",
        "    actionGroup:",
        "      webhooks:",
        "        - url:",
        `            secure: ${value}`,
      ]);
      const { problems } = readStackFile(file, "entra-tap");
      expect(problems).toEqual([
        "entra-tap:monitoring.actionGroup.webhooks[0].url: a secure: value that is not Pulumi ciphertext (never shown); set it with pulumi config set --secret --path 'entra-tap:monitoring.actionGroup.webhooks[0].url' <value>",
      ]);
      expect(problems.join()).not.toContain("token=abc");
    },
  );

  it("accepts the passphrase provider's and a cloud provider's ciphertext", () => {
    const file = stackFile([
      "config:",
      "  entra-tap:a:",
      "    secure: v1:fX0hY2xh2mQkR0bB:3cVxq1pZkN9u7d2m5T8Wj4eYbK6rA0sL1hG9fD3cX7vB2nM5qP8tR4wE6yU=",
      "  entra-tap:b:",
      "    secure: AAABAHb6dGVzdC1jaXBoZXJ0ZXh0LWZyb20tYS1rbXMtcHJvdmlkZXI=",
    ]);
    expect(readStackFile(file, "entra-tap").problems).toEqual([]);
  });

  it("says a file nested too deeply cannot be read, instead of overflowing the stack", () => {
    const file = stackFile(["config:", `  entra-tap:policy: ${"[".repeat(200_000)}${"]".repeat(200_000)}`]);
    expect(() => readStackFile(file, "entra-tap")).toThrow(/is not a stack config file Pulumi can read/);
  });
});

describe("unquoted dates", () => {
  it("reads them as the Pulumi CLI hands them over, Go's printed time, as the engine suite saw", () => {
    expect(goTimeString("2026-11-27T05:31:40.776Z")).toBe("2026-11-27 05:31:40.776 +0000 UTC");
    expect(goTimeString("2026-11-30T08:00:00Z")).toBe("2026-11-30 08:00:00 +0000 UTC");
    expect(goTimeString("2026-11-30")).toBe("2026-11-30 00:00:00 +0000 UTC");
    const file = stackFile([
      "config:",
      "  entra-tap:grants:",
      "    - start: 2026-11-30T08:00:00Z",
      '      expiry: "2026-12-01T08:00:00Z"',
    ]);
    expect(JSON.parse(readStackFile(file, "entra-tap").config["entra-tap:grants"])).toEqual([
      { start: "2026-11-30 08:00:00 +0000 UTC", expiry: "2026-12-01T08:00:00Z" },
    ]);
  });

  it("are refused by the config with a message that says to quote them", () => {
    expect(() =>
      parseStackConfig({ "entra-tap:grants": JSON.stringify([{ start: "2026-11-30 08:00:00 +0000 UTC" }]) }),
    ).toThrow(
      /entra-tap:grants\[0\]\.start: "2026-11-30 08:00:00 \+0000 UTC" is not allowed; expected an ISO 8601 date and time, e\.g\. 2026-12-01T08:00:00Z, in quotes/,
    );
  });
});
