// The emulator must refuse what Graph refuses, or the tests that rely on it could not fail.
import { GraphEmulator, microsoftDefaultTapPolicy, tapPolicyODataType, tapPolicyPath } from "./graphEmulator";

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
    emulator.policy.excludeTargets = [{ id: "9a41d6e2-58c3-4b0f-a7e9-2d6c1b3f8e05", targetType: "group" }];
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
    const group = "3f2b8c1e-7d4a-4e59-9b61-0c5a2e8d7f14";
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
      const breakGlass = "9a41d6e2-58c3-4b0f-a7e9-2d6c1b3f8e05";
      emulator.policy.excludeTargets = [{ id: breakGlass, targetType: "group" }];
      emulator.addMember(group, userId);
      emulator.addMember(breakGlass, userId);
      expect((await send("POST", methods(userId), {})).status).toBe(400);
      emulator.policy.excludeTargets = [];
      emulator.policy.state = "disabled";
      expect((await send("POST", methods(userId), {})).status).toBe(400);
    });
  });
});
