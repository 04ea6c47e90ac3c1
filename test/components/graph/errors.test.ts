// How a failed Graph call is reported: the operation, the status, Graph's code and message, the request id.
import type { GraphClient } from "../../../components/graph/client";
import { graphClientFromEnvironment } from "../../../components/graph/client";
import { batchFailure, isClientRefusal, isGraphRequestError } from "../../../components/graph/errors";
import { type GraphEmulator, tapPolicyPath, useEmulatedGraphClient } from "../../support/graphEmulator";

const policyPath = tapPolicyPath.replace("/v1.0", "");

describe("against the emulator", () => {
  let emulator: GraphEmulator;
  let graph: GraphClient;

  useEmulatedGraphClient({ retryDelayInMs: 20, maxRetries: 3 }, (started, client) => {
    emulator = started;
    graph = client;
  });

  it("reports a refused token as Graph's error, with the request id", async () => {
    const wrongToken = graphClientFromEnvironment(
      { cloud: "global" },
      {
        ...emulator.env(),
        ENTRA_TAP_GRAPH_TOKEN: "wrong",
      },
    );
    const error = await wrongToken.get("Read", policyPath).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /HTTP 401 InvalidAuthenticationToken: .*\(request-id [0-9a-f-]{36}\)/,
    );
  });

  it("is a GraphRequestError, and a refusal of the request itself for a 4xx but throttling", async () => {
    emulator.injectFault({ method: "GET", status: 404, code: "Request_ResourceNotFound" });
    const error = await graph.get("Read", policyPath).catch((e: unknown) => e);
    expect(isGraphRequestError(error)).toBe(true);
    expect(isClientRefusal(error)).toBe(true);
    expect(isGraphRequestError(new Error("other"))).toBe(false);
  });
});

describe("batchFailure", () => {
  it("names the operation, the status and Graph's code and message of a batch answer", () => {
    const answer = {
      id: "0",
      status: 403,
      headers: {},
      body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } },
    };
    expect(batchFailure("Read group g", answer).message).toBe(
      "Read group g failed: HTTP 403 Authorization_RequestDenied: Insufficient privileges",
    );
    expect(batchFailure("Read group g", { ...answer, body: undefined }).message).toBe(
      "Read group g failed: HTTP 403 UnknownError: Graph returned no error details",
    );
  });
});
