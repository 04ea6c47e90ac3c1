// Where Graph calls go and how they are signed: the national clouds' Graph endpoints and sign-in authorities, the
// ENTRA_TAP_GRAPH_ENDPOINT override (a Microsoft Graph host, or loopback for the tests' emulator), and the credential
// for each: in a GitHub Actions job, federation with a fresh GitHub OIDC token each time (githubOidc.ts); else
// DefaultAzureCredential against Microsoft; a static token against loopback only.
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { azureIdentity, azureRestPipeline } from "./azureSdk";
import { githubOidcAssertion, githubOidcEnvironment } from "./githubOidc";
import { checkEnvironmentTenant, tenantBoundCredential } from "./tenantBinding";

/** Microsoft Entra authority hosts, as `AzureAuthorityHosts` of @azure/identity names them (a test keeps them equal). */
const authorityHosts = {
  azurePublicCloud: "https://login.microsoftonline.com",
  azureGovernment: "https://login.microsoftonline.us",
} as const;

/** Microsoft Graph national clouds, named as the azuread provider's `environment` setting names them. */
export const graphClouds = {
  global: { endpoint: "https://graph.microsoft.com", authorityHost: authorityHosts.azurePublicCloud },
  usgovernmentl4: {
    endpoint: "https://graph.microsoft.us",
    authorityHost: authorityHosts.azureGovernment,
  },
  usgovernmentl5: {
    endpoint: "https://dod-graph.microsoft.us",
    authorityHost: authorityHosts.azureGovernment,
  },
} as const;

export type GraphCloud = keyof typeof graphClouds;
export const graphCloudNames = Object.keys(graphClouds) as GraphCloud[];

/** Environment variable that points the client at another Graph endpoint (a Graph host, or loopback for tests). */
export const graphEndpointVariable = "ENTRA_TAP_GRAPH_ENDPOINT";
/** Environment variable holding the static bearer token used with a loopback endpoint (never with Graph). */
export const graphTokenVariable = "ENTRA_TAP_GRAPH_TOKEN";

export type GraphTarget =
  | { kind: "graph"; endpoint: string; authorityHost: string }
  | { kind: "loopback"; endpoint: string; token: string };

/** Decides where Graph calls go. Only Microsoft Graph hosts (https) or a loopback address are accepted. */
export function resolveGraphTarget(cloud: GraphCloud, env: NodeJS.ProcessEnv): GraphTarget {
  const override = env[graphEndpointVariable];
  const token = env[graphTokenVariable];
  if (!override) {
    if (token) {
      throw new Error(
        `${graphTokenVariable} is set, but it is only used with a loopback ${graphEndpointVariable}`,
      );
    }
    return { kind: "graph", ...graphClouds[cloud] };
  }
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new Error(`${graphEndpointVariable}=${JSON.stringify(override)} is not a URL`);
  }
  if (isLoopbackHost(url.hostname)) {
    if (!token) {
      throw new Error(
        `${graphEndpointVariable} points at loopback (${url.host}); set ${graphTokenVariable} too`,
      );
    }
    return { kind: "loopback", endpoint: url.origin, token };
  }
  const cloudOfHost = Object.values(graphClouds).find((c) => new URL(c.endpoint).host === url.host);
  if (!cloudOfHost || url.protocol !== "https:") {
    const hosts = Object.values(graphClouds).map((c) => c.endpoint);
    throw new Error(
      `${graphEndpointVariable}=${JSON.stringify(url.origin)} is not allowed; use one of ${hosts.join(", ")} or a loopback address`,
    );
  }
  if (token) {
    throw new Error(
      `${graphTokenVariable} is only used with a loopback ${graphEndpointVariable}, not ${url.host}`,
    );
  }
  return { kind: "graph", endpoint: url.origin, authorityHost: cloudOfHost.authorityHost };
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The credential for a target: the static token for a loopback endpoint; in a GitHub Actions job that may ask for
 * OIDC tokens and names its identity, a client assertion that GitHub issues anew each time Entra needs one; else
 * DefaultAzureCredential (Azure CLI, workload identity federation, managed identity). Both against the cloud's
 * authority.
 */
export function graphCredential(
  target: GraphTarget,
  env: NodeJS.ProcessEnv = process.env,
  tenantId?: string,
): TokenCredential {
  const credential = unboundCredential(target, env, tenantId);
  return tenantId === undefined ? credential : tenantBoundCredential(credential, tenantId);
}

/** The credential before the tenant binding: signing in to `tenantId` when the stack names one. */
function unboundCredential(target: GraphTarget, env: NodeJS.ProcessEnv, tenantId?: string): TokenCredential {
  if (target.kind === "loopback") return staticTokenCredential(target.token);
  if (tenantId !== undefined) checkEnvironmentTenant(env, tenantId);
  const identity = azureIdentity();
  const oidc = githubOidcEnvironment(env);
  return oidc
    ? new identity.ClientAssertionCredential(oidc.tenantId, oidc.clientId, githubOidcAssertion(oidc), {
        authorityHost: target.authorityHost,
      })
    : new identity.DefaultAzureCredential({ authorityHost: target.authorityHost, tenantId });
}

function staticTokenCredential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

/**
 * Signs each request with a bearer token for `${endpoint}/.default`: the SDK's policy over https; over plain http,
 * which only a loopback endpoint uses, a policy of its own (the SDK's refuses http).
 */
export function graphAuthenticationPolicy(credential: TokenCredential, endpoint: string): PipelinePolicy {
  const url = new URL(endpoint);
  const scope = `${url.origin}/.default`;
  return url.protocol === "http:"
    ? staticBearerTokenPolicy(credential, scope)
    : azureRestPipeline().bearerTokenAuthenticationPolicy({ credential, scopes: scope });
}

/** Bearer tokens over plain HTTP: only ever built for a loopback endpoint (the stock policy refuses http). */
function staticBearerTokenPolicy(credential: TokenCredential, scope: string): PipelinePolicy {
  return {
    name: "staticBearerTokenPolicy",
    async sendRequest(request, next) {
      const accessToken = await credential.getToken(scope);
      request.headers.set("authorization", `Bearer ${accessToken?.token}`);
      return next(request);
    },
  };
}
