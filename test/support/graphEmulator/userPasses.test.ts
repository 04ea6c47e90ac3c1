// The emulator must issue a pass only where Graph does, and show it only as Graph does.
import { microsoftDefaultTapPolicy } from "./tapPolicy";
import type { GraphEmulator } from "./server";
import { useResetGraphEmulator } from "./setups";
import { errorOf, send } from "./testRequests";
import { breakGlassGroupId, contractorsGroupId } from "../fixtures";

describe("the Graph emulator's passes of a user", () => {
  let emulator: GraphEmulator;
  useResetGraphEmulator((started) => (emulator = started));
  const group = contractorsGroupId;
  const methods = (user: string) => `/v1.0/users/${user}/authentication/temporaryAccessPassMethods`;
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
    expect((await send(emulator, "POST", methods(userId), { lifetimeInMinutes: 60 })).status).toBe(400);
    emulator.now = () => Date.now() + 61_000;
    expect((await send(emulator, "POST", methods(userId), { lifetimeInMinutes: 60 })).status).toBe(201);
  });

  it("refuses a user not in scope with the status set for it (400 by default, 403 as the docs' readers expect)", async () => {
    const refusal = async () => {
      const response = await send(emulator, "POST", methods(userId), {});
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
    await send(emulator, "GET", methods(userId));
    const [recorded] = emulator.requests;
    expect(recorded.at).toBeGreaterThanOrEqual(before);
    expect(recorded.at).toBeLessThanOrEqual(Date.now());
  });

  it("returns the passcode in the POST answer only, and keeps one pass per user", async () => {
    emulator.addMember(group, userId);
    const first = (await (
      await send(emulator, "POST", methods("jane@contoso.example"), {})
    ).json()) as Record<string, unknown>;
    expect(typeof first.temporaryAccessPass).toBe("string");
    const listed = (await (await send(emulator, "GET", methods(userId))).json()) as {
      value: Record<string, unknown>[];
    };
    expect(listed.value).toEqual([expect.objectContaining({ id: first.id, temporaryAccessPass: null })]);
    const second = (await (await send(emulator, "POST", methods(userId), {})).json()) as Record<
      string,
      unknown
    >;
    expect(second.id).not.toBe(first.id);
    expect((await send(emulator, "GET", `${methods(userId)}/${first.id}`)).status).toBe(404);
    expect((await send(emulator, "DELETE", `${methods(userId)}/${second.id}`)).status).toBe(204);
    expect((await send(emulator, "DELETE", `${methods(userId)}/${second.id}`)).status).toBe(404);
  });

  it("refuses guests, oneself, an excluded member and a policy that is off", async () => {
    const guest = emulator.addUser({ userPrincipalName: "guest@partner.example", userType: "Guest" });
    emulator.addMember(group, guest.id);
    expect((await send(emulator, "POST", methods(guest.id), {})).status).toBe(400);
    const me = emulator.addUser({ id: emulator.callerId, userPrincipalName: "admin@contoso.example" });
    emulator.addMember(group, me.id);
    expect((await send(emulator, "POST", methods(me.id), {})).status).toBe(403);
    const breakGlass = breakGlassGroupId;
    emulator.policy.excludeTargets = [{ id: breakGlass, targetType: "group" }];
    emulator.addMember(group, userId);
    emulator.addMember(breakGlass, userId);
    expect((await send(emulator, "POST", methods(userId), {})).status).toBe(400);
    emulator.policy.excludeTargets = [];
    emulator.policy.state = "disabled";
    expect((await send(emulator, "POST", methods(userId), {})).status).toBe(400);
  });
});
