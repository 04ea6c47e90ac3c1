// entra-tap-bootstrap: the Entra identities that entra-tap's GitHub workflows sign in as, by workload identity
// federation (no client secret exists). Run it once per tenant, by hand, as someone who may grant Microsoft Graph
// application permissions (Privileged Role Administrator, or Global Administrator): see docs/permissions.md.
//
// Each identity of bootstrap/identities.ts becomes an application, its service principal, a federated credential per
// GitHub subject it trusts, and an app role assignment (admin consent) per Graph permission it holds in this tenant
// (an opt-in permission only when its bootstrap config flag is on: bootstrap:reviewAllUsers). Resource names come from
// stable keys (the identity's name, the permission's value, the subject's key), never from list positions, so adding
// or removing one permission or environment touches that resource only.
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { validateBootstrapConfig } from "./config";
import {
  federatedSubjects,
  githubAudience,
  githubIssuer,
  grantedPermissions,
  identities,
  microsoftGraphClientId,
} from "./identities";

const settings = new pulumi.Config("bootstrap");
const checked = validateBootstrapConfig({
  githubRepository: settings.get("githubRepository"),
  environments: settings.getObject<unknown>("environments"),
  reviewAllUsers: settings.get("reviewAllUsers"),
  reviewKnownIssuers: settings.get("reviewKnownIssuers"),
});
if (!("config" in checked)) {
  throw new pulumi.RunError(`invalid bootstrap config:\n  ${checked.problems.join("\n  ")}`);
}
const { githubRepository, environments } = checked.config;

// Microsoft Graph's service principal in this tenant: its app role ids, by permission value.
const graph = azuread.getServicePrincipalOutput({ clientId: microsoftGraphClientId });

/** The id of Graph's app role `value`; fails the run, naming it, when this tenant's Graph has no such role. */
function graphAppRoleId(value: string): pulumi.Output<string> {
  return graph.appRoleIds.apply((ids) => {
    const id = ids[value];
    if (!id)
      throw new pulumi.RunError(`Microsoft Graph has no application permission ${value} in this tenant`);
    return id;
  });
}

export const clientIds: Record<string, pulumi.Output<string>> = {};

for (const identity of identities) {
  // The identity's permissions in this tenant: the opt-in ones (bootstrap:reviewAllUsers, bootstrap:reviewKnownIssuers) only when turned on.
  const permissions = grantedPermissions(identity, checked.config);
  const application = new azuread.Application(identity.name, {
    displayName: identity.name,
    description: identity.description,
    // No owners (the default): an application's owner can add a credential to it and act as it.
    preventDuplicateNames: true,
    signInAudience: "AzureADMyOrg",
    // What the portal shows under "API permissions"; the app role assignments below are the grant (admin consent).
    requiredResourceAccesses: [
      {
        resourceAppId: microsoftGraphClientId,
        resourceAccesses: permissions.map((permission) => ({
          id: graphAppRoleId(permission.value),
          type: "Role",
        })),
      },
    ],
  });

  const servicePrincipal = new azuread.ServicePrincipal(identity.name, {
    clientId: application.clientId,
    description: identity.description,
  });

  for (const { key, subject } of federatedSubjects(identity, githubRepository, environments)) {
    new azuread.ApplicationFederatedIdentityCredential(`${identity.name}-${key}`, {
      applicationId: application.id,
      displayName: key,
      description: `GitHub Actions: ${subject}`,
      issuer: githubIssuer,
      audiences: [githubAudience],
      subject,
    });
  }

  for (const permission of permissions) {
    new azuread.AppRoleAssignment(`${identity.name}-${permission.value}`, {
      appRoleId: graphAppRoleId(permission.value),
      principalObjectId: servicePrincipal.objectId,
      resourceObjectId: graph.objectId,
    });
  }

  clientIds[identity.name] = application.clientId;
}

/** The tenant the identities live in: the workflows' AZURE_TENANT_ID. */
export const tenantId = azuread.getClientConfigOutput().tenantId;
