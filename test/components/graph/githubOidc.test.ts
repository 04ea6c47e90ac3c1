// Sign-in from a GitHub Actions job: a fresh GitHub OIDC token each time Entra needs one, so that a run longer than
// one token's life stays signed in; errors that say where to look and never hold a token.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { graphCredential, resolveGraphTarget } from "../../../components/graph/clouds";
import {
  githubOidcAssertion,
  githubOidcEnvironment,
  tokenExchangeAudience,
} from "../../../components/graph/githubOidc";

const requestToken = "gh-request-token-not-a-real-one";

/** GitHub's OIDC token endpoint, on loopback: a new token per request, or the status a test asks for. */
function githubTokenEndpoint() {
  const requests: { url: string; authorization?: string }[] = [];
  let status = 200;
  let body: (n: number) => unknown = (n) => ({ value: `oidc-token-${n}` });
  const server = http.createServer((request, response) => {
    requests.push({ url: request.url!, authorization: request.headers.authorization });
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body(requests.length)));
  });
  return {
    requests,
    answer: (next: { status?: number; body?: (n: number) => unknown }) => {
      status = next.status ?? 200;
      body = next.body ?? body;
    },
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("the GitHub Actions OIDC credential", () => {
  const github = githubTokenEndpoint();
  let requestUrl: string;
  beforeAll(async () => {
    requestUrl = `${await github.start()}/token?api-version=2.0`;
  });
  afterAll(() => github.stop());
  beforeEach(() => {
    github.requests.length = 0;
    github.answer({ status: 200, body: (n) => ({ value: `oidc-token-${n}` }) });
  });

  const oidc = () => ({ requestUrl, requestToken, clientId: "client-id", tenantId: "tenant-id" });

  it("asks GitHub for a new token at each call, for Entra's token exchange, with the job's request token", async () => {
    const assertion = githubOidcAssertion(oidc());
    expect([await assertion(), await assertion(), await assertion()]).toEqual([
      "oidc-token-1",
      "oidc-token-2",
      "oidc-token-3",
    ]);
    for (const request of github.requests) {
      const url = new URL(request.url, "http://x");
      expect(url.searchParams.get("api-version")).toBe("2.0");
      expect(url.searchParams.get("audience")).toBe(tokenExchangeAudience);
      expect(request.authorization).toBe(`Bearer ${requestToken}`);
    }
  });

  it.each([
    [{ status: 403 }, /answered 403: does the job have `permissions: id-token: write`\?/],
    [{ body: () => ({}) }, /answered without a token \(value\)/],
    [{ body: () => "not json {" }, /answered without a token \(value\)/],
  ])("fails clearly when GitHub answers %j, without showing the request token", async (answer, message) => {
    github.answer(answer);
    const error = await githubOidcAssertion(oidc())().catch((e: Error) => e);
    expect(String(error)).toMatch(message);
    expect(String(error)).toMatch(/ACTIONS_ID_TOKEN_REQUEST_URL/);
    expect(String(error)).not.toContain(requestToken);
  });

  it("fails clearly when GitHub cannot be reached", async () => {
    const gone = githubOidcAssertion({ ...oidc(), requestUrl: "http://127.0.0.1:1/token?api-version=2.0" });
    await expect(gone()).rejects.toThrow(
      "GitHub's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) could not be reached",
    );
  });

  it("is used only in a job that may ask for tokens and names its identity", () => {
    const job = {
      ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
      AZURE_CLIENT_ID: "client-id",
      AZURE_TENANT_ID: "tenant-id",
    };
    expect(githubOidcEnvironment(job)).toEqual(oidc());
    for (const left of Object.keys(job)) {
      expect(githubOidcEnvironment({ ...job, [left]: undefined })).toBeUndefined();
      expect(githubOidcEnvironment({ ...job, [left]: "" })).toBeUndefined();
    }
    const target = resolveGraphTarget("global", {});
    const { ClientAssertionCredential, DefaultAzureCredential } =
      jest.requireActual<typeof import("@azure/identity")>("@azure/identity");
    expect(graphCredential(target, job)).toBeInstanceOf(ClientAssertionCredential);
    expect(graphCredential(target, {})).toBeInstanceOf(DefaultAzureCredential);
  });
});
