// The pass provider's sealed handover: what its outputs (the state) hold of the passcode, who can open it, and that no
// pass is left live whose passcode nobody can open.
import * as handover from "../../components/handover";
import { openSealedPasscode } from "../../components/handover";
import {
  type UserTemporaryAccessPassOutputs,
  userTemporaryAccessPassLifecycle as provider,
} from "../../components/userTemporaryAccessPass";
import { type EmulatedUser, GraphEmulator } from "../support/graphEmulator";
import { type TestRecipient, testRecipient } from "../support/handoverIdentities";
import {
  approver,
  declared,
  issued,
  openedPasscode,
  useTapTenant,
} from "./userTemporaryAccessPass.provider.support";

let emulator: GraphEmulator;
let jane: EmulatedUser;
useTapTenant((started, user) => {
  emulator = started;
  jane = user;
});

let lisa: TestRecipient;
let mallory: TestRecipient;
beforeAll(async () => {
  [lisa, mallory] = await Promise.all([testRecipient("lisa"), testRecipient("mallory")]);
});

const recipient = ({ name, key }: TestRecipient) => ({ name, key });

describe("the passcode in the pass's outputs", () => {
  it("is only ciphertext: no plaintext, no Pulumi secret, and the recipient's identity opens it", async () => {
    const outs = await issued();
    const passcode = jane.tap!.temporaryAccessPass!;
    expect(JSON.stringify(outs)).not.toContain(passcode);
    expect(outs.temporaryAccessPass).toBeNull();
    expect(outs.sealedTo).toEqual([recipient(approver)]);
    expect(await openedPasscode(outs)).toBe(passcode);
    await expect(openSealedPasscode(outs.sealedPasscode!, [mallory.identity])).rejects.toThrow(
      "the pass was not sealed to this identity",
    );
  });

  it("opens for each of several recipients", async () => {
    const outs = await issued({ sealTo: [recipient(approver), recipient(lisa)] });
    for (const identity of [approver.identity, lisa.identity]) {
      expect(await openSealedPasscode(outs.sealedPasscode!, [identity])).toBe(jane.tap!.temporaryAccessPass);
    }
  });

  it("keeps the plaintext too (a secret output) only when the stack opts in", async () => {
    const outs = await issued({ keepPasscodeInState: true });
    expect(outs.temporaryAccessPass).toBe(jane.tap!.temporaryAccessPass);
    expect(await openedPasscode(outs)).toBe(jane.tap!.temporaryAccessPass);
    const plainOnly = await issued({ keepPasscodeInState: true, sealTo: [] });
    expect(plainOnly).toMatchObject({ sealedPasscode: null, sealedTo: [] });
    expect(plainOnly.temporaryAccessPass).toBe(jane.tap!.temporaryAccessPass);
  });

  it("is marked secret in the schema only where it is plaintext", () => {
    expect(provider.outputs.temporaryAccessPass.secret).toBe(true);
    expect(provider.outputs.sealedPasscode.secret).toBeUndefined();
  });
});

describe("nothing issued that nobody can open", () => {
  it("check refuses a pass sealed to nobody, and a key that is not an age public key, naming each", async () => {
    const nobody = await provider.check({}, declared({ sealTo: [] }));
    expect(nobody.failures).toEqual([
      {
        property: "sealTo",
        reason: expect.stringMatching(
          /^temporaryAccessPass\.sealTo: \[\] is not allowed; expected at least one recipient/,
        ),
      },
    ]);
    const badKey = await provider.check({}, declared({ sealTo: [{ name: "lisa", key: "age1nope" }] }));
    expect(badKey.failures).toEqual([
      {
        property: "sealTo",
        reason:
          'temporaryAccessPass.sealTo[0].key: "age1nope" is not allowed; expected an age public key (age1...), as age-keygen prints it',
      },
    ]);
  });

  it("create refuses a key age cannot use before anything reaches Graph", async () => {
    await expect(
      provider.create(declared({ sealTo: [{ name: "lisa", key: "age1nope" }] })),
    ).rejects.toThrow();
    expect(emulator.writes()).toEqual([]);
    expect(jane.tap).toBeUndefined();
  });

  it("deletes the pass when its passcode cannot be sealed, and says so", async () => {
    const sealer = jest
      .spyOn(handover, "passcodeSealer")
      .mockReturnValue(() => Promise.reject(new Error("sealing failed")));
    try {
      await expect(provider.create(declared())).rejects.toThrow(
        'the pass issued to "jane.doe@contoso.example" could not be sealed (sealing failed); it was deleted',
      );
    } finally {
      sealer.mockRestore();
    }
    expect(jane.tap).toBeUndefined();
    expect(emulator.writes().map((r) => r.method)).toEqual(["POST", "DELETE"]);
  });
});

describe("a change of recipients, and a pass from before sealing", () => {
  it("updates a pass whose recipients changed without re-issuing it: the seal stays whom it was sealed to", async () => {
    const outs = await issued();
    const { startDateTime, grantExpiry } = outs;
    const news = declared({ startDateTime, grantExpiry, sealTo: [recipient(lisa)] });
    expect(await provider.diff(outs.methodId, outs, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = (await provider.update(outs.methodId, outs, news)).outs as UserTemporaryAccessPassOutputs;
    expect(updated).toMatchObject({ sealedPasscode: outs.sealedPasscode, sealedTo: [recipient(approver)] });
    expect(updated.sealTo).toEqual([recipient(lisa)]);
    expect(emulator.writes()).toEqual([]);
  });

  it("seals a passcode the state held in plaintext (issued before this version) and drops the plaintext", async () => {
    const outs = await issued();
    const { sealedPasscode: _s, sealedTo: _t, sealTo: _r, keepPasscodeInState: _k, ...before } = outs;
    const legacy = { ...before, temporaryAccessPass: "Legacy#passcode" } as UserTemporaryAccessPassOutputs;
    const news = declared({ sealTo: [recipient(lisa)] });
    expect((await provider.diff(outs.methodId, legacy, news)).changes).toBe(true);
    const updated = (await provider.update(outs.methodId, legacy, news))
      .outs as UserTemporaryAccessPassOutputs;
    expect(updated.temporaryAccessPass).toBeNull();
    expect(updated.sealedTo).toEqual([recipient(lisa)]);
    expect(await openSealedPasscode(updated.sealedPasscode!, [lisa.identity])).toBe("Legacy#passcode");
    expect(JSON.stringify(updated)).not.toContain("Legacy#passcode");
  });

  it("drops the sealed passcode with the pass when the grant ends", async () => {
    const outs = await issued();
    const updated = (await provider.update(outs.methodId, outs, declared({ grantEnded: true })))
      .outs as UserTemporaryAccessPassOutputs;
    expect(updated).toMatchObject({ status: "ended", sealedPasscode: null, temporaryAccessPass: null });
  });

  it("lets an ended grant's pass go without any recipient", async () => {
    const checked = await provider.check(declared(), declared({ grantEnded: true, sealTo: [] }));
    expect(checked.failures).toBeUndefined();
  });
});
