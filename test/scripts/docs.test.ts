// The docs are part of the interface: these tests fail when the code and docs/configuration.md drift apart.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { audienceTargetSchema, tapAudienceConfigSchema } from "../../config/audience";
import { defaultPrivilegedOperations, detections } from "../../components/detections";
import { policies } from "../../policies/policies";
import { tapMonitoringConfigSchema } from "../../config/monitoring";
import { temporaryAccessGrantConfigSchema } from "../../config/grants";
import { handoverConfigSchema } from "../../config/handover";
import { tapPolicyConfigSchema } from "../../config/policy";
import { parseStackConfig, stackConfigSchema } from "../../config";
import { forbiddenKeys, maxDepth, maxStringLength } from "../../config/rawConfig";

const configurationDoc = fs.readFileSync(path.join(__dirname, "../../docs/configuration.md"), "utf8");

/** The table row documenting `key`, as its cells. */
function row(key: string): string[] {
  const cells = configurationDoc
    .split("\n")
    .map((line) => line.split("|").map((cell) => cell.trim()))
    .find((cells) => cells[1] === `\`${key}\``);
  if (!cells) throw new Error(`docs/configuration.md has no row for ${key}`);
  return cells;
}

describe("docs/configuration.md", () => {
  it("has a section for every entra-tap config key", () => {
    for (const key of Object.keys(stackConfigSchema(Date.now()).in.shape)) {
      expect(configurationDoc).toContain(`## \`entra-tap:${key}\``);
    }
  });

  it("documents every policy key with the default the code applies", () => {
    const defaults = parseStackConfig({ "entra-tap:policy": JSON.stringify({ state: "disabled" }) }).policy;
    for (const key of Object.keys(tapPolicyConfigSchema().shape)) {
      const expected = key === "state" ? "enabled" : JSON.stringify(defaults[key as keyof typeof defaults]);
      const [, , , , defaultCell] = row(key);
      expect(defaultCell.replaceAll("`", "")).toContain(expected.replaceAll('"', ""));
    }
  });

  it("documents every key of the audience, its groups, its session controls, the grants, the handover and the monitoring", () => {
    const sessionControls = tapAudienceConfigSchema().shape.sessionControls.unwrap();
    const keys = [
      ...Object.keys(tapAudienceConfigSchema().shape),
      ...Object.keys(audienceTargetSchema().shape),
      ...Object.keys(sessionControls.shape),
      ...Object.keys(temporaryAccessGrantConfigSchema().shape),
      ...Object.keys(handoverConfigSchema().shape),
      ...Object.keys(tapMonitoringConfigSchema().shape),
      ...Object.keys(tapMonitoringConfigSchema().shape.workspace.shape),
      ...Object.keys(tapMonitoringConfigSchema().shape.actionGroup.shape),
      ...Object.keys(tapMonitoringConfigSchema().shape.detections.unwrap().shape.tapIssued.unwrap().shape),
    ];
    for (const key of keys) expect(() => row(key)).not.toThrow();
  });

  it("documents the new monitoring and grant keys, with the privileged operations' defaults", () => {
    for (const key of ["activityLog", "subscriptionIds", "privilegedOperations", "expectedLocations"]) {
      expect(() => row(key)).not.toThrow();
    }
    for (const operation of defaultPrivilegedOperations.azure) expect(row("azure")[4]).toContain(operation);
    for (const operation of defaultPrivilegedOperations.directory) {
      expect(row("directory")[4]).toContain(operation);
    }
  });

  it("states Microsoft's ranges for lifetimes and length", () => {
    for (const key of ["minimumLifetimeInMinutes", "defaultLifetimeInMinutes", "maximumLifetimeInMinutes"]) {
      expect(row(key)[5]).toContain("10..43200");
    }
    expect(row("defaultLength")[5]).toContain("8..48");
  });

  it("states the limits config/rawConfig.ts holds every value to, and the text fields' length beside them", () => {
    const limits = configurationDoc.split("## Limits on every value")[1].split("\n## ")[0];
    const length = `at most ${maxStringLength.toLocaleString("en-US")} characters`;
    expect(limits).toContain(`every text is ${length}`);
    expect(limits).toContain(`nested at most ${maxDepth} levels deep`);
    for (const key of forbiddenKeys) expect(limits).toContain(`\`${key}\``);
    for (const key of [
      "reason",
      "ticket",
      "requestedBy",
      "approvedBy",
      "displayName",
      "description",
      "directory",
    ]) {
      expect(row(key).join(" | ")).toContain(length);
    }
    // Every length stated anywhere in the docs, in prose or in an example message, is the one enforced.
    const stated = [...configurationDoc.matchAll(/at most ([\d,]+) characters/g)].map((m) => m[1]);
    expect(stated.length).toBeGreaterThan(7);
    for (const number of stated) expect(Number(number.replaceAll(",", ""))).toBe(maxStringLength);
  });

  it("uses an example that is itself a valid policy", () => {
    const example = configurationDoc.split("```yaml")[1].split("```")[0];
    const config = parseYaml(example).config as Record<string, unknown>;
    const raw = Object.fromEntries(
      Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    expect(() => parseStackConfig(raw)).not.toThrow();
  });
});

describe("generated docs", () => {
  it("match the code's metadata (npm run docs -- --check)", () => {
    const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), "scripts/docs.ts", "--check"], {
      cwd: path.join(__dirname, "../.."),
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("cover every policy", () => {
    const doc = fs.readFileSync(path.join(__dirname, "../../docs/policies.md"), "utf8");
    for (const policy of policies) expect(doc).toMatch(new RegExp(`\\| \`${policy.name}\` +\\|`));
  });

  it("cover every detection", () => {
    const monitoring = fs.readFileSync(path.join(__dirname, "../../docs/monitoring.md"), "utf8");
    for (const detection of detections)
      expect(monitoring).toMatch(new RegExp(`\\| \`${detection.key}\` +\\|`));
  });
});
