// The offline plan. What evaluates the program runs as a user runs it, a process per plan (the mock runtime evaluates a
// program once per process): the real stack files, exit statuses and output. What the plan refuses before it evaluates
// the program (arguments, config, help) runs in this process, through runPlan with its streams captured.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { exitCodes } from "../../scripts/cli";
import { runPlan } from "../../scripts/plan";
import { makeTempDir } from "../support/tempDirs";

const projectDir = path.resolve(__dirname, "../..");
const tsxCli = require.resolve("tsx/cli");

/** The plan in this process: for refusals only, which never reach the program. */
async function planHere(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runPlan(args, {
    stdout: (text) => stdout.push(text),
    stderr: (text) => stderr.push(text),
    env: {},
  });
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

function plan(...args: string[]) {
  const result = spawnSync(process.execPath, [tsxCli, "scripts/plan.ts", ...args], {
    cwd: projectDir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The dev stack's config, as its file holds it: a base for variations. */
function devStackConfig(): Record<string, Record<string, unknown>> {
  const file = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.dev.yaml"), "utf8")) as {
    config: Record<string, Record<string, unknown>>;
  };
  return file.config;
}

function stackFile(config: Record<string, unknown>): string {
  const dir = makeTempDir("entra-tap-plan-");
  const file = path.join(dir, "Pulumi.test.yaml");
  // Strings quoted, as in the dev stack: an unquoted date is a YAML timestamp, which the CLI hands over as Go prints it.
  fs.writeFileSync(
    file,
    stringifyYaml({ config }, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }),
  );
  return file;
}

describe("npm run plan", () => {
  it("shows the dev stack's declared resources as JSON, exit 0", () => {
    const result = plan("--stack", "dev", "--json", "--at", "2027-11-26T22:00:00Z");
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.stack).toBe("dev");
    expect(output.violations).toEqual([]);
    const names = (type: string) =>
      output.resources.filter((r: { type: string }) => r.type === type).map((r: { name: string }) => r.name);
    expect(names("azuread:index/group:Group").sort()).toEqual([
      "tap-audience-target-contractors",
      "tap-audience-target-onboarding",
      "tap-audience-target-support",
    ]);
    expect(names("pulumi-nodejs:dynamic/entra:UserTemporaryAccessPass")).toEqual([
      "contractor-jane-doe-tap",
      "support-ahmed-khan-tap",
      "new-hire-sofia-rossi-tap",
    ]);
    expect(names("azuread:index/groupMember:GroupMember")).toHaveLength(2);
    // The new hire's membership through PIM for Groups, checked by its provider like every dynamic resource.
    expect(names("pulumi-nodejs:dynamic/entra:PimGroupMembership")).toEqual([
      "new-hire-sofia-rossi-pim-membership",
    ]);
    expect(names("azure-native:authorization:PimRoleEligibilitySchedule")).toEqual([
      expect.stringMatching(/^support-ahmed-khan-role-acdd72a7-[0-9a-f]{8}$/),
    ]);
    const policy = output.resources.find(
      (r: { type: string }) => r.type === "pulumi-nodejs:dynamic/entra:TemporaryAccessPassPolicy",
    );
    expect(policy).toMatchObject({ name: "tap-policy", parent: "tap-policy" });
    expect(policy.inputs).toMatchObject({
      state: "enabled",
      maximumLifetimeInMinutes: 480,
      defaultLength: 14,
    });
    for (const resource of output.resources)
      expect(Object.keys(resource)).toEqual(["type", "name", "parent", "inputs"]);
    expect(result.stdout).not.toContain("__provider");
  });

  it("declares a role in the form its scope needs, as preview does, whichever form the stack file holds", () => {
    const dev = devStackConfig();
    const grants = dev["entra-tap:grants"] as unknown as Record<string, unknown>[];
    const index = grants.findIndex((g) => g.name === "support-ahmed-khan");
    const [role] = grants[index].azureRoles as { roleDefinitionId: string; scope: string }[];
    const subscription = role.scope.split("/")[2];
    const tenantForm = role.roleDefinitionId.replace(/^\/subscriptions\/[^/]+/, "");
    const subscriptionForm = `/subscriptions/${subscription}${tenantForm}`;
    const planned = (roleDefinitionId: string) => {
      const changed = grants.map((g, i) =>
        i === index ? { ...g, azureRoles: [{ ...role, roleDefinitionId }] } : g,
      );
      const file = stackFile({ ...dev, "entra-tap:grants": changed });
      const result = plan("--stack", "test", "--config-file", file, "--json", "--at", "2027-11-26T22:00:00Z");
      expect(result.status).toBe(0);
      const output = JSON.parse(result.stdout);
      expect(output.violations).toEqual([]);
      return output.resources.filter(
        (r: { type: string }) => r.type === "azure-native:authorization:PimRoleEligibilitySchedule",
      ) as { name: string; inputs: Record<string, unknown> }[];
    };
    const fromTenantForm = planned(tenantForm);
    const fromSubscriptionForm = planned(subscriptionForm);
    expect(fromTenantForm).toHaveLength(1);
    expect(fromTenantForm[0].inputs).toMatchObject({ roleDefinitionId: subscriptionForm, scope: role.scope });
    expect(fromSubscriptionForm).toEqual(fromTenantForm);
  });

  it("shows every alert rule with its query, and keeps the webhook secret", () => {
    const dev = devStackConfig();
    const monitoring = dev["entra-tap:monitoring"] as { actionGroup: Record<string, unknown> };
    const file = stackFile({
      ...dev,
      "entra-tap:monitoring": {
        ...monitoring,
        actionGroup: {
          ...monitoring.actionGroup,
          webhooks: [
            {
              name: "soar",
              url: { secure: "v1:fX0hY2xh2mQkR0bB:3cVxq1pZkN9u7d2m5T8Wj4eYbK6rA0sL1hG9fD3cX7v" },
            },
          ],
        },
      },
    });
    const result = plan("--stack", "test", "--config-file", file, "--json", "--at", "2027-11-26T22:00:00Z");
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    const rules = output.resources.filter(
      (r: { type: string }) => r.type === "azure-native:monitor:ScheduledQueryRule",
    );
    expect(rules).toHaveLength(11);
    for (const rule of rules) {
      expect(rule.inputs.criteria.allOf[0].query).toMatch(/^(let |AuditLogs|SigninLogs)/);
    }
    const names = rules.map((r: { name: string }) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "tap-monitoring-accessAfterGrantWindow",
        "tap-monitoring-privilegedOperationByTemporaryUser",
        "tap-monitoring-unexpectedGrantLocation",
      ]),
    );
    const actionGroup = output.resources.find(
      (r: { type: string }) => r.type === "azure-native:monitor:ActionGroup",
    );
    expect(actionGroup.inputs.webhookReceivers).toBe("[secret]");
    expect(result.stdout).not.toContain("v1:fX0hY2xh");
  });

  it("shows the grants in the workspace functions the activity detections call, and the activity log routed per subscription", () => {
    const dev = devStackConfig();
    const grants = dev["entra-tap:grants"] as unknown as Record<string, unknown>[];
    const added = {
      ...grants[2],
      name: "new-hire-lena-vogel",
      user: "lena.vogel@contoso.com",
      ticket: "HR-5521",
      start: "2027-12-02T08:00:00Z",
      expiry: "2027-12-02T17:00:00Z",
    };
    const file = stackFile({ ...dev, "entra-tap:grants": [...grants, added] });
    const result = plan("--stack", "test", "--config-file", file, "--json", "--at", "2027-11-26T22:00:00Z");
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    const named = (name: string) => output.resources.find((r: { name: string }) => r.name === name);
    const query = (name: string) => named(name).inputs.criteria.allOf[0].query as string;
    const grantsFunction = named("tap-monitoring-function-EntraTapGrants").inputs.query as string;
    for (const grant of ["contractor-jane-doe", "support-ahmed-khan", "new-hire-sofia-rossi"]) {
      expect(grantsFunction).toContain(grant);
    }
    expect(grantsFunction).toContain('"new-hire-lena-vogel", "lena.vogel@contoso.com", "HR-5521"');
    for (const name of ["accessAfterGrantWindow", "privilegedOperationByTemporaryUser"]) {
      expect(query(`tap-monitoring-${name}`)).toContain("let Grants = EntraTapGrants();");
    }
    // Clean-up is read from the targeted groups, named as the audit log names them before they exist.
    expect(query("tap-monitoring-accessAfterGrantWindow")).toContain(
      'has_any (dynamic(["TAP - Contractors", "TAP - Support engineers", "TAP - New hires"]))',
    );
    // Only the grant that declares locations is checked for them.
    expect(named("tap-monitoring-function-EntraTapGrantLocations").inputs.query).toContain(
      '"contractor-jane-doe", dynamic(["NL"]), dynamic(["203.0.113.0/24"]), dynamic([])',
    );
    const subscription = "5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59";
    expect(named(`tap-monitoring-activity-log-${subscription}`)).toMatchObject({
      type: "azure-native:monitor:DiagnosticSetting",
      parent: "tap-monitoring",
      inputs: { resourceUri: `/subscriptions/${subscription}`, name: "entra-tap-dev" },
    });
    // Nothing a grant holds beyond its name, user, ticket and window reaches a query or a function.
    for (const resource of output.resources.filter((r: { type: string }) =>
      ["azure-native:monitor:ScheduledQueryRule", "azure-native:operationalinsights:SavedSearch"].includes(
        r.type,
      ),
    )) {
      expect(JSON.stringify(resource.inputs)).not.toContain("maria.garcia@contoso.com");
      expect(JSON.stringify(resource.inputs)).not.toContain("Data platform migration");
    }
  });

  it("keeps an ended grant in the grants' function for the workspace's retention, then drops it", () => {
    const queryAt = (at: string) => {
      const result = plan("--stack", "dev", "--json", "--at", at, "--existing-stack");
      expect(result.status).toBe(0);
      const grantsFunction = JSON.parse(result.stdout).resources.find(
        (r: { name: string }) => r.name === "tap-monitoring-function-EntraTapGrants",
      );
      return grantsFunction.inputs.query as string;
    };
    // support-ahmed-khan ends on 2027-11-28T17:00Z; the dev workspace keeps 90 days.
    expect(queryAt("2028-02-20T00:00:00Z")).toContain("support-ahmed-khan");
    expect(queryAt("2028-02-28T00:00:00Z")).not.toContain("support-ahmed-khan");
  });

  it("passes the policy pack with its defaults and with the baseline config", () => {
    for (const extra of [[], ["--policy-config", "policies/config/baseline.json"]]) {
      const result = plan("--stack", "dev", "--json", "--at", "2027-11-26T22:00:00Z", ...extra);
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout).violations).toEqual([]);
    }
  });

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

  it("applies a pack config: stricter limits, advisory levels that do not fail", () => {
    const strict = plan(
      "--stack",
      "dev",
      "--json",
      "--at",
      "2027-11-26T22:00:00Z",
      "--policy-config",
      "policies/config/strict.json",
    );
    expect(strict.status).toBe(1);
    const names = JSON.parse(strict.stdout).violations.map((v: { policy: string }) => v.policy);
    expect(names).toEqual(
      expect.arrayContaining([
        "tap-policy-maximum-lifetime",
        "tap-policy-minimum-length",
        "tap-grant-window",
      ]),
    );
    const dir = makeTempDir("entra-tap-pack-");
    const advisory = path.join(dir, "advisory.json");
    fs.writeFileSync(
      advisory,
      JSON.stringify({ all: "advisory", "tap-policy-minimum-length": { minimumLength: 16 } }),
    );
    const result = plan(
      "--stack",
      "dev",
      "--json",
      "--at",
      "2027-11-26T22:00:00Z",
      "--policy-config",
      advisory,
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).violations).toEqual([
      {
        policy: "tap-policy-minimum-length",
        enforcementLevel: "advisory",
        message: "defaultLength is 14; the organisation's minimum is 16 characters.",
        resource: "tap-policy",
      },
    ]);
  });

  it("drops what ended grants held, keeping only their ended passes, as of a later date", () => {
    // A stack that already issued the passes: they end. (A new stack would refuse grants already over.)
    const result = plan("--stack", "dev", "--json", "--at", "2027-12-20T00:00:00Z", "--existing-stack");
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    const types = output.resources.map((r: { type: string }) => r.type);
    expect(types).not.toContain("azuread:index/groupMember:GroupMember");
    expect(types).not.toContain("azure-native:authorization:PimRoleEligibilitySchedule");
    const passes = output.resources.filter(
      (r: { type: string }) => r.type === "pulumi-nodejs:dynamic/entra:UserTemporaryAccessPass",
    );
    expect(passes.map((p: { inputs: { grantEnded: boolean } }) => p.inputs.grantEnded)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("says in its text what it is and what it is not", () => {
    const result = plan("--stack", "dev", "--at", "2027-11-26T22:00:00Z");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("  pulumi-nodejs:dynamic/entra:TemporaryAccessPassPolicy  tap-policy\n");
    expect(result.stdout).toContain("not a diff against the live tenant");
    expect(result.stdout).toContain(
      "  pulumi-nodejs:dynamic/entra:UserTemporaryAccessPass  contractor-jane-doe-tap\n      temporaryAccessPass: [secret] (output, known after apply)\n",
    );
  });

  it("refuses, as preview refuses it, a new stack whose grant has already ended, and says this depends on state", () => {
    // The dev stack copied into a new stack after a grant's expiry: the pass's check refuses a grant already over.
    const result = plan("--stack", "dev", "--json", "--at", "2027-11-29T00:00:00Z");
    expect(result.status).toBe(2);
    const output = JSON.parse(result.stdout);
    expect(output.errors).toEqual([
      'support-ahmed-khan-tap: temporaryAccessPass.grantExpiry: "2027-11-28T17:00:00Z" has passed; a new grant must end in the future',
    ]);
    expect(output.warnings).toEqual([
      expect.stringMatching(
        /^support-ahmed-khan-tap: refused as a new resource, .* a stack that already holds support-ahmed-khan-tap accepts it/,
      ),
    ]);
    const text = plan("--stack", "dev", "--at", "2027-11-29T00:00:00Z");
    expect(text.status).toBe(2);
    expect(text.stderr).toContain("warning: support-ahmed-khan-tap: refused as a new resource");
  });

  it("prints JSON only on stdout when run through npm as the README says", () => {
    const result = spawnSync(
      "npm",
      ["run", "plan", "--", "--stack", "dev", "--json", "--at", "2027-11-26T22:00:00Z"],
      {
        cwd: projectDir,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
      },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).stack).toBe("dev");
  });

  it("names a missing stack file and exits 2", () => {
    const result = plan("--stack", "nope");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("no stack config file");
    expect(result.stderr).toContain("Pulumi.nope.yaml");
  });
});

describe("npm run plan: what it refuses before evaluating the program", () => {
  it("documents every flag and its exit statuses in --help, exit 0", async () => {
    const result = await planHere("--help");
    expect(result.status).toBe(exitCodes.plan.ok);
    for (const flag of [
      "--stack <name>",
      "--config-file <path>",
      "--json",
      "--at <ISO date>",
      "--policy-config <file>",
      "--existing-stack",
      "--help",
    ]) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout.replace(/\s+/g, " ")).toContain(
      "Exit status: 0 when the stack is valid and passes the mandatory policies; 1 when a mandatory policy is violated; 2 when",
    );
  });

  it.each([
    [[], /required option '--stack <name>' not specified/],
    [["--stack", "dev", "--at", "yesterday"], /^error: --at "yesterday" is not an ISO 8601 date$/m],
    [["--stack", "../etc"], /--stack "..\/etc": not a stack name/],
    [["--stack", "dev", "--frobnicate"], /unknown option '--frobnicate'/],
    [["--stack", "dev", "extra"], /too many arguments/],
  ])("refuses %j with exit status 2", async (args, message) => {
    const result = await planHere(...args);
    expect(result.status).toBe(exitCodes.plan.usage);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });

  it("refuses a role definition id of another subscription than its scope's, naming it", async () => {
    const dev = devStackConfig();
    const grants = dev["entra-tap:grants"] as unknown as Record<string, unknown>[];
    const index = grants.findIndex((g) => g.name === "support-ahmed-khan");
    const [role] = grants[index].azureRoles as { roleDefinitionId: string; scope: string }[];
    const tenantForm = role.roleDefinitionId.replace(/^\/subscriptions\/[^/]+/, "");
    const other = `/subscriptions/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6${tenantForm}`;
    const changed = grants.map((g, i) =>
      i === index ? { ...g, azureRoles: [{ ...role, roleDefinitionId: other }] } : g,
    );
    const result = await planHere(
      "--stack",
      "test",
      "--config-file",
      stackFile({ ...dev, "entra-tap:grants": changed }),
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `entra-tap:grants[${index}].azureRoles[0].roleDefinitionId: "${other}" is not allowed; expected a role definition id of the scope's subscription`,
    );
  });

  it("exits 2 with one message per config problem, naming key path, value and allowed range", async () => {
    const file = stackFile({
      "entra-tap:policy": {
        maximumLifetimeInMinutes: 50000,
        defaultLength: 4,
        includeTargets: [{ id: "contractors" }],
        oneTimeUse: true,
      },
    });
    const result = await planHere("--stack", "test", "--config-file", file);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      'Stack "test" is refused:',
      "  entra-tap:policy.maximumLifetimeInMinutes: 50000 is not allowed; expected an integer from 10 to 43200",
      "  entra-tap:policy.defaultLength: 4 is not allowed; expected an integer from 8 to 48",
      '  entra-tap:policy.includeTargets[0].id: "contractors" is not allowed; expected a group object id (GUID) or "all_users"',
      "  entra-tap:policy.oneTimeUse: not a known key; known keys: state, defaultLifetimeInMinutes, minimumLifetimeInMinutes, maximumLifetimeInMinutes, defaultLength, isUsableOnce, includeTargets, excludeTargets, onDestroy",
    ]);
  });

  it("gives the config problems in JSON too, with exit 2", async () => {
    const file = stackFile({ "entra-tap:policy": { state: "on", includeTargets: [{ id: "all_users" }] } });
    const result = await planHere("--stack", "test", "--config-file", file, "--json");
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      stack: "test",
      resources: [],
      violations: [],
      errors: ['entra-tap:policy.state: "on" is not allowed; expected one of "enabled", "disabled"'],
      warnings: [],
    });
  });

  it("masks secure config values it cannot decrypt", async () => {
    const file = stackFile({
      "entra-tap:policy": { includeTargets: [{ id: "all_users" }] },
      "entra-tap:extra": { secure: "v1:c2FsdHNhbHQ=:Y2lwaGVydGV4dGNpcGhlcg==" },
    });
    const result = await planHere("--stack", "test", "--config-file", file);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("entra-tap:extra: not a known key");
    expect(result.stderr).not.toContain("Y2lwaGVy");
  });

  it("refuses a secure: value that cannot be Pulumi ciphertext, naming the key, never the value", async () => {
    const file = stackFile({
      "entra-tap:policy": { includeTargets: [{ id: "all_users" }] },
      "entra-tap:monitoring": {
        actionGroup: { webhooks: [{ name: "soar", url: { secure: "https://hooks.example/x?sig=abc" } }] },
      },
    });
    const result = await planHere("--stack", "test", "--config-file", file, "--json");
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).errors[0]).toBe(
      "entra-tap:monitoring.actionGroup.webhooks[0].url: a secure: value that is not Pulumi ciphertext (never shown); set it with pulumi config set --secret --path 'entra-tap:monitoring.actionGroup.webhooks[0].url' <value>",
    );
    expect(result.stdout).not.toContain("sig=abc");
  });

  it("names a missing stack file in its errors, in JSON too", async () => {
    const result = await planHere("--stack", "nope", "--json");
    expect(result.status).toBe(exitCodes.plan.usage);
    expect(JSON.parse(result.stdout)).toEqual({
      stack: "nope",
      resources: [],
      violations: [],
      errors: [`--stack nope: no stack config file ${path.join(projectDir, "Pulumi.nope.yaml")}`],
      warnings: [],
    });
  });

  it("judges the config at --at, leaving the clock alone", async () => {
    // Two grants of one user that overlap: refused while both are active (at --at), not once both have ended.
    const dev = devStackConfig();
    const grants = dev["entra-tap:grants"] as unknown as Record<string, unknown>[];
    const overlapping = [
      { ...grants[0], name: "contractor-1", start: "2025-01-01T08:00:00Z", expiry: "2025-01-01T18:00:00Z" },
      { ...grants[0], name: "contractor-2", start: "2025-01-01T12:00:00Z", expiry: "2025-01-01T20:00:00Z" },
    ];
    const file = stackFile({ ...dev, "entra-tap:grants": [...grants, ...overlapping] });
    const clock = Date.now;
    const result = await planHere("--stack", "test", "--config-file", file, "--at", "2025-01-01T13:00:00Z");
    expect(Date.now).toBe(clock);
    expect(result.status).toBe(exitCodes.plan.usage);
    expect(result.stderr).toContain(
      `entra-tap:grants[${grants.length + 1}].user: "jane.doe@contoso.com" is not allowed; expected at most one active grant per user (overlaps grants[${grants.length}], contractor-1)`,
    );
  });
});
