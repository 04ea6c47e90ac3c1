// `entra-tap:handover`: who hands passes over, each with the age public key their passes are sealed to
// (components/handover.ts); and the opt-in that also keeps plaintext passcodes in the state, flagged by the pack.
import { z } from "zod";
import { filledText } from "../components/grant";
import { ageRecipientKey, type HandoverRecipient } from "../components/handover";
import { strictObject } from "../components/validation";

export function handoverConfigSchema() {
  return strictObject({
    /** A person (as grants name them: approvedBy, handoverTo) → their age public key. */
    recipients: z
      .record(filledText("a person's name, not empty"), ageRecipientKey(), {
        error: "a map of people to age public keys",
      })
      .default({}),
    /**
     * Also keep each passcode in the state as a Pulumi secret, which anyone who can open the stack's secrets can read
     * (docs/permissions.md). Off by default; the policy pack flags it.
     */
    passcodeInState: z.boolean({ error: "true or false" }).default(false),
  });
}

export type HandoverConfig = z.output<ReturnType<typeof handoverConfigSchema>>;

/** The handover when the stack declares none: no recipients, no plaintext (so every live grant needs one). */
export const noHandover: HandoverConfig = { recipients: {}, passcodeInState: false };

/** Whom a grant's pass goes to: the people its handoverTo names, or its approver. */
export function grantRecipientNames(grant: { approvedBy: string; handoverTo?: string[] }): string[] {
  return grant.handoverTo ?? [grant.approvedBy];
}

/** A grant's recipients with their keys; a name without a key is left out (the config refuses it: grantRules.ts). */
export function grantRecipients(
  grant: { approvedBy: string; handoverTo?: string[] },
  handover: HandoverConfig,
): HandoverRecipient[] {
  return grantRecipientNames(grant).flatMap((name) => {
    const key = Object.hasOwn(handover.recipients, name) ? handover.recipients[name] : undefined;
    return key === undefined ? [] : [{ name, key }];
  });
}
