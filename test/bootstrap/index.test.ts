// bootstrap/index.ts under Pulumi's mock runtime: the applications, service principals, federated credentials and
// app role assignments it declares, against the identities and permissions listed in bootstrap/identities.ts.
import {
  githubAudience,
  githubIssuer,
  grantedPermissions,
  identities,
  microsoftGraphClientId,
} from "../../bootstrap/identities";
import type { DeclaredResource } from "../../scripts/declaredResources";
import { mockRuntime } from "../support/mockRuntime";

const repository = "contoso/entra-tap";

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
