// Recipients whose identities the test holds: made per test file (age's own key generation), never committed, so a
// sealed passcode can be opened by the test and by no one else.
import { generateIdentity, identityToRecipient } from "age-encryption";
import type { HandoverRecipient } from "../../components/handover";

/** A recipient (name and public key) and the identity that opens what is sealed to it. */
export interface TestRecipient extends HandoverRecipient {
  identity: string;
}

export async function testRecipient(name: string): Promise<TestRecipient> {
  const identity = await generateIdentity();
  return { name, key: await identityToRecipient(identity), identity };
}
