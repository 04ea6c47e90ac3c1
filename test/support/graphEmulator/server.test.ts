// The emulator's server must check the token, record every request, and fault, throttle and batch as Graph does.
import type { GraphEmulator } from "./server";
import { useResetGraphEmulator } from "./setups";
import { microsoftDefaultTapPolicy, tapPolicyODataType, tapPolicyPath } from "./tapPolicy";
import { errorOf, send } from "./testRequests";

describe("the Graph emulator's server", () => {
  let emulator: GraphEmulator;
  useResetGraphEmulator((started) => (emulator = started));
  const call = (method: string, body?: unknown, token?: string) =>
    send(emulator, method, tapPolicyPath, body, token);

  it("listens on 127.0.0.1 only", () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("requires the bearer token", async () => {
    const response = await call("GET", undefined, "other");
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe("InvalidAuthenticationToken");
  });

  it("logs every request, including those it faults", async () => {
    emulator.injectFault({ method: "GET", status: 429, retryAfter: "7" });
    const throttled = await call("GET");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("7");
    expect((await call("GET")).status).toBe(200);
    expect(emulator.requests.map((r) => r.method)).toEqual(["GET", "GET"]);
  });

  it("answers again once its faults are cleared, the tenant as it was", async () => {
    emulator.injectFault({ method: "GET", status: 503, times: 5 });
    expect((await call("GET")).status).toBe(503);
    emulator.clearFaults();
    const answer = await call("GET");
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ state: emulator.policy.state });
  });

  describe("JSON batches", () => {
    const batch = (requests: unknown[], token?: string) =>
      send(emulator, "POST", "/v1.0/$batch", { requests }, token);

    it("answers each request of a batch with its own status, and refuses more than 20", async () => {
      const user = emulator.addUser({ userPrincipalName: "jane@contoso.example" });
      const answer = (await (
        await batch([
          { id: "1", method: "GET", url: `/users/${user.id}/authentication/temporaryAccessPassMethods` },
          { id: "2", method: "GET", url: "/users/nobody@contoso.example" },
        ])
      ).json()) as { responses: { id: string; status: number }[] };
      expect(answer.responses.map((r) => [r.id, r.status])).toEqual([
        ["1", 200],
        ["2", 404],
      ]);
      expect(emulator.batchRequests.map((r) => r.path)).toEqual([
        `/v1.0/users/${user.id}/authentication/temporaryAccessPassMethods`,
        "/v1.0/users/nobody@contoso.example",
      ]);
      const tooMany = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/users" }));
      expect((await batch(tooMany)).status).toBe(400);
      expect((await batch([{ id: "1", method: "GET", url: "/users" }], "other")).status).toBe(401);
    });

    it("throttles each request of a batch on its own, with a Retry-After until the window ends", async () => {
      emulator.throttle = { limit: 3, windowMs: 60_000 };
      const answer = (await (
        await batch(Array.from({ length: 5 }, (_, i) => ({ id: String(i), method: "GET", url: "/users" })))
      ).json()) as { responses: { status: number; headers: Record<string, string> }[] };
      expect(answer.responses.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
      expect(Number(answer.responses[3].headers["retry-after"])).toBeGreaterThanOrEqual(59);
      expect((await send(emulator, "GET", "/v1.0/users")).status).toBe(429);
    });

    it("counts the writes inside a batch, not the batch itself", async () => {
      const user = emulator.addUser({ userPrincipalName: "jane@contoso.example" });
      await batch([{ id: "1", method: "GET", url: "/users" }]);
      expect(emulator.writes()).toEqual([]);
      await batch([{ id: "1", method: "POST", url: `/users/${user.id}/revokeSignInSessions`, body: {} }]);
      expect(emulator.writes().map((r) => r.path)).toEqual([`/v1.0/users/${user.id}/revokeSignInSessions`]);
    });
  });

  describe("random faults (for the benchmark's bulk issuance)", () => {
    /** A fixed sequence standing in for a seeded generator. */
    const sequence = (...values: number[]) => {
      let next = 0;
      return () => values[next++ % values.length];
    };

    it("answers the share of requests `random` picks with the picked status, before handling them", async () => {
      // Per request: one draw for whether to fault, one for which status.
      emulator.randomFaults = {
        probability: 0.1,
        statuses: [429, 503],
        retryAfter: "2",
        random: sequence(0.05, 0.2, 0.5, 0.09, 0.7),
      };
      const first = await call("GET");
      expect(first.status).toBe(429);
      expect(first.headers.get("retry-after")).toBe("2");
      expect((await call("GET")).status).toBe(200);
      const third = await call("PATCH", { "@odata.type": tapPolicyODataType, defaultLength: 12 });
      expect(third.status).toBe(503);
      expect(third.headers.get("retry-after")).toBeNull();
      expect(emulator.policy.defaultLength).toBe(microsoftDefaultTapPolicy().defaultLength);
      expect(emulator.answered.map((a) => [a.method, a.status])).toEqual([
        ["GET", 429],
        ["GET", 200],
        ["PATCH", 503],
      ]);
    });

    it("lets an injected fault go first, and is off after reset", async () => {
      emulator.randomFaults = { probability: 1, statuses: [503], random: () => 0 };
      emulator.injectFault({ method: "GET", status: 500 });
      expect((await call("GET")).status).toBe(500);
      expect((await call("GET")).status).toBe(503);
      emulator.reset();
      expect(emulator.randomFaults).toBeUndefined();
      expect(emulator.answered).toEqual([]);
      expect((await call("GET")).status).toBe(200);
    });
  });
});
