// The offline plan's policy pack: violations and exit 1, the audit trail, and pack configs.
import * as fs from "node:fs";
import * as path from "node:path";
import { makeTempDir } from "../support/tempDirs";
import { devStackConfig, plan, stackFile } from "./plan.support";

describe("npm run plan", () => {
  it("fails with exit 1 when a lifetime is over the organisation's maximum or the length under its minimum", () => {
    const dev = { config: devStackConfig() };
    const policy = { ...dev.config["entra-tap:policy"], maximumLifetimeInMinutes: 1440, defaultLength: 10 };
    const file = stackFile({ ...dev.config, "entra-tap:policy": policy });
    const result = plan("--stack", "test", "--config-file", file, "--json", "--at", "2027-11-26T22:00:00Z");
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).violations).toEqual([
      {
        policy: "tap-policy-maximum-lifetime",
        enforcementLevel: "mandatory",
        message: "maximumLifetimeInMinutes is 1440; the organisation's maximum is 480 minutes.",
        resource: "tap-policy",
      },
      {
        policy: "tap-policy-minimum-length",
        enforcementLevel: "mandatory",
        message: "defaultLength is 10; the organisation's minimum is 14 characters.",
        resource: "tap-policy",
      },
    ]);
    const text = plan("--stack", "test", "--config-file", file, "--at", "2027-11-26T22:00:00Z");
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(
      "[mandatory] tap-policy-maximum-lifetime (tap-policy): maximumLifetimeInMinutes is 1440; the organisation's maximum is 480 minutes.",
    );
  });

  it("fails the audit-trail rule for the dev stack without its monitoring, and not once TAP is disabled", () => {
    const dev = { config: devStackConfig() };
    const { "entra-tap:monitoring": _monitoring, ...withoutMonitoring } = dev.config;
    const result = plan(
      "--stack",
      "test",
      "--config-file",
      stackFile(withoutMonitoring),
      "--json",
      "--at",
      "2027-11-26T22:00:00Z",
    );
    expect(result.status).toBe(1);
    const violations = JSON.parse(result.stdout).violations as { policy: string; message: string }[];
    expect(violations.filter((v) => v.policy === "tap-audit-trail").map((v) => v.message)).toEqual([
      "TAP is enabled but no diagnostic setting sends AuditLogs to a workspace.",
      "TAP is enabled but no action group has a receiver: alerts would reach no one.",
      "TAP is enabled but the tapIssued detection has no alert rule.",
      "TAP is enabled but the tapDeleted detection has no alert rule.",
      "TAP is enabled but the tapPolicyChanged detection has no alert rule.",
    ]);
    const disabled = {
      ...withoutMonitoring,
      "entra-tap:policy": { ...withoutMonitoring["entra-tap:policy"], state: "disabled" },
      "entra-tap:grants": [],
    };
    const off = plan(
      "--stack",
      "test",
      "--config-file",
      stackFile(disabled),
      "--json",
      "--at",
      "2027-11-26T22:00:00Z",
    );
    expect(JSON.parse(off.stdout).violations).toEqual([]);
    expect(off.status).toBe(0);
  });

  it("fails the audit-trail rule when a required detection is switched off or notifies no one", () => {
    const dev = { config: devStackConfig() };
    const monitoring = {
      ...dev.config["entra-tap:monitoring"],
      detections: { tapDeleted: { enabled: false }, tapPolicyChanged: { notify: false } },
    };
    const file = stackFile({ ...dev.config, "entra-tap:monitoring": monitoring });
    const result = plan("--stack", "test", "--config-file", file, "--json", "--at", "2027-11-26T22:00:00Z");
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).violations).toEqual([
      {
        policy: "tap-audit-trail",
        enforcementLevel: "mandatory",
        message: "TAP is enabled but the tapDeleted detection has no alert rule.",
        resource: null,
      },
      {
        policy: "tap-audit-trail",
        enforcementLevel: "mandatory",
        message: "the tapPolicyChanged alert rule notifies no action group.",
        resource: "tap-monitoring-tapPolicyChanged",
      },
    ]);
  });

  /** The dev stack's plan as JSON, at a fixed time, with the pack config `file`. */
  const planDevWith = (file: string) =>
    plan("--stack", "dev", "--json", "--at", "2027-11-26T22:00:00Z", "--policy-config", file);

  it("passes the dev stack under the strict pack config its workflows enforce", () => {
    const strict = planDevWith("policies/config/strict.json");
    expect(strict.stderr).toBe("");
    expect(strict.status).toBe(0);
    expect(JSON.parse(strict.stdout).violations).toEqual([]);
  });

  it("applies a pack config: stricter limits fail, advisory levels do not", () => {
    const dir = makeTempDir("entra-tap-pack-");
    const stricter = path.join(dir, "stricter.json");
    fs.writeFileSync(
      stricter,
      JSON.stringify({
        "tap-policy-minimum-length": { minimumLength: 20 },
        "tap-grant-window": { maximumGrantDays: 7 },
      }),
    );
    const refused = planDevWith(stricter);
    expect(refused.status).toBe(1);
    const names = JSON.parse(refused.stdout).violations.map((v: { policy: string }) => v.policy);
    expect(names).toEqual(expect.arrayContaining(["tap-policy-minimum-length", "tap-grant-window"]));
    const advisory = path.join(dir, "advisory.json");
    fs.writeFileSync(
      advisory,
      JSON.stringify({ all: "advisory", "tap-policy-minimum-length": { minimumLength: 20 } }),
    );
    const result = planDevWith(advisory);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).violations).toEqual([
      {
        policy: "tap-policy-minimum-length",
        enforcementLevel: "advisory",
        message: "defaultLength is 16; the organisation's minimum is 20 characters.",
        resource: "tap-policy",
      },
    ]);
  });
});
