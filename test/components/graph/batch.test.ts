// JSON batching against the emulator over HTTP.
import { batch, batchAll, type GraphBatchRequest, mapWithConcurrency } from "../../../components/graph/batch";
import type { GraphClient } from "../../../components/graph/client";
import { type GraphEmulator, useEmulatedGraphClient } from "../../support/graphEmulator";

let emulator: GraphEmulator;
let graph: GraphClient;

useEmulatedGraphClient({ retryDelayInMs: 20, maxRetries: 3 }, (started, client) => {
  emulator = started;
  graph = client;
});

function passReads(userIds: string[]): GraphBatchRequest[] {
  return userIds.map((id, index) => ({
    id: String(index),
    method: "GET",
    url: `/users/${id}/authentication/temporaryAccessPassMethods`,
  }));
}

function users(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => emulator.addUser({ userPrincipalName: `u${i}@contoso.example` }).id,
  );
}

describe("batch", () => {
  it("sends up to 20 requests in one POST and answers each with its own status, in request order", async () => {
    const ids = users(19);
    const answers = await batch(graph, "Read passes", [
      ...passReads(ids),
      {
        id: "missing",
        method: "GET",
        url: "/users/nobody@contoso.example/authentication/temporaryAccessPassMethods",
      },
    ]);
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]).toMatchObject({ method: "POST", path: "/v1.0/$batch" });
    expect(emulator.batchRequests).toHaveLength(20);
    expect(answers.map((a) => a.id)).toEqual([...ids.map((_, i) => String(i)), "missing"]);
    expect(answers.slice(0, 19).every((a) => a.status === 200)).toBe(true);
    expect(answers[19]).toMatchObject({ status: 404, body: { error: { code: "Request_ResourceNotFound" } } });
  });

  it("refuses more than 20 requests before sending anything", async () => {
    await expect(batch(graph, "Read passes", passReads(users(21)))).rejects.toThrow(/at most 20/);
    expect(emulator.requests).toHaveLength(0);
  });

  it("sends a throttled request again after its own Retry-After, and only the throttled ones", async () => {
    const ids = users(5);
    emulator.injectFault({
      scope: "batchItem",
      path: `/v1.0/users/${ids[2]}/authentication/temporaryAccessPassMethods`,
      status: 429,
      retryAfter: "1",
    });
    const started = Date.now();
    const answers = await batch(graph, "Read passes", passReads(ids));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(emulator.requests).toHaveLength(2);
    // 5 the first time, then the one that was throttled.
    expect(emulator.batchRequests.map((r) => r.path.split("/")[3])).toEqual([...ids, ids[2]]);
  });

  it("waits the longest Retry-After of the requests it sends again", async () => {
    const ids = users(3);
    for (const [index, seconds] of [
      [0, "1"],
      [1, "2"],
    ] as const) {
      emulator.injectFault({
        scope: "batchItem",
        path: `/v1.0/users/${ids[index]}/authentication/temporaryAccessPassMethods`,
        status: 429,
        retryAfter: seconds,
      });
    }
    const started = Date.now();
    await batch(graph, "Read passes", passReads(ids));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1950);
    expect(emulator.requests).toHaveLength(2);
  });

  it("returns a request still throttled after the retries as Graph answered it", async () => {
    const ids = users(2);
    emulator.injectFault({
      scope: "batchItem",
      path: `/v1.0/users/${ids[0]}/authentication/temporaryAccessPassMethods`,
      status: 429,
      retryAfter: "0",
      times: 10,
    });
    const answers = await batch(graph, "Read passes", passReads(ids));
    expect(answers[0]).toMatchObject({ status: 429, headers: { "retry-after": "0" } });
    expect(answers[1].status).toBe(200);
    expect(emulator.requests).toHaveLength(4);
  });

  it("sends a throttled write again, but not a write whose outcome is unknown", async () => {
    const [id] = users(1);
    emulator.injectFault({ scope: "batchItem", method: "POST", status: 429, retryAfter: "0" });
    const revoke = { id: "r", method: "POST" as const, url: `/users/${id}/revokeSignInSessions`, body: {} };
    await expect(batch(graph, "Revoke", [revoke])).resolves.toMatchObject([{ status: 200 }]);
    emulator.injectFault({ scope: "batchItem", method: "POST", status: 503 });
    await expect(batch(graph, "Revoke", [revoke])).resolves.toMatchObject([{ status: 503 }]);
    expect(emulator.batchRequests.filter((r) => r.method === "POST")).toHaveLength(3);
  });

  it("repeats a read-only batch whose answer was lost", async () => {
    const ids = users(2);
    emulator.injectFault({ scope: "request", path: "/v1.0/$batch", status: 504, afterHandling: true });
    await expect(batch(graph, "Read passes", passReads(ids))).resolves.toHaveLength(2);
    expect(emulator.requests).toHaveLength(2);
  });

  it("retries a throttled batch as a whole when Graph throttles the POST itself", async () => {
    emulator.injectFault({ scope: "request", path: "/v1.0/$batch", status: 429, retryAfter: "0" });
    await expect(batch(graph, "Read passes", passReads(users(1)))).resolves.toMatchObject([{ status: 200 }]);
    expect(emulator.requests).toHaveLength(2);
  });
});

describe("batchAll", () => {
  it("splits into batches of 20 with bounded concurrency and keeps the request order", async () => {
    const ids = users(125);
    // Slow answers, so batches overlap if the client lets them.
    emulator.injectFault({ scope: "request", path: "/v1.0/$batch", delayMs: 100, times: 7 });
    const progress: number[] = [];
    const answers = await batchAll(graph, "Read passes", passReads(ids), {
      concurrency: 2,
      onProgress: (done) => progress.push(done),
    });
    expect(answers.map((a) => a.id)).toEqual(ids.map((_, i) => String(i)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(emulator.requests).toHaveLength(7);
    expect(emulator.batchRequests).toHaveLength(125);
    expect(emulator.maxConcurrentRequests).toBe(2);
    expect(Math.max(...progress)).toBe(125);
  });

  it("sends nothing for no requests", async () => {
    await expect(batchAll(graph, "Read passes", [])).resolves.toEqual([]);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("mapWithConcurrency", () => {
  it("keeps the item order and at most `limit` calls in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const doubled = await mapWithConcurrency([1, 2, 3, 4, 5], 2, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10 * (6 - n)));
      inFlight -= 1;
      return n * 2;
    });
    expect(doubled).toEqual([2, 4, 6, 8, 10]);
    expect(most).toBe(2);
  });

  it("rejects on the first failure and starts nothing after it", async () => {
    const started: number[] = [];
    await expect(
      mapWithConcurrency([0, 1, 2, 3], 1, async (n) => {
        started.push(n);
        if (n === 1) throw new Error("boom");
        return n;
      }),
    ).rejects.toThrow("boom");
    expect(started).toEqual([0, 1]);
  });
});
