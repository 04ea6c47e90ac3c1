// The offline plan's declared resources for the dev stack and variations of it, now and as of later dates.
import { devStackConfig, plan, stackFile } from "./plan.support";

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
    expect(names("entra-tap:graph:UserTemporaryAccessPass")).toEqual([
      "contractor-jane-doe-tap",
      "support-ahmed-khan-tap",
      "new-hire-sofia-rossi-tap",
    ]);
    expect(names("azuread:index/groupMember:GroupMember")).toHaveLength(2);
    // The new hire's membership through PIM for Groups, checked by its provider like every Graph resource.
    expect(names("entra-tap:graph:PimGroupMembership")).toEqual(["new-hire-sofia-rossi-pim-membership"]);
    expect(names("azure-native:authorization:PimRoleEligibilitySchedule")).toEqual([
      expect.stringMatching(/^support-ahmed-khan-role-acdd72a7-[0-9a-f]{8}$/),
    ]);
    const policy = output.resources.find(
      (r: { type: string }) => r.type === "entra-tap:graph:TemporaryAccessPassPolicy",
    );
    expect(policy).toMatchObject({ name: "tap-policy", parent: "tap-policy" });
    expect(policy.inputs).toMatchObject({
      state: "enabled",
      maximumLifetimeInMinutes: 240,
      defaultLength: 16,
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
    expect(rules).toHaveLength(12);
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

  it("drops what ended grants held, keeping only their ended passes, as of a later date", () => {
    // A stack that already issued the passes: they end. (A new stack would refuse grants already over.)
    const result = plan("--stack", "dev", "--json", "--at", "2027-12-20T00:00:00Z", "--existing-stack");
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    const types = output.resources.map((r: { type: string }) => r.type);
    expect(types).not.toContain("azuread:index/groupMember:GroupMember");
    expect(types).not.toContain("azure-native:authorization:PimRoleEligibilitySchedule");
    const passes = output.resources.filter(
      (r: { type: string }) => r.type === "entra-tap:graph:UserTemporaryAccessPass",
    );
    expect(passes.map((p: { inputs: { grantEnded: boolean } }) => p.inputs.grantEnded)).toEqual([
      true,
      true,
      true,
    ]);
  });
});
