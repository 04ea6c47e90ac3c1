import { identitiesIn, isAgeRecipient, openSealedPasscode, passcodeSealer } from "../../components/handover";
import { approverRecipientKeys } from "../support/fixtures";
import { type TestRecipient, testRecipient } from "../support/handoverIdentities";

describe("the sealed handover", () => {
  let tom: TestRecipient;
  let lisa: TestRecipient;
  let mallory: TestRecipient;

  beforeAll(async () => {
    [tom, lisa, mallory] = await Promise.all(["tom", "lisa", "mallory"].map(testRecipient));
  });

  it("seals a passcode that each recipient's identity opens, and no other identity does", async () => {
    const sealed = await passcodeSealer([tom, lisa])("Xy7#passcode-from-graph");
    expect(sealed).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]+-----END AGE ENCRYPTED FILE-----\n$/);
    expect(sealed).not.toContain("passcode-from-graph");
    expect(await openSealedPasscode(sealed, [tom.identity])).toBe("Xy7#passcode-from-graph");
    expect(await openSealedPasscode(sealed, [mallory.identity, lisa.identity])).toBe(
      "Xy7#passcode-from-graph",
    );
    await expect(openSealedPasscode(sealed, [mallory.identity])).rejects.toThrow(
      "the pass was not sealed to this identity: none of its keys opens it",
    );
  });

  it("seals each passcode anew: the same passcode sealed twice gives two different files", async () => {
    const seal = passcodeSealer([tom]);
    expect(await seal("same")).not.toBe(await seal("same"));
  });

  it("accepts age's public keys and refuses anything else, a damaged checksum included", () => {
    expect(isAgeRecipient(tom.key)).toBe(true);
    expect(isAgeRecipient(approverRecipientKeys["tom.becker@contoso.com"])).toBe(true);
    const damaged = `${tom.key.slice(0, -1)}${tom.key.endsWith("q") ? "p" : "q"}`;
    for (const key of [
      damaged,
      "",
      "age1",
      tom.identity,
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI",
      tom.key.toUpperCase(),
    ])
      expect(isAgeRecipient(key)).toBe(false);
  });

  it("refuses to build a sealer for nobody, or for a key it cannot use, before anything is sealed", () => {
    expect(() => passcodeSealer([])).toThrow("a passcode is sealed to at least one recipient");
    expect(() => passcodeSealer([{ name: "x", key: "age1nope" }])).toThrow();
  });

  it("reads the identities of an identity file, leaving out comments and blank lines", () => {
    const file = `# created: 2026-12-03\n# public key: ${tom.key}\n${tom.identity}\n\n  ${lisa.identity}  \r\n`;
    expect(identitiesIn(file)).toEqual([tom.identity, lisa.identity]);
    expect(identitiesIn("# nothing here\n")).toEqual([]);
  });

  it("says what is wrong with a text that is not a sealed passcode, or an identity that is not one", async () => {
    const sealed = await passcodeSealer([tom])("passcode");
    await expect(openSealedPasscode("not age", [tom.identity])).rejects.toThrow(
      "the sealed passcode is not an ASCII-armored age file",
    );
    await expect(openSealedPasscode(sealed, ["AGE-SECRET-KEY-1NOPE"])).rejects.toThrow(
      "the identity file holds a line that is not an age identity",
    );
    const damaged = sealed.replace(/\n(.)(.)/, (_line, a: string, b: string) => `\n${b}${a}`);
    await expect(openSealedPasscode(damaged, [tom.identity])).rejects.toThrow(/damaged|not an ASCII-armored/);
  });

  it("never puts an identity in its errors", async () => {
    const sealed = await passcodeSealer([tom])("passcode");
    const error = await openSealedPasscode(sealed, [mallory.identity]).catch((e: Error) => e);
    expect(String(error)).not.toContain(mallory.identity);
  });
});
