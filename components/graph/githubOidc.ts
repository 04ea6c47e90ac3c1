// Sign-in from a GitHub Actions job by workload identity federation, with a fresh GitHub OIDC token whenever Entra
// needs one. azure/login exchanges one token, valid for minutes, and the Azure CLI's access token it leaves lasts
// about an hour: a `pulumi up` or review that runs longer would fail half-way. Asking GitHub again each time MSAL
// needs an assertion (as @actions/core's getIDToken does) keeps a long run signed in.

/** The audience Entra's federated credentials expect (bootstrap/ declares them with it). */
export const tokenExchangeAudience = "api://AzureADTokenExchange";

/** What a GitHub Actions job with `permissions: id-token: write` has, and the identity to sign in as. */
export interface GithubOidcEnvironment {
  requestUrl: string;
  requestToken: string;
  clientId: string;
  tenantId: string;
}

/**
 * The job's OIDC settings from `env`: GitHub's token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, set only with
 * `id-token: write`) and the identity (AZURE_CLIENT_ID, AZURE_TENANT_ID); undefined unless all four are set.
 */
export function githubOidcEnvironment(env: NodeJS.ProcessEnv): GithubOidcEnvironment | undefined {
  const { ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN, AZURE_CLIENT_ID, AZURE_TENANT_ID } =
    env;
  if (
    !ACTIONS_ID_TOKEN_REQUEST_URL ||
    !ACTIONS_ID_TOKEN_REQUEST_TOKEN ||
    !AZURE_CLIENT_ID ||
    !AZURE_TENANT_ID
  )
    return undefined;
  return {
    requestUrl: ACTIONS_ID_TOKEN_REQUEST_URL,
    requestToken: ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    clientId: AZURE_CLIENT_ID,
    tenantId: AZURE_TENANT_ID,
  };
}

/**
 * A new GitHub OIDC token for Entra's token exchange, asked of GitHub at each call. The request URL already holds a
 * query (`?api-version=...`), so the audience is appended with `&`, as GitHub's toolkit does. An error names the
 * variable to look at and never holds a token.
 */
export function githubOidcAssertion(oidc: GithubOidcEnvironment): () => Promise<string> {
  return async () => {
    const url = `${oidc.requestUrl}&audience=${encodeURIComponent(tokenExchangeAudience)}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${oidc.requestToken}` } });
    } catch (error) {
      throw new Error(`GitHub's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) could not be reached`, {
        cause: error,
      });
    }
    if (!response.ok) {
      throw new Error(
        `GitHub's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) answered ${response.status}: does the job have ` +
          "`permissions: id-token: write`?",
      );
    }
    const body = (await response.json().catch(() => undefined)) as { value?: unknown } | undefined;
    if (typeof body?.value !== "string" || body.value === "") {
      throw new Error(
        "GitHub's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) answered without a token (value)",
      );
    }
    return body.value;
  };
}
