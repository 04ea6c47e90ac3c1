// The sealed handover: a pass's passcode is sealed to the public keys of the people who hand it over, with age
// (age-encryption.org/v1, by age's author: X25519 and post-quantum hybrid recipients, ASCII-armored), and opened only
// with one of their identities. The state, the outputs and the stack's secrets provider hold ciphertext; `age -d`
// opens it as well as `npm run handover` does.
import { z } from "zod";
import { filledText } from "./grant";
import { strictObject } from "./validation";

/**
 * age-encryption, loaded when first needed rather than with this module: the provider plugin starts for every
 * command, and a `pulumi destroy` or a check of a stack without recipients never seals or opens anything.
 */
function age(): typeof import("age-encryption") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("age-encryption");
}

/** What a recipient's key may be: the public keys age's own tools make, `age1...` (or `age1pq1...`). */
const ageRecipientAllowed = "an age public key (age1...), as age-keygen prints it";

/**
 * Keys already judged, by key: every pass of a stack names the same few, and the plan checks thousands of passes.
 * A key's verdict never changes.
 */
const judgedKeys = new Map<string, boolean>();

/** Whether `key` is a public key age can seal to (its encoding and checksum, not only its prefix). */
export function isAgeRecipient(key: string): boolean {
  let verdict = judgedKeys.get(key);
  if (verdict === undefined) {
    try {
      new (age().Encrypter)().addRecipient(key);
      verdict = true;
    } catch {
      verdict = false;
    }
    judgedKeys.set(key, verdict);
  }
  return verdict;
}

/** A recipient's public key, as the config and the pass's inputs take it. */
export function ageRecipientKey() {
  return z.string({ error: ageRecipientAllowed }).refine(isAgeRecipient, { error: ageRecipientAllowed });
}

/** One person who receives passes, and the public key their passes are sealed to. */
export function handoverRecipientSchema() {
  return strictObject({
    name: filledText("the recipient's name, not empty"),
    key: ageRecipientKey(),
  });
}

export type HandoverRecipient = z.output<ReturnType<typeof handoverRecipientSchema>>;

/**
 * An encrypter for `recipients`, built before a pass is issued: a key age cannot use fails here, while nothing exists
 * yet, rather than after Graph has issued a pass whose passcode nobody could open.
 */
export function passcodeSealer(
  recipients: readonly HandoverRecipient[],
): (passcode: string) => Promise<string> {
  if (recipients.length === 0) throw new Error("a passcode is sealed to at least one recipient");
  const { armor, Encrypter } = age();
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient.key);
  return async (passcode) => armor.encode(await encrypter.encrypt(passcode));
}

/** The identities in an age identity file (`AGE-SECRET-KEY-1...` lines; comments and blank lines left out). */
export function identitiesIn(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith("AGE-SECRET-KEY-"));
}

/**
 * The passcode `sealed` holds, opened with one of `identities`. The error says what went wrong (not an age file, an
 * identity that is not one, not sealed to these identities, damaged) and never holds the identities.
 */
export async function openSealedPasscode(sealed: string, identities: readonly string[]): Promise<string> {
  const { armor, Decrypter } = age();
  let file: Uint8Array;
  try {
    file = armor.decode(sealed);
  } catch {
    throw new Error("the sealed passcode is not an ASCII-armored age file");
  }
  const decrypter = new Decrypter();
  for (const identity of identities) {
    try {
      decrypter.addIdentity(identity);
    } catch {
      throw new Error("the identity file holds a line that is not an age identity (AGE-SECRET-KEY-1...)");
    }
  }
  try {
    return await decrypter.decrypt(file, "text");
  } catch (error) {
    // age's own wording when no identity matches (age-encryption's Decrypter); anything else is a damaged file.
    if (error instanceof Error && /no identity matched/i.test(error.message))
      throw new Error("the pass was not sealed to this identity: none of its keys opens it", {
        cause: error,
      });
    throw new Error("the sealed passcode is damaged: age could not open it (was it copied whole?)", {
      cause: error,
    });
  }
}
