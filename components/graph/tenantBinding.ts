// A stack's Graph calls go to its own tenant, and nowhere else. Its tenant id (entra-tap:tenantId) is where the
// credential signs in (the authority's tenant), and every token is read before it signs a request: a token whose
// tenant (`tid`, the claim Microsoft's access tokens carry) is another one is refused, so that no environment left
// over from another tenant (AZURE_TENANT_ID, an Azure CLI signed in elsewhere, a multi-tenant app's token) can send one
// tenant's requests to another. docs/fleet.md says how the two ways to sign in (one multi-tenant app, or one app per
// tenant) meet this.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";

/** A request refused before it was sent: the token is for another tenant than the stack's, or for none it can tell. */
export class TenantMismatchError extends Error {
  override name = "TenantMismatchError";
}

/** The `tid` claim of a JSON Web Token, or undefined when the token is not one or carries none. */
export function tokenTenant(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { tid?: unknown };
    return typeof claims.tid === "string" ? claims.tid : undefined;
  } catch {
    return undefined;
  }
}

/** Refuses the token unless it is the tenant's. */
export function requireTenant(token: string, tenantId: string): void {
  const found = tokenTenant(token);
  if (found?.toLowerCase() === tenantId.toLowerCase()) return;
  throw new TenantMismatchError(
    found === undefined
      ? `the Graph token does not say its tenant (no tid claim); the stack's tenant is ${tenantId} (entra-tap:tenantId): refusing to send`
      : `the Graph token is for tenant ${found}, the stack's tenant is ${tenantId} (entra-tap:tenantId): refusing to send`,
  );
}

/** The credential, each of its tokens checked to be the tenant's before it signs anything. */
export function tenantBoundCredential(credential: TokenCredential, tenantId: string): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const token = await credential.getToken(scopes, { ...options, tenantId });
      if (token) requireTenant(token.token, tenantId);
      return token;
    },
  };
}

/**
 * Refuses an environment that names another tenant than the stack's: AZURE_TENANT_ID, which the GitHub OIDC
 * federation and DefaultAzureCredential sign in to.
 */
export function checkEnvironmentTenant(env: NodeJS.ProcessEnv, tenantId: string): void {
  const named = env.AZURE_TENANT_ID;
  if (named && named.toLowerCase() !== tenantId.toLowerCase()) {
    throw new TenantMismatchError(
      `AZURE_TENANT_ID is ${named}, the stack's tenant is ${tenantId} (entra-tap:tenantId): refusing to sign in`,
    );
  }
}
