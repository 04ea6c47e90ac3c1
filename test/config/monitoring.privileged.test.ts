// entra-tap:monitoring's deployment identities, privileged accounts and privileged operations: each rule's message.
import { defaultPrivilegedOperations } from "../../components/detections";
import { deployer, monitoringProblems, parsedMonitoring, tierZeroGroup } from "./monitoring.support";

const breakGlassObjectId = "d4c1a7e9-2b3f-4e6a-8c5d-9f0e1b2a3c4d";

describe("entra-tap:monitoring.deploymentIdentities", () => {
  it("is required", () => {
    expect(monitoringProblems({ deploymentIdentities: undefined })).toEqual([
      "entra-tap:monitoring.deploymentIdentities: missing is not allowed; expected a list of object ids",
    ]);
  });

  it("is not empty", () => {
    expect(monitoringProblems({ deploymentIdentities: [] })).toEqual([
      "entra-tap:monitoring.deploymentIdentities: [] is not allowed; expected the object id of at least one identity that runs pulumi up (passes it issues are in process)",
    ]);
  });

  it.each(["pulumi-deployer", "sp-entra-tap@contoso.com", `${deployer}0`])("refuses %p", (identity) => {
    expect(monitoringProblems({ deploymentIdentities: [deployer, identity] })).toEqual([
      `entra-tap:monitoring.deploymentIdentities[1]: ${JSON.stringify(identity)} is not allowed; expected an object id (GUID)`,
    ]);
  });

  it("accepts object ids in upper case", () => {
    expect(monitoringProblems({ deploymentIdentities: [deployer.toUpperCase()] })).toEqual([]);
  });
});

describe("entra-tap:monitoring.privilegedAccounts", () => {
  it("accepts user principal names and object ids as users", () => {
    const users = ["admin.breakglass1@contoso.onmicrosoft.com", "tom.becker@contoso.com", breakGlassObjectId];
    expect(parsedMonitoring({ privilegedAccounts: { users } })?.privilegedAccounts).toEqual({
      users,
      groups: [],
    });
  });

  it.each(["not a user", "tom.becker", "tom@becker@contoso.com"])("refuses user %p", (user) => {
    expect(monitoringProblems({ privilegedAccounts: { users: [user] } })).toEqual([
      `entra-tap:monitoring.privilegedAccounts.users[0]: ${JSON.stringify(user)} is not allowed; expected a user principal name or object id`,
    ]);
  });

  it("accepts group object ids", () => {
    expect(parsedMonitoring({ privilegedAccounts: { groups: [tierZeroGroup] } })?.privilegedAccounts).toEqual(
      {
        users: [],
        groups: [tierZeroGroup],
      },
    );
  });

  it.each(["Tier 0 administrators", "tier0@contoso.com"])("refuses group %p", (group) => {
    expect(monitoringProblems({ privilegedAccounts: { groups: [tierZeroGroup, group] } })).toEqual([
      `entra-tap:monitoring.privilegedAccounts.groups[1]: ${JSON.stringify(group)} is not allowed; expected an object id (GUID)`,
    ]);
  });

  it("refuses an unknown key", () => {
    expect(monitoringProblems({ privilegedAccounts: { admins: [] } })).toEqual([
      "entra-tap:monitoring.privilegedAccounts.admins: not a known key; known keys: users, groups",
    ]);
  });
});

describe("entra-tap:monitoring.privilegedOperations", () => {
  const at = "entra-tap:monitoring.privilegedOperations";

  it("defaults each list on its own", () => {
    expect(
      parsedMonitoring({ privilegedOperations: { directory: ["Add member to role"] } })?.privilegedOperations,
    ).toEqual({ azure: defaultPrivilegedOperations.azure, directory: ["Add member to role"] });
    expect(parsedMonitoring({ privilegedOperations: { azure: [] } })?.privilegedOperations).toEqual({
      azure: [],
      directory: defaultPrivilegedOperations.directory,
    });
  });

  it("defaults to role assignment and policy writes and Key Vault secret reads, among others", () => {
    expect(defaultPrivilegedOperations.azure).toEqual(
      expect.arrayContaining([
        "Microsoft.Authorization/roleAssignments/write",
        "Microsoft.Authorization/policyAssignments/write",
        "Microsoft.KeyVault/vaults/secrets/read",
      ]),
    );
    expect(defaultPrivilegedOperations.directory).toContain("Add member to role");
  });

  it.each([
    "roleAssignments/write",
    "Microsoft.Authorization",
    "Microsoft.Authorization/role assignments/write",
  ])("refuses Azure operation %p", (operation) => {
    expect(monitoringProblems({ privilegedOperations: { azure: [operation] } })).toEqual([
      `${at}.azure[0]: ${JSON.stringify(operation)} is not allowed; expected an Azure operation, e.g. Microsoft.Authorization/roleAssignments/write`,
    ]);
  });

  it("refuses a blank directory operation and an unknown key, one message each", () => {
    expect(
      monitoringProblems({ privilegedOperations: { directory: ["Add member to role", " "], arm: [] } }),
    ).toEqual([
      `${at}.directory[1]: " " is not allowed; expected an audit log operation name, e.g. Add member to role`,
      `${at}.arm: not a known key; known keys: azure, directory`,
    ]);
  });
});
