// Sending and paging: one request signed and parsed, and every page of a collection, against the emulator over HTTP.
import { type GraphClient, graphClientFromEnvironment } from "../../../components/graph/client";
import { type GraphEmulator, tapPolicyPath, useEmulatedGraphClient } from "../../support/graphEmulator";

const policyPath = tapPolicyPath.replace("/v1.0", "");

describe("against the emulator", () => {
  let emulator: GraphEmulator;
  let graph: GraphClient;

  useEmulatedGraphClient({ retryDelayInMs: 20, maxRetries: 3 }, (started, client) => {
    emulator = started;
    graph = client;
  });

  function users(count: number): string[] {
    return Array.from(
      { length: count },
      (_, i) => emulator.addUser({ userPrincipalName: `u${i}@contoso.example` }).id,
    );
  }

  it("sends the bearer token and returns the parsed body", async () => {
    const response = await graph.get<{ id: string }>("Read", policyPath);
    expect(response.status).toBe(200);
    expect(response.body?.id).toBe("TemporaryAccessPass");
    expect(emulator.requests[0].authorization).toBe(`Bearer ${emulator.token}`);
  });

  describe("getAllPages", () => {
    it("follows @odata.nextLink to the last page", async () => {
      users(2500);
      const pages: number[] = [];
      const all = await graph.getAllPages<{ id: string }>("Read users", "/users?$select=id&$top=999", {
        onPage: (items) => pages.push(items.length),
      });
      expect(all).toHaveLength(2500);
      expect(new Set(all.map((u) => u.id)).size).toBe(2500);
      expect(pages).toEqual([999, 999, 502]);
      expect(emulator.requests).toHaveLength(3);
    });

    it("refuses a next page outside the endpoint it was pointed at: the token goes nowhere else", async () => {
      users(3);
      emulator.nextLinkOrigin = "http://127.0.0.2:9";
      await expect(graph.getAllPages("Read users", "/users?$top=1")).rejects.toThrow(
        /Read users: Graph's next page "http:\/\/127\.0\.0\.2:9\/v1\.0\/users\?.*" is outside http:\/\/127\.0\.0\.1:\d+\/v1\.0/,
      );
      expect(emulator.requests).toHaveLength(1);
    });
  });
});

describe("graphClientFromEnvironment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("gives the process's environment one client per Graph target, and a new one for another target", () => {
    process.env.ENTRA_TAP_GRAPH_ENDPOINT = "http://127.0.0.1:9";
    process.env.ENTRA_TAP_GRAPH_TOKEN = "token-one";
    const first = graphClientFromEnvironment({ cloud: "global" });
    expect(graphClientFromEnvironment({ cloud: "global" })).toBe(first);
    process.env.ENTRA_TAP_GRAPH_TOKEN = "token-two";
    expect(graphClientFromEnvironment({ cloud: "global" })).not.toBe(first);
  });

  it("builds its own client for an environment or options of the caller's", () => {
    const env = { ENTRA_TAP_GRAPH_ENDPOINT: "http://127.0.0.1:9", ENTRA_TAP_GRAPH_TOKEN: "token" };
    expect(graphClientFromEnvironment({ cloud: "global" }, env)).not.toBe(
      graphClientFromEnvironment({ cloud: "global" }, env),
    );
  });
});
