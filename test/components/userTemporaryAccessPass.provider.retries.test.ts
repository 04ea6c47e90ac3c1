// The user pass provider's create when an answer is lost or throttled, and the refusals it does not retry.
import * as graphRetry from "../../components/graph/retry";
import {
  type UserTemporaryAccessPassOutputs,
  userTemporaryAccessPassLifecycle as provider,
} from "../../components/userTemporaryAccessPass";
import { type EmulatedUser, GraphEmulator } from "../support/graphEmulator";
import { contractorsGroupId as contractors } from "../support/fixtures";
import {
  declared,
  openedPasscode,
  passRequests,
  useTapTenant,
} from "./userTemporaryAccessPass.provider.support";

// The provider's waits, seen: `sleep` as the retry module has it, recorded (it still waits on the real clock).
jest.mock("../../components/graph/retry", () => {
  const actual = jest.requireActual<typeof import("../../components/graph/retry")>(
    "../../components/graph/retry",
  );
  return { ...actual, sleep: jest.fn(actual.sleep) };
});
const sleep = jest.mocked(graphRetry.sleep);

let emulator: GraphEmulator;
let jane: EmulatedUser;
useTapTenant((started, user) => {
  emulator = started;
  jane = user;
});

describe("create", () => {
  it("does not POST again blindly when an answer is lost: reads first, and the new pass replaces the lost one", async () => {
    emulator.injectFault({
      method: "POST",
      path: /temporaryAccessPassMethods$/,
      reset: true,
      afterHandling: true,
    });
    const outs = (await provider.create!(declared())).outs as UserTemporaryAccessPassOutputs;
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["GET", "POST", "GET", "POST"]);
    // One pass live, the one whose passcode was handed back.
    expect(jane.tap!.id).toBe(outs.methodId);
    expect(await openedPasscode(outs)).toBe(jane.tap!.temporaryAccessPass);
  });

  it.each([
    ["a 503", { status: 503, retryAfter: "0" }],
    ["a 504", { status: 504 }],
    ["a dropped connection", { reset: true }],
  ])(
    "treats %s on the POST as an answer that may be lost, not as a failure to repeat",
    async (_what, fault) => {
      emulator.injectFault({ method: "POST", path: /temporaryAccessPassMethods$/, ...fault });
      const outs = (await provider.create!(declared())).outs as UserTemporaryAccessPassOutputs;
      expect(passRequests(emulator).map((r) => r.method)).toEqual(["GET", "POST", "GET", "POST"]);
      expect(outs.methodId).toBe(jane.tap!.id);
    },
  );

  it("waits out a 503's Retry-After before the next POST, reading the pass back first", async () => {
    emulator.injectFault({
      method: "POST",
      path: /temporaryAccessPassMethods$/,
      status: 503,
      retryAfter: "1",
    });
    const outs = (await provider.create!(declared())).outs as UserTemporaryAccessPassOutputs;
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["GET", "POST", "GET", "POST"]);
    const [first, second] = emulator.requests.filter((r) => r.method === "POST");
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
    expect(outs.methodId).toBe(jane.tap!.id);
  });

  it("waits out a Retry-After given as an HTTP date, with a pass issued without an answer", async () => {
    // Whole seconds, as the header's date has no more: at least 1 s from now, at most 2.
    const at = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000);
    emulator.injectFault({
      method: "POST",
      path: /temporaryAccessPassMethods$/,
      status: 503,
      retryAfter: at.toUTCString(),
      afterHandling: true,
    });
    const outs = (await provider.create!(declared())).outs as UserTemporaryAccessPassOutputs;
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["GET", "POST", "GET", "POST"]);
    expect(passRequests(emulator)[3].at).toBeGreaterThanOrEqual(at.getTime());
    expect(await openedPasscode(outs)).toBe(jane.tap!.temporaryAccessPass);
  });

  it("counts the Retry-After from the answer: a read-back that took longer adds no wait", async () => {
    emulator.injectFault({
      method: "POST",
      path: /temporaryAccessPassMethods$/,
      status: 503,
      retryAfter: "1",
    });
    emulator.injectFault({ method: "GET", path: /temporaryAccessPassMethods$/, delayMs: 1200 });
    sleep.mockClear();
    await provider.create!(declared());
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["GET", "POST", "GET", "POST"]);
    const [first, second] = emulator.requests.filter((r) => r.method === "POST");
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
    expect(sleep).not.toHaveBeenCalled();
  });

  it("waits out a 429's Retry-After before sending the POST again", async () => {
    emulator.injectFault({
      method: "POST",
      path: /temporaryAccessPassMethods$/,
      status: 429,
      retryAfter: "1",
    });
    await provider.create!(declared());
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["GET", "POST", "POST"]);
    expect(passRequests(emulator)[2].at - passRequests(emulator)[1].at).toBeGreaterThanOrEqual(1000);
  });

  it("retries a 429 on the POST at once (Graph did not carry it out)", async () => {
    emulator.injectFault({
      method: "POST",
      path: /temporaryAccessPassMethods$/,
      status: 429,
      retryAfter: "0",
    });
    await provider.create!(declared());
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["GET", "POST", "POST"]);
  });

  it("gives up after answers lost again and again, deleting the pass no one has the passcode of", async () => {
    emulator.injectFault({
      method: "POST",
      path: /temporaryAccessPassMethods$/,
      reset: true,
      afterHandling: true,
      times: 3,
    });
    await expect(provider.create!(declared())).rejects.toThrow(
      /answer was lost 3 times .*the pass issued without an answer was deleted\. Nothing is recorded in the state: run pulumi up again/,
    );
    expect(jane.tap).toBeUndefined();
    expect(emulator.requests.filter((r) => r.method === "POST")).toHaveLength(3);
  });

  it("does not retry a refusal that is not about scope", async () => {
    emulator.addUser({ userPrincipalName: "guest@partner.example", userType: "Guest" });
    emulator.addMember(contractors, [...emulator.users.values()].at(-1)!.id);
    await expect(provider.create!(declared({ user: "guest@partner.example" }))).rejects.toThrow(
      /HTTP 400 badRequest: Temporary Access Pass cannot be added to an external guest user/,
    );
    expect(emulator.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("fails with Graph's scope refusal, its wording pinned, once scopeRetrySeconds is over", async () => {
    const outsider = emulator.addUser({ userPrincipalName: "outsider@contoso.example" });
    await expect(
      provider.create!(declared({ user: outsider.userPrincipalName, scopeRetrySeconds: 0 })),
    ).rejects.toThrow(
      /HTTP 400 badRequest: Converged UserCredentialPolicy does not allow creating or updating this authentication method/,
    );
    // The wording on other statuses: test/components/graph/userPasses.test.ts.
  });

  it.each([
    [400, "badRequest"],
    [403, "accessDenied"],
    [409, "conflict"],
  ])(
    "does not retry a %i it does not know, and says where to look (Graph's wording may have changed)",
    async (status, code) => {
      emulator.injectFault({ method: "POST", status, code });
      await expect(provider.create!(declared({ scopeRetrySeconds: 600 }))).rejects.toThrow(
        new RegExp(
          `HTTP ${status} ${code}: Injected fault ${status} .*entra-tap retries only a refusal whose message contains ` +
            '"does not allow creating or updating this authentication method": Graph\'s wording may have changed',
        ),
      );
      expect(emulator.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    },
  );

  it("does not retry, nor send to the wording hint, a 403 it knows: a pass to oneself", async () => {
    const me = emulator.addUser({ id: emulator.callerId, userPrincipalName: "admin@contoso.example" });
    emulator.addMember(contractors, me.id);
    const refused = provider.create!(declared({ user: "admin@contoso.example", scopeRetrySeconds: 600 }));
    await expect(refused).rejects.toThrow(
      /HTTP 403 accessDenied: Self-service operations are currently not supported/,
    );
    await expect(refused).rejects.not.toThrow(/wording may have changed/);
    expect(emulator.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });
});
