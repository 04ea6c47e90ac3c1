// bootstrap/: the config check, the GitHub subjects, and the program under Pulumi's mock runtime, against the
// identities and permissions listed in bootstrap/identities.ts.
import { validateBootstrapConfig } from "../../bootstrap/config";
import {
  derivedEnvironmentSuffixes,
  federatedSubjects,
  githubAudience,
  githubIssuer,
  grantedPermissions,
  identities,
  microsoftGraphClientId,
} from "../../bootstrap/identities";
import type { DeclaredResource } from "../../scripts/declaredResources";
import { mockRuntime } from "../support/mockRuntime";

const repository = "contoso/entra-tap";
const byName = (name: string) => identities.find((identity) => identity.name === name)!;

describe("validateBootstrapConfig", () => {
  it("accepts a repository and defaults the environments to dev and prod", () => {
    expect(validateBootstrapConfig({ githubRepository: repository })).toEqual({
      config: {
        githubRepository: repository,
        environments: ["dev", "prod"],
        reviewAllUsers: false,
        reviewKnownIssuers: false,
      },
      problems: [],
    });
  });

  it("keeps the environments given", () => {
    const result = validateBootstrapConfig({
      githubRepository: "Contoso-IT/tap.infra_1",
      environments: ["test"],
    });
    expect(result).toEqual({
      config: {
        githubRepository: "Contoso-IT/tap.infra_1",
        environments: ["test"],
        reviewAllUsers: false,
        reviewKnownIssuers: false,
      },
      problems: [],
    });
  });

  it("requires the repository", () => {
    expect(validateBootstrapConfig({}).problems).toEqual([
      "bootstrap:githubRepository is required: the GitHub repository as owner/name",
    ]);
  });

  it.each([
    "entra-tap",
    "contoso/",
    "/entra-tap",
    "contoso/entra-tap/extra",
    "https://example.invalid/contoso/entra-tap",
    "-contoso/entra-tap",
    "contoso/..",
    "contoso/entra tap",
    // Immutable ids: both or neither, each a positive number.
    "contoso@5544123/entra-tap",
    "contoso/entra-tap@821093847",
    "contoso@/entra-tap@821093847",
    "contoso@0/entra-tap@821093847",
    "contoso@55a/entra-tap@821093847",
    "contoso@1@2/entra-tap@3@4",
  ])("refuses the repository %j", (githubRepository) => {
    expect(validateBootstrapConfig({ githubRepository }).problems).toEqual([
      "bootstrap:githubRepository must be owner/name (e.g. contoso/entra-tap), or owner@<owner id>/name@<repository " +
        `id> for GitHub's immutable subjects (e.g. contoso@5544123/entra-tap@821093847), got ${JSON.stringify(githubRepository)}`,
    ]);
  });

  it("refuses a deployment environment named like the previews' own", () => {
    expect(
      validateBootstrapConfig({ githubRepository: repository, environments: ["dev", "Preview"] }).problems,
    ).toEqual([
      'bootstrap:environments[1] "Preview" is the pull-request previews\' environment, not a deployment environment',
    ]);
  });

  it("accepts a repository with GitHub's immutable owner and repository ids", () => {
    const immutable = "contoso@5544123/entra-tap@821093847";
    expect(validateBootstrapConfig({ githubRepository: immutable }).problems).toEqual([]);
  });

  it("refuses an empty or non-list environments value", () => {
    const message = "bootstrap:environments must be a non-empty list of environment names, e.g. [dev, prod]";
    expect(validateBootstrapConfig({ githubRepository: repository, environments: [] }).problems).toEqual([
      message,
    ]);
    expect(validateBootstrapConfig({ githubRepository: repository, environments: "prod" }).problems).toEqual([
      message,
    ]);
  });

  it("reports every bad environment, by position, with the repository's problem", () => {
    expect(
      validateBootstrapConfig({
        githubRepository: 42,
        environments: ["dev", "Dev", "pr od", 7, "prod-passes"],
      }).problems,
    ).toEqual([
      "bootstrap:githubRepository must be text: the GitHub repository as owner/name",
      'bootstrap:environments[1] repeats "Dev"',
      `bootstrap:environments[2] must be a name of letters, digits, '-' and '_' (at most 50), got "pr od"`,
      `bootstrap:environments[3] must be a name of letters, digits, '-' and '_' (at most 50), got 7`,
      'bootstrap:environments[4] "prod-passes": list deployment environments only; each one\'s -passes environment is derived',
    ]);
  });

  it.each([
    [undefined, false],
    ["", false],
    ["false", false],
    [false, false],
    ["true", true],
    [true, true],
  ])("reads bootstrap:reviewAllUsers %j as %s", (reviewAllUsers, expected) => {
    const result = validateBootstrapConfig({ githubRepository: repository, reviewAllUsers });
    expect(result.problems).toEqual([]);
    expect("config" in result && result.config.reviewAllUsers).toBe(expected);
  });

  it.each(["yes", "True", "1", 1, ["true"]])("refuses bootstrap:reviewAllUsers %j", (reviewAllUsers) => {
    expect(validateBootstrapConfig({ githubRepository: repository, reviewAllUsers }).problems).toEqual([
      `bootstrap:reviewAllUsers must be true or false, got ${JSON.stringify(reviewAllUsers)}`,
    ]);
  });
});

describe("federatedSubjects", () => {
  it("trusts the preview environment (pull requests, once admitted) for the preview identity, whatever the environments", () => {
    expect(federatedSubjects(byName("entra-tap-preview"), repository, ["dev", "prod"])).toEqual([
      { key: "github-preview", subject: "repo:contoso/entra-tap:environment:preview" },
    ]);
  });

  it("trusts the deployment environments for the policy identity and their -passes twins for the passes", () => {
    expect(federatedSubjects(byName("entra-tap-policy"), repository, ["dev", "prod"])).toEqual([
      { key: "github-dev", subject: "repo:contoso/entra-tap:environment:dev" },
      { key: "github-prod", subject: "repo:contoso/entra-tap:environment:prod" },
    ]);
    expect(federatedSubjects(byName("entra-tap-passes"), repository, ["prod"])).toEqual([
      { key: "github-prod-passes", subject: "repo:contoso/entra-tap:environment:prod-passes" },
    ]);
    expect(derivedEnvironmentSuffixes()).toEqual(["-passes"]);
  });

  it("names the repository as immutable subjects do, for each identity's jobs", () => {
    // GitHub's format for repositories created, renamed or transferred on or after 2026-07-15.
    const immutable = "contoso@5544123/entra-tap@821093847";
    expect(federatedSubjects(byName("entra-tap-preview"), immutable, ["dev"])).toEqual([
      { key: "github-preview", subject: "repo:contoso@5544123/entra-tap@821093847:environment:preview" },
    ]);
    expect(
      federatedSubjects(byName("entra-tap-policy"), immutable, ["dev", "prod"]).map((s) => s.subject),
    ).toEqual([
      "repo:contoso@5544123/entra-tap@821093847:environment:dev",
      "repo:contoso@5544123/entra-tap@821093847:environment:prod",
    ]);
    expect(federatedSubjects(byName("entra-tap-passes"), immutable, ["prod"]).map((s) => s.subject)).toEqual([
      "repo:contoso@5544123/entra-tap@821093847:environment:prod-passes",
    ]);
  });
});

describe("the identities' permissions", () => {
  it("lists each permission once per identity", () => {
    for (const identity of identities) {
      const values = identity.permissions.map((permission) => permission.value);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it("gives the preview identity read permissions only", () => {
    for (const { value } of byName("entra-tap-preview").permissions) {
      expect(value).not.toMatch(/Write|Revoke/);
      expect(value).toMatch(/\.Read(Basic)?\.[A-Za-z]+$/);
    }
  });

  it("gives the passes identity PIM for Groups assignments, and AuditLog.Read.All only with bootstrap:reviewAllUsers", () => {
    const values = (reviewAllUsers: boolean, name: string) =>
      grantedPermissions(byName(name), { reviewAllUsers, reviewKnownIssuers: false }).map((p) => p.value);
    expect(values(false, "entra-tap-passes")).toContain(
      "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
    );
    expect(values(false, "entra-tap-passes")).not.toContain("AuditLog.Read.All");
    expect(values(true, "entra-tap-passes")).toEqual([
      ...values(false, "entra-tap-passes"),
      "AuditLog.Read.All",
    ]);
    // Known issuers need the same permission: either flag gives it.
    expect(
      grantedPermissions(byName("entra-tap-passes"), { reviewAllUsers: false, reviewKnownIssuers: true }).map(
        (p) => p.value,
      ),
    ).toContain("AuditLog.Read.All");
    // The flag gives nothing to the other identities, and no permission but the passes' is opt-in.
    for (const name of ["entra-tap-preview", "entra-tap-policy"]) {
      expect(values(true, name)).toEqual(values(false, name));
      expect(values(true, name)).toEqual(byName(name).permissions.map((p) => p.value));
    }
    expect(
      identities.flatMap((i) =>
        i.permissions.filter((p) => p.onlyWith).map((p) => [i.name, p.value, p.onlyWith]),
      ),
    ).toEqual([["entra-tap-passes", "AuditLog.Read.All", ["reviewAllUsers", "reviewKnownIssuers"]]]);
  });

  it("keeps the two tier-0 write permissions on different identities", () => {
    const holders = (value: string) =>
      identities.filter((identity) => identity.permissions.some((p) => p.value === value)).map((i) => i.name);
    expect(holders("Policy.ReadWrite.AuthenticationMethod")).toEqual(["entra-tap-policy"]);
    expect(holders("UserAuthenticationMethod.ReadWrite.All")).toEqual(["entra-tap-passes"]);
  });
});

describe("bootstrap/index.ts under the mock runtime", () => {
  let declared: DeclaredResource[];
  const graphObjectId = "graph-service-principal-object-id";
  // Graph's app roles in the mock tenant: every declared permission, and some nobody should get.
  const roleId = (value: string) => `role-id-of-${value}`;
  const graphRoles = [
    ...new Set(identities.flatMap((identity) => identity.permissions.map((p) => p.value))),
    "Directory.ReadWrite.All",
    "RoleManagement.ReadWrite.Directory",
  ];
  const roleValueOf = new Map(graphRoles.map((value) => [roleId(value), value]));
  let program: typeof import("../../bootstrap/index");
  const invokedClientIds: unknown[] = [];

  beforeAll(async () => {
    const pulumi = await import("@pulumi/pulumi");
    pulumi.runtime.setAllConfig({
      "bootstrap:githubRepository": repository,
      "bootstrap:environments": JSON.stringify(["dev", "prod"]),
      // As `pulumi config set bootstrap:reviewAllUsers true` stores it. (Off is the default: validateBootstrapConfig.)
      "bootstrap:reviewAllUsers": "true",
    });
    declared = await mockRuntime({
      project: "entra-tap-bootstrap",
      outputsOf: (resource) => {
        if (resource.type === "azuread:index/application:Application") {
          return {
            clientId: `${resource.name}-client-id`,
            objectId: `${resource.name}-application-object-id`,
          };
        }
        if (resource.type === "azuread:index/servicePrincipal:ServicePrincipal") {
          return { objectId: `${resource.name}-service-principal-object-id` };
        }
        return {};
      },
      invokeResults: (token, inputs) => {
        if (token === "azuread:index/getServicePrincipal:getServicePrincipal") {
          invokedClientIds.push(inputs.clientId);
          return {
            ...inputs,
            objectId: graphObjectId,
            appRoleIds: Object.fromEntries(graphRoles.map((value) => [value, roleId(value)])),
          };
        }
        if (token === "azuread:index/getClientConfig:getClientConfig") {
          return { tenantId: "tenant-id", clientId: "runner", objectId: "runner-object-id" };
        }
        throw new Error(`unexpected invoke ${token}`);
      },
    });
    program = await import("../../bootstrap/index");
    // Every registration is an RPC of the mock monitor; disconnecting waits for all of them.
    await pulumi.runtime.disconnect();
  });

  const ofType = (type: string) => declared.filter((resource) => resource.type === type);

  it("looks up Microsoft Graph's service principal by its client id", () => {
    expect(invokedClientIds.length).toBeGreaterThan(0);
    expect(new Set(invokedClientIds)).toEqual(new Set([microsoftGraphClientId]));
  });

  it("declares three applications, each with its service principal, named after the identity", () => {
    const applications = ofType("azuread:index/application:Application");
    expect(applications.map((a) => a.name).sort()).toEqual([
      "entra-tap-passes",
      "entra-tap-policy",
      "entra-tap-preview",
    ]);
    for (const application of applications) {
      expect(application.inputs).toMatchObject({
        displayName: application.name,
        signInAudience: "AzureADMyOrg",
        preventDuplicateNames: true,
      });
      // No owners and no secret: federation is the only credential.
      expect(application.inputs.owners).toBeUndefined();
      expect(application.inputs.password).toBeUndefined();
    }
    const servicePrincipals = ofType("azuread:index/servicePrincipal:ServicePrincipal");
    expect(servicePrincipals.map((sp) => [sp.name, sp.inputs.clientId]).sort()).toEqual([
      ["entra-tap-passes", "entra-tap-passes-client-id"],
      ["entra-tap-policy", "entra-tap-policy-client-id"],
      ["entra-tap-preview", "entra-tap-preview-client-id"],
    ]);
    expect(ofType("azuread:index/applicationPassword:ApplicationPassword")).toEqual([]);
  });

  it("federates each identity with GitHub's issuer and Entra's token-exchange audience, one credential per subject", () => {
    const credentials = ofType(
      "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
    );
    const expected = [
      ["entra-tap-preview-github-preview", "entra-tap-preview", "repo:contoso/entra-tap:environment:preview"],
      ["entra-tap-policy-github-dev", "entra-tap-policy", "repo:contoso/entra-tap:environment:dev"],
      ["entra-tap-policy-github-prod", "entra-tap-policy", "repo:contoso/entra-tap:environment:prod"],
      [
        "entra-tap-passes-github-dev-passes",
        "entra-tap-passes",
        "repo:contoso/entra-tap:environment:dev-passes",
      ],
      [
        "entra-tap-passes-github-prod-passes",
        "entra-tap-passes",
        "repo:contoso/entra-tap:environment:prod-passes",
      ],
    ];
    expect(credentials.map((c) => c.name).sort()).toEqual(expected.map(([name]) => name).sort());
    for (const [name, identity, subject] of expected) {
      const credential = credentials.find((c) => c.name === name)!;
      expect(credential.inputs).toEqual({
        applicationId: `${identity}-id`,
        displayName: name.slice(identity.length + 1),
        description: `GitHub Actions: ${subject}`,
        issuer: githubIssuer,
        audiences: [githubAudience],
        subject,
      });
    }
    expect(githubIssuer).toBe("https://token.actions.githubusercontent.com");
    expect(githubAudience).toBe("api://AzureADTokenExchange");
  });

  // The config above turns bootstrap:reviewAllUsers on.
  const granted = (identity: (typeof identities)[number]) =>
    grantedPermissions(identity, { reviewAllUsers: true, reviewKnownIssuers: false });

  it("assigns each identity's service principal exactly its declared Graph app roles, one resource per permission", () => {
    const assignments = ofType("azuread:index/appRoleAssignment:AppRoleAssignment");
    for (const identity of identities) {
      const own = assignments.filter(
        (a) => a.inputs.principalObjectId === `${identity.name}-service-principal-object-id`,
      );
      const values = granted(identity)
        .map((p) => p.value)
        .sort();
      expect(own.map((a) => roleValueOf.get(a.inputs.appRoleId as string)).sort()).toEqual(values);
      expect(own.map((a) => a.name).sort()).toEqual(
        values.map((value) => `${identity.name}-${value}`).sort(),
      );
      for (const assignment of own) {
        expect(assignment.inputs.resourceObjectId).toBe(graphObjectId);
        expect(assignment.name).toBe(
          `${identity.name}-${roleValueOf.get(assignment.inputs.appRoleId as string)}`,
        );
      }
    }
    expect(assignments).toHaveLength(identities.reduce((n, identity) => n + granted(identity).length, 0));
  });

  it("assigns the opt-in AuditLog.Read.All to the passes identity when bootstrap:reviewAllUsers is true", () => {
    expect(
      ofType("azuread:index/appRoleAssignment:AppRoleAssignment")
        .filter((a) => roleValueOf.get(a.inputs.appRoleId as string) === "AuditLog.Read.All")
        .map((a) => [a.name, a.inputs.principalObjectId]),
    ).toEqual([["entra-tap-passes-AuditLog.Read.All", "entra-tap-passes-service-principal-object-id"]]);
  });

  it("shows the same permissions as the application's required resource access", () => {
    for (const identity of identities) {
      const application = declared.find(
        (r) => r.type === "azuread:index/application:Application" && r.name === identity.name,
      )!;
      expect(application.inputs.requiredResourceAccesses).toEqual([
        {
          resourceAppId: microsoftGraphClientId,
          resourceAccesses: granted(identity).map((p) => ({ id: roleId(p.value), type: "Role" })),
        },
      ]);
    }
  });

  it("gives the preview identity no permission that writes", () => {
    const preview = ofType("azuread:index/appRoleAssignment:AppRoleAssignment").filter(
      (a) => a.inputs.principalObjectId === "entra-tap-preview-service-principal-object-id",
    );
    expect(preview.length).toBeGreaterThan(0);
    for (const assignment of preview) {
      expect(roleValueOf.get(assignment.inputs.appRoleId as string)).not.toMatch(/ReadWrite|Write|Revoke/);
    }
  });

  it("exports each identity's client id for the workflows' variables", async () => {
    const pulumi = await import("@pulumi/pulumi");
    const clientIds = await new Promise((resolve) => pulumi.all(program.clientIds).apply(resolve));
    expect(clientIds).toEqual({
      "entra-tap-preview": "entra-tap-preview-client-id",
      "entra-tap-policy": "entra-tap-policy-client-id",
      "entra-tap-passes": "entra-tap-passes-client-id",
    });
  });
});
