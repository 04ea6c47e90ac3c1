// The user pass provider's read, diff, the grant's end and delete, and states written by earlier versions.
import {
  type UserTemporaryAccessPassOutputs,
  userTemporaryAccessPassLifecycle as provider,
} from "../../components/userTemporaryAccessPass";
import { type EmulatedUser, GraphEmulator } from "../support/graphEmulator";
import {
  declared,
  hour,
  issued,
  passRequests,
  useTapTenant,
} from "./userTemporaryAccessPass.provider.support";

let emulator: GraphEmulator;
let jane: EmulatedUser;
useTapTenant((started, user) => {
  emulator = started;
  jane = user;
});

describe("read", () => {
  it("reports usability: not yet valid, usable, used, expired", async () => {
    const outs = await issued();
    const read = async () =>
      (await provider.read!(outs.methodId, outs)).props as UserTemporaryAccessPassOutputs;
    expect(await read()).toMatchObject({
      status: "issued",
      isUsable: false,
      methodUsabilityReason: "NotYetValid",
    });
    emulator.now = () => Date.now() + 1.5 * hour;
    expect(await read()).toMatchObject({ isUsable: true, methodUsabilityReason: "EnabledByPolicy" });
    emulator.signInWithTap(jane.id);
    expect(await read()).toMatchObject({ isUsable: false, methodUsabilityReason: "OneTimeUsed" });
    emulator.now = () => Date.now() + 4 * hour;
    expect(await read()).toMatchObject({ isUsable: false, methodUsabilityReason: "Expired" });
  });

  it("keeps the sealed passcode from the state: Graph never returns it again", async () => {
    const outs = await issued();
    const read = (await provider.read!(outs.methodId, outs)).props;
    expect(read.sealedPasscode).toBe(outs.sealedPasscode);
    expect(read.sealedTo).toEqual(outs.sealedTo);
  });

  it("shows a pass revoked out of band as drift, and the next up does not re-issue it", async () => {
    const outs = await issued();
    jane.tap = undefined;
    const read = (await provider.read!(outs.methodId, outs)).props as UserTemporaryAccessPassOutputs;
    expect(read.status).toBe("revokedOutOfBand");
    const diff = await provider.diff!(
      outs.methodId,
      read,
      declared({ startDateTime: outs.startDateTime, grantExpiry: outs.grantExpiry }),
    );
    expect(diff.changes).toBe(false);
  });

  it("shows a pass replaced out of band, and re-issues only for an explicit reissue", async () => {
    const outs = await issued();
    jane.tap = { ...jane.tap!, id: "11111111-2222-3333-4444-555555555555" };
    const read = (await provider.read!(outs.methodId, outs)).props as UserTemporaryAccessPassOutputs;
    expect(read.status).toBe("replacedOutOfBand");
    const same = { ...outs, grantEnded: false };
    expect((await provider.diff!(outs.methodId, read, same)).changes).toBe(false);
    const diff = await provider.diff!(outs.methodId, read, { ...same, reissue: 1 });
    expect(diff).toMatchObject({ changes: true, replaces: ["reissue"], deleteBeforeReplace: true });
  });

  it("records the registration preflight's warnings at issue and at each read, and none for a pass used up", async () => {
    emulator.conditionalAccessForbidden = true;
    const outs = await issued();
    const notChecked = [
      expect.stringMatching(/^the registration path was not checked: .*Policy\.Read\.ConditionalAccess/),
    ];
    expect(outs.registrationWarnings).toEqual(notChecked);
    const read = (await provider.read!(outs.methodId, outs)).props as UserTemporaryAccessPassOutputs;
    expect(read.registrationWarnings).toEqual(notChecked);
    // Its lifetime has run out: nothing is left for it to register.
    jane.tap = { ...jane.tap!, startDateTime: "2020-01-01T00:00:00.000Z" };
    const used = (await provider.read!(outs.methodId, outs)).props as UserTemporaryAccessPassOutputs;
    expect(used.registrationWarnings).toEqual([]);
  });

  it("makes one GET and no writes", async () => {
    const outs = await issued();
    await provider.read!(outs.methodId, outs);
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["GET"]);
  });
});

describe("diff", () => {
  it("re-issues for changes Graph cannot make to a pass, updates in place otherwise", async () => {
    const outs = await issued();
    expect((await provider.diff!(outs.methodId, outs, { ...outs, lifetimeInMinutes: 60 })).replaces).toEqual([
      "lifetimeInMinutes",
    ]);
    expect(await provider.diff!(outs.methodId, outs, { ...outs, grantEnded: true })).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect((await provider.diff!(outs.methodId, outs, { ...outs })).changes).toBe(false);
  });
});

describe("the grant's end and delete", () => {
  it("at expiry deletes the pass, revokes sessions and never re-issues", async () => {
    const outs = await issued();
    const result = await provider.update!(outs.methodId, outs, { ...outs, grantEnded: true });
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["DELETE", "POST"]);
    expect(passRequests(emulator)[1].path).toBe(
      `/v1.0/users/${encodeURIComponent(outs.user)}/revokeSignInSessions`,
    );
    expect(jane.tap).toBeUndefined();
    expect(jane.sessionsRevokedAt).toBeDefined();
    expect(result.outs).toMatchObject({ status: "ended", temporaryAccessPass: null, isUsable: false });
    emulator.requests.length = 0;
    expect((await provider.read!(outs.methodId, result.outs)).props.status).toBe("ended");
    await provider.delete!(outs.methodId, result.outs);
    expect(emulator.requests).toEqual([]);
  });

  it("deletes the pass and ends the user's sessions", async () => {
    const outs = await issued();
    await provider.delete!(outs.methodId, outs);
    expect(jane.tap).toBeUndefined();
    expect(jane.sessionsRevokedAt).toBeDefined();
  });

  it("tolerates a pass already gone", async () => {
    const outs = await issued();
    jane.tap = undefined;
    await expect(provider.delete!(outs.methodId, outs)).resolves.toBeUndefined();
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["DELETE", "POST"]);
  });

  it("leaves sessions alone when asked to", async () => {
    const outs = await issued({ revokeSessionsOnDelete: false });
    await provider.delete!(outs.methodId, outs);
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["DELETE"]);
    expect(jane.sessionsRevokedAt).toBeUndefined();
  });

  it("does not delete someone else's pass that replaced ours out of band", async () => {
    const outs = await issued();
    const read = (await provider.read!(outs.methodId, { ...outs })).props as UserTemporaryAccessPassOutputs;
    jane.tap = { ...jane.tap!, id: "11111111-2222-3333-4444-555555555555" };
    const replaced = (await provider.read!(outs.methodId, read)).props as UserTemporaryAccessPassOutputs;
    emulator.requests.length = 0;
    await provider.delete!(outs.methodId, replaced);
    expect(jane.tap).toBeDefined();
    expect(passRequests(emulator).map((r) => r.method)).toEqual(["POST"]);
  });
});
