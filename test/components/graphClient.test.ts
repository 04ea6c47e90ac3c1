import { AzureAuthorityHosts } from "@azure/identity";
import {
  type GraphClient,
  graphClientFromEnvironment,
  graphClouds,
  isGraphRequestError,
  resolveGraphTarget,
  retryAfterInMs,
} from "../../components/graphClient";
import { GraphEmulator, tapPolicyPath } from "../support/graphEmulator";

const policyPath = tapPolicyPath.replace("/v1.0", "");

describe("resolveGraphTarget", () => {
  it("uses the cloud's Graph endpoint and authority when nothing overrides it", () => {
    expect(resolveGraphTarget("global", {})).toEqual({
      kind: "graph",
      endpoint: "https://graph.microsoft.com",
      authorityHost: "https://login.microsoftonline.com",
    });
    expect(resolveGraphTarget("usgovernmentl4", {})).toMatchObject({
      endpoint: "https://graph.microsoft.us",
      authorityHost: "https://login.microsoftonline.us",
    });
    expect(resolveGraphTarget("usgovernmentl5", {})).toMatchObject({
      endpoint: "https://dod-graph.microsoft.us",
    });
  });

  it("names the same authority hosts as @azure/identity, which it loads only to build a client", () => {
    expect(graphClouds.global.authorityHost).toBe(AzureAuthorityHosts.AzurePublicCloud);
    expect(graphClouds.usgovernmentl4.authorityHost).toBe(AzureAuthorityHosts.AzureGovernment);
    expect(graphClouds.usgovernmentl5.authorityHost).toBe(AzureAuthorityHosts.AzureGovernment);
  });

  it("accepts a loopback endpoint only together with a static token", () => {
    expect(
      resolveGraphTarget("global", {
        ENTRA_TAP_GRAPH_ENDPOINT: "http://127.0.0.1:8123",
        ENTRA_TAP_GRAPH_TOKEN: "t",
      }),
    ).toEqual({ kind: "loopback", endpoint: "http://127.0.0.1:8123", token: "t" });
    expect(() => resolveGraphTarget("global", { ENTRA_TAP_GRAPH_ENDPOINT: "http://localhost:8123" })).toThrow(
      /set ENTRA_TAP_GRAPH_TOKEN too/,
    );
  });

  it("accepts another Microsoft Graph host over https", () => {
    expect(
      resolveGraphTarget("global", { ENTRA_TAP_GRAPH_ENDPOINT: "https://graph.microsoft.us" }),
    ).toMatchObject({
      kind: "graph",
      endpoint: "https://graph.microsoft.us",
      authorityHost: "https://login.microsoftonline.us",
    });
  });

  it.each([
    ["a foreign host", "https://graph.example.com"],
    ["a look-alike host", "https://graph.microsoft.com.evil.example"],
    ["Graph over plain http", "http://graph.microsoft.com"],
  ])("refuses %s", (_what, endpoint) => {
    expect(() => resolveGraphTarget("global", { ENTRA_TAP_GRAPH_ENDPOINT: endpoint })).toThrow(
      /is not allowed/,
    );
  });

  it("never sends the static token to a real Graph host", () => {
    expect(() => resolveGraphTarget("global", { ENTRA_TAP_GRAPH_TOKEN: "t" })).toThrow(
      /only used with a loopback/,
    );
    expect(() =>
      resolveGraphTarget("global", {
        ENTRA_TAP_GRAPH_ENDPOINT: "https://graph.microsoft.com",
        ENTRA_TAP_GRAPH_TOKEN: "t",
      }),
    ).toThrow(/only used with a loopback/);
  });

  it("refuses an endpoint that is not a URL", () => {
    expect(() => resolveGraphTarget("global", { ENTRA_TAP_GRAPH_ENDPOINT: "graph" })).toThrow(/is not a URL/);
  });
});

describe("retryAfterInMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterInMs("3")).toBe(3000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterInMs("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(retryAfterInMs("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
    expect(retryAfterInMs(undefined)).toBeUndefined();
    expect(retryAfterInMs("soon")).toBeUndefined();
  });
});

describe("GraphClient against the emulator", () => {
  let emulator: GraphEmulator;
  let graph: GraphClient;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => {
    emulator.reset();
    graph = graphClientFromEnvironment("global", emulator.env(), {
      retryDelayInMs: 20,
      maxRetries: 3,
      // Generous for a loaded CI machine; the slow fault below is far longer still.
      timeoutInMs: 1000,
    });
  });

  it("sends the bearer token and returns the parsed body", async () => {
    const response = await graph.get<{ id: string }>("Read", policyPath);
    expect(response.status).toBe(200);
    expect(response.body?.id).toBe("TemporaryAccessPass");
    expect(emulator.requests[0].authorization).toBe(`Bearer ${emulator.token}`);
  });

  it("waits as long as Retry-After says on 429, then succeeds", async () => {
    emulator.injectFault({ method: "GET", status: 429, retryAfter: "1" });
    const started = Date.now();
    await graph.get("Read", policyPath);
    expect(emulator.requests).toHaveLength(2);
    // Lower bound only: Graph asked for one second, and asking again sooner would be throttled again.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it.each([
    [503, "1"],
    [504, "1"],
    [503, undefined],
    [500, undefined],
  ])("retries %s (Retry-After %s) and succeeds", async (status, retryAfter) => {
    emulator.injectFault({ method: "GET", status, retryAfter, times: 2 });
    const started = Date.now();
    await expect(graph.get("Read", policyPath)).resolves.toMatchObject({ status: 200 });
    expect(emulator.requests).toHaveLength(3);
    if (retryAfter) expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it("retries a 429 that carries no Retry-After with backoff", async () => {
    emulator.injectFault({ method: "GET", status: 429 });
    await expect(graph.get("Read", policyPath)).resolves.toMatchObject({ status: 200 });
    expect(emulator.requests).toHaveLength(2);
  });

  it("retries a dropped connection and a timed-out attempt", async () => {
    emulator.injectFault({ method: "GET", reset: true });
    emulator.injectFault({ method: "GET", delayMs: 4000 });
    await expect(graph.get("Read", policyPath)).resolves.toMatchObject({ status: 200 });
    expect(emulator.requests).toHaveLength(3);
  });

  it("gives up after the retry bound with a message naming the operation and Graph's code", async () => {
    emulator.injectFault({ method: "GET", status: 503, retryAfter: "0", times: 10 });
    const error = await graph.get("Read the TemporaryAccessPass policy", policyPath).catch((e: unknown) => e);
    expect(isGraphRequestError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Read the TemporaryAccessPass policy failed: HTTP 503 ServiceUnavailable/,
    );
    expect(emulator.requests).toHaveLength(4);
  });

  it("retries throttling beyond maxRetries, up to maxThrottledRetries more, then gives up naming the 429", async () => {
    const patient = graphClientFromEnvironment("global", emulator.env(), {
      retryDelayInMs: 20,
      maxRetries: 3,
      maxThrottledRetries: 4,
    });
    emulator.injectFault({ method: "GET", status: 429, retryAfter: "0", times: 10 });
    const error = await patient
      .get("Read the TemporaryAccessPass policy", policyPath)
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^Read the TemporaryAccessPass policy failed: HTTP 429 TooManyRequests/,
    );
    expect(emulator.requests).toHaveLength(1 + 3 + 4);
  });

  it("keeps its retries for other failures when it was throttled first", async () => {
    emulator.injectFault({ method: "GET", status: 429, retryAfter: "0", times: 5 });
    emulator.injectFault({ method: "GET", status: 503, retryAfter: "0", times: 3 });
    await expect(graph.get("Read", policyPath)).resolves.toMatchObject({ status: 200 });
    // 5 throttled, 3 unavailable (maxRetries 3), then the answer.
    expect(emulator.requests).toHaveLength(9);
  });

  it("does not retry a permanent error", async () => {
    emulator.injectFault({ method: "PATCH", status: 403, code: "Authorization_RequestDenied" });
    const error = await graph
      .patch("Update the policy", policyPath, { "@odata.type": "#microsoft.graph.x" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 403,
      code: "Authorization_RequestDenied",
      operation: "Update the policy",
    });
    expect(emulator.requests).toHaveLength(1);
  });

  it("reports a refused token as Graph's error, with the request id", async () => {
    const wrongToken = graphClientFromEnvironment("global", {
      ...emulator.env(),
      ENTRA_TAP_GRAPH_TOKEN: "wrong",
    });
    const error = await wrongToken.get("Read", policyPath).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /HTTP 401 InvalidAuthenticationToken: .*\(request-id [0-9a-f-]{36}\)/,
    );
  });

  it("names an unreachable endpoint in the error after retrying", async () => {
    const closed = await GraphEmulator.start();
    const env = closed.env();
    await closed.stop();
    const unreachable = graphClientFromEnvironment("global", env, { retryDelayInMs: 10, maxRetries: 2 });
    await expect(unreachable.get("Read the policy", policyPath)).rejects.toThrow(
      /^Read the policy failed: no response ECONNREFUSED/,
    );
  });
});
