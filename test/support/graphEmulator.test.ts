// The emulator must refuse what Graph refuses, or the tests that rely on it could not fail.
import {
  GraphEmulator,
  microsoftDefaultTapPolicy,
  tapPolicyODataType,
  tapPolicyPath,
  tapRegistrationMethod,
} from "./graphEmulator";
import { breakGlassGroupId, contractorsGroupId } from "./fixtures";

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("the Graph emulator", () => {
  let emulator: GraphEmulator;
  beforeAll(async () => {
    emulator = await GraphEmulator.start();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.reset());

  const call = (method: string, body?: unknown, token = emulator.token) =>
    fetch(`${emulator.url}${tapPolicyPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("listens on 127.0.0.1 only", () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("requires the bearer token", async () => {
    const response = await call("GET", undefined, "other");
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe("InvalidAuthenticationToken");
  });

  it("requires @odata.type on PATCH and answers 204 without a body when it is there", async () => {
    expect((await call("PATCH", { defaultLength: 12 })).status).toBe(400);
    const ok = await call("PATCH", { "@odata.type": tapPolicyODataType, defaultLength: 12 });
    expect(ok.status).toBe(204);
    expect(await ok.text()).toBe("");
    expect(emulator.policy.defaultLength).toBe(12);
  });

  it.each([
    { defaultLength: 7 },
    { maximumLifetimeInMinutes: 43201 },
    { minimumLifetimeInMinutes: 9 },
    { defaultLifetimeInMinutes: 500 },
    { state: "on" },
    { includeTargets: [{ id: "contractors", targetType: "group", isRegistrationRequired: false }] },
    { excludeTargets: [{ id: "all_users", targetType: "group" }] },
    { unknownField: true },
  ])("refuses %p with 400 and an OData error body, changing nothing", async (patch) => {
    const response = await call("PATCH", { "@odata.type": tapPolicyODataType, ...patch });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      code: expect.any(String),
      message: expect.any(String),
    });
    expect(emulator.policy).toEqual(microsoftDefaultTapPolicy());
  });

  it("keeps fields a PATCH leaves out and replaces collections whole", async () => {
    emulator.policy.excludeTargets = [{ id: breakGlassGroupId, targetType: "group" }];
    await call("PATCH", { "@odata.type": tapPolicyODataType, excludeTargets: [] });
    expect(emulator.policy).toEqual(microsoftDefaultTapPolicy());
  });

  it("resets to Microsoft's defaults on DELETE", async () => {
    emulator.policy.defaultLength = 20;
    expect((await call("DELETE")).status).toBe(204);
    expect(emulator.policy).toEqual(microsoftDefaultTapPolicy());
  });

  it("logs every request, including those it faults", async () => {
    emulator.injectFault({ method: "GET", status: 429, retryAfter: "7" });
    const throttled = await call("GET");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("7");
    expect((await call("GET")).status).toBe(200);
    expect(emulator.requests.map((r) => r.method)).toEqual(["GET", "GET"]);
  });

  describe("a user's pass", () => {
    const group = contractorsGroupId;
    const methods = (user: string) =>
      `${emulator.url}/v1.0/users/${user}/authentication/temporaryAccessPassMethods`;
    const send = (method: string, url: string, body?: unknown) =>
      fetch(url, {
        method,
        headers: { authorization: `Bearer ${emulator.token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let userId: string;

    beforeEach(() => {
      emulator.policy = {
        ...microsoftDefaultTapPolicy(),
        state: "enabled",
        includeTargets: [{ id: group, targetType: "group", isRegistrationRequired: false }],
      };
      userId = emulator.addUser({ userPrincipalName: "jane@contoso.example" }).id;
    });

    it("issues only to a user in scope, once the membership has replicated", async () => {
      emulator.addMember(group, userId, 60_000);
      expect((await send("POST", methods(userId), { lifetimeInMinutes: 60 })).status).toBe(400);
      emulator.now = () => Date.now() + 61_000;
      expect((await send("POST", methods(userId), { lifetimeInMinutes: 60 })).status).toBe(201);
    });

    it("refuses a user not in scope with the status set for it (400 by default, 403 as the docs' readers expect)", async () => {
      const refusal = async () => {
        const response = await send("POST", methods(userId), {});
        const { code, message } = await errorOf(response);
        return { status: response.status, code, message };
      };
      const wording =
        "Converged UserCredentialPolicy does not allow creating or updating this authentication method.";
      expect(await refusal()).toEqual({ status: 400, code: "badRequest", message: wording });
      emulator.scopeRefusalStatus = 403;
      expect(await refusal()).toEqual({ status: 403, code: "accessDenied", message: wording });
      emulator.reset();
      expect(emulator.scopeRefusalStatus).toBe(400);
    });

    it("records when each request arrived, by the real clock", async () => {
      const before = Date.now();
      emulator.now = () => before + 3_600_000;
      await send("GET", methods(userId));
      const [recorded] = emulator.requests;
      expect(recorded.at).toBeGreaterThanOrEqual(before);
      expect(recorded.at).toBeLessThanOrEqual(Date.now());
    });

    it("returns the passcode in the POST answer only, and keeps one pass per user", async () => {
      emulator.addMember(group, userId);
      const first = (await (await send("POST", methods("jane@contoso.example"), {})).json()) as Record<
        string,
        unknown
      >;
      expect(typeof first.temporaryAccessPass).toBe("string");
      const listed = (await (await send("GET", methods(userId))).json()) as {
        value: Record<string, unknown>[];
      };
      expect(listed.value).toEqual([expect.objectContaining({ id: first.id, temporaryAccessPass: null })]);
      const second = (await (await send("POST", methods(userId), {})).json()) as Record<string, unknown>;
      expect(second.id).not.toBe(first.id);
      expect((await send("GET", `${methods(userId)}/${first.id}`)).status).toBe(404);
      expect((await send("DELETE", `${methods(userId)}/${second.id}`)).status).toBe(204);
      expect((await send("DELETE", `${methods(userId)}/${second.id}`)).status).toBe(404);
    });

    it("refuses guests, oneself, an excluded member and a policy that is off", async () => {
      const guest = emulator.addUser({ userPrincipalName: "guest@partner.example", userType: "Guest" });
      emulator.addMember(group, guest.id);
      expect((await send("POST", methods(guest.id), {})).status).toBe(400);
      const me = emulator.addUser({ id: emulator.callerId, userPrincipalName: "admin@contoso.example" });
      emulator.addMember(group, me.id);
      expect((await send("POST", methods(me.id), {})).status).toBe(403);
      const breakGlass = breakGlassGroupId;
      emulator.policy.excludeTargets = [{ id: breakGlass, targetType: "group" }];
      emulator.addMember(group, userId);
      emulator.addMember(breakGlass, userId);
      expect((await send("POST", methods(userId), {})).status).toBe(400);
      emulator.policy.excludeTargets = [];
      emulator.policy.state = "disabled";
      expect((await send("POST", methods(userId), {})).status).toBe(400);
    });
  });

  describe("directory reads and JSON batches", () => {
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${emulator.url}/v1.0${path}`, {
        headers: { authorization: `Bearer ${emulator.token}`, ...headers },
      });
    const batch = (requests: unknown[], token = emulator.token) =>
      fetch(`${emulator.url}/v1.0/$batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ requests }),
      });
    const membersPath = (id: string, query = "$select=id,userPrincipalName&$top=2&$count=true") =>
      `/groups/${id}/transitiveMembers/microsoft.graph.user?${query}`;

    it("lists a group's transitive members, nested groups included, a page of $top at a time", async () => {
      const parent = emulator.addGroup({ displayName: "TAP - Contractors" });
      const child = emulator.addGroup({ displayName: "Vendors" });
      emulator.nestGroup(parent.id, child.id);
      for (const [upn, group] of [
        ["a@contoso.example", parent.id],
        ["b@contoso.example", parent.id],
        ["c@contoso.example", child.id],
      ]) {
        emulator.addMember(group, emulator.addUser({ userPrincipalName: upn }).id);
      }
      emulator.addUser({ userPrincipalName: "outside@contoso.example" });
      const first = (await (await get(membersPath(parent.id), { consistencylevel: "eventual" })).json()) as {
        value: { userPrincipalName: string }[];
        "@odata.nextLink": string;
      };
      expect(first.value.map((u) => u.userPrincipalName)).toEqual(["a@contoso.example", "b@contoso.example"]);
      expect(first.value[0]).toEqual({
        "@odata.type": "#microsoft.graph.user",
        id: expect.any(String),
        userPrincipalName: "a@contoso.example",
      });
      const next = new URL(first["@odata.nextLink"]);
      const second = (await (
        await get(`${next.pathname.slice(5)}${next.search}`, { consistencylevel: "eventual" })
      ).json()) as { value: { userPrincipalName: string }[]; "@odata.nextLink"?: string };
      expect(second.value.map((u) => u.userPrincipalName)).toEqual(["c@contoso.example"]);
      expect(second["@odata.nextLink"]).toBeUndefined();
    });

    it("refuses a cast on transitive members without ConsistencyLevel: eventual and $count=true", async () => {
      const group = emulator.addGroup({ displayName: "TAP - Contractors" });
      const withoutHeader = await get(membersPath(group.id));
      expect(withoutHeader.status).toBe(400);
      expect((await errorOf(withoutHeader)).code).toBe("Request_UnsupportedQuery");
      const withoutCount = await get(membersPath(group.id, "$top=2"), { consistencylevel: "eventual" });
      expect(withoutCount.status).toBe(400);
    });

    it("refuses a page size above 999", async () => {
      expect((await get("/users?$top=1000")).status).toBe(400);
      expect((await get("/users?$top=999")).status).toBe(200);
    });

    it("finds groups by display name, quotes doubled as OData escapes them", async () => {
      emulator.addGroup({ displayName: "Ops' team" });
      emulator.addGroup({ displayName: "Other" });
      const filter = encodeURIComponent("displayName eq 'Ops'' team'");
      const found = (await (await get(`/groups?$filter=${filter}&$select=id,displayName`)).json()) as {
        value: { displayName: string }[];
      };
      expect(found.value).toEqual([{ id: expect.any(String), displayName: "Ops' team" }]);
      expect((await get(`/groups/${contractorsGroupId}`)).status).toBe(404);
    });

    it("lists pass holders in the registration report, once the report has caught up", async () => {
      const holder = emulator.addUser({ userPrincipalName: "holder@contoso.example" });
      emulator.addUser({ userPrincipalName: "none@contoso.example" });
      emulator.addPass(holder.id, { startDateTime: new Date().toISOString(), lifetimeInMinutes: 60 });
      const filter = encodeURIComponent(`methodsRegistered/any(m:m eq '${tapRegistrationMethod}')`);
      const read = async () =>
        (
          (await (
            await get(`/reports/authenticationMethods/userRegistrationDetails?$filter=${filter}`)
          ).json()) as {
            value: { userPrincipalName: string; methodsRegistered: string[] }[];
          }
        ).value;
      expect(await read()).toEqual([
        expect.objectContaining({
          userPrincipalName: "holder@contoso.example",
          methodsRegistered: ["temporaryAccessPass"],
        }),
      ]);
      emulator.registrationReportLagMs = 3_600_000;
      expect(await read()).toEqual([]);
    });

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
      expect((await get("/users")).status).toBe(429);
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
