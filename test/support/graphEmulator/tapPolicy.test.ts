// The emulator's TAP policy must refuse what Graph refuses, or the tests that rely on it could not fail.
import type { GraphEmulator } from "./server";
import { useResetGraphEmulator } from "./setups";
import { microsoftDefaultTapPolicy, tapPolicyODataType, tapPolicyPath } from "./tapPolicy";
import { errorOf, send } from "./testRequests";
import { breakGlassGroupId } from "../fixtures";

describe("the Graph emulator's TAP policy", () => {
  let emulator: GraphEmulator;
  useResetGraphEmulator((started) => (emulator = started));
  const call = (method: string, body?: unknown) => send(emulator, method, tapPolicyPath, body);

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
});
