// When the client sends a request again, and after how long: the pipeline's composed strategies against the emulator
// over HTTP, and the one backoff formula they and batches share.
import type { GraphClient } from "../../../components/graph/client";
import { graphClientFromEnvironment } from "../../../components/graph/client";
import { isGraphRequestError } from "../../../components/graph/errors";
import {
  backoffInMs,
  batchItemRetryInMs,
  retryAfterInMs,
  retryTiming,
  retryWaitInMs,
} from "../../../components/graph/retry";
import { GraphEmulator, tapPolicyPath, useEmulatedGraphClient } from "../../support/graphEmulator";

const policyPath = tapPolicyPath.replace("/v1.0", "");

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

describe("the one backoff", () => {
  const timing = retryTiming({ retryDelayInMs: 100, maxRetryDelayInMs: 1_000, maxRetries: 3 });

  it("doubles the first delay per attempt, within 20 % jitter, and never exceeds the cap", () => {
    for (let i = 0; i < 50; i++) {
      expect(backoffInMs(0, timing)).toBeGreaterThanOrEqual(80);
      expect(backoffInMs(0, timing)).toBeLessThanOrEqual(120);
      expect(backoffInMs(2, timing)).toBeGreaterThanOrEqual(320);
      expect(backoffInMs(2, timing)).toBeLessThanOrEqual(480);
      expect(backoffInMs(10, timing)).toBe(1_000);
    }
  });

  it("takes Graph's Retry-After over the backoff, capped too", () => {
    expect(retryWaitInMs("0", 5, timing)).toBe(0);
    expect(retryWaitInMs("3600", 0, timing)).toBe(1_000);
    expect(retryWaitInMs(undefined, 10, timing)).toBe(1_000);
  });

  it("sends a request inside a batch again: throttled always, unavailable only when the batch may be repeated or it reads", () => {
    const throttled = { status: 429, headers: { "retry-after": "0" } };
    const unavailable = { status: 503, headers: {} };
    expect(batchItemRetryInMs(throttled, "POST", 0, false, timing)).toBe(0);
    expect(batchItemRetryInMs(unavailable, "POST", 0, false, timing)).toBeUndefined();
    expect(batchItemRetryInMs(unavailable, "GET", 0, false, timing)).toBeGreaterThan(0);
    expect(batchItemRetryInMs(unavailable, "POST", 0, true, timing)).toBeGreaterThan(0);
    expect(batchItemRetryInMs({ status: 500, headers: {} }, "GET", 0, true, timing)).toBeUndefined();
    // At most maxRetries times, throttling included.
    expect(batchItemRetryInMs(throttled, "GET", 3, true, timing)).toBeUndefined();
  });
});

describe("against the emulator", () => {
  let emulator: GraphEmulator;
  let graph: GraphClient;

  useEmulatedGraphClient(
    {
      retryDelayInMs: 20,
      maxRetries: 3,
      // Generous for a loaded CI machine; the slow fault below is far longer still.
      timeoutInMs: 1000,
    },
    (started, client) => {
      emulator = started;
      graph = client;
    },
  );

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
    const patient = graphClientFromEnvironment({ cloud: "global" }, emulator.env(), {
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

  it("names an unreachable endpoint in the error after retrying", async () => {
    const closed = await GraphEmulator.start();
    const env = closed.env();
    await closed.stop();
    const unreachable = graphClientFromEnvironment({ cloud: "global" }, env, {
      retryDelayInMs: 10,
      maxRetries: 2,
    });
    await expect(unreachable.get("Read the policy", policyPath)).rejects.toThrow(
      /^Read the policy failed: no response ECONNREFUSED/,
    );
  });
});
