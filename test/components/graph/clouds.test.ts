// Where Graph calls go: national clouds, the endpoint override, and the static token kept to loopback.
import { AzureAuthorityHosts } from "@azure/identity";
import { graphClouds, resolveGraphTarget } from "../../../components/graph/clouds";

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
