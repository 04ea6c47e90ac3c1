import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, resourceTypes } from "../lib";

export const grantPasscodeSealed: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-grant-passcode-sealed",
  description:
    "Each live grant's passcode is sealed to at least one recipient's age public key and not also kept in plaintext in the state, so only the people who hand the pass over can open it.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Give each recipient an age public key in entra-tap:handover.recipients and name them in the grant's handoverTo (left out: its approver); turn off entra-tap:handover.passcodeInState so the state keeps only the sealed passcode.",
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.userTap) return;
    // An ended grant's pass is only deleted: it has no passcode to hand over.
    if (args.props.grantEnded === true) return;
    if (args.props.keepPasscodeInState === true) {
      reportViolation(
        "the pass's passcode is kept in plaintext in the state (keepPasscodeInState): anyone who can open the stack's secrets can read it.",
      );
    }
    // An absent sealTo is the provider's default, []; one present but not known yet is checked when known.
    const sealTo = args.props.sealTo;
    if ("sealTo" in args.props && sealTo === undefined) return;
    if (!Array.isArray(sealTo) || sealTo.length === 0) {
      reportViolation("the pass is sealed to nobody: no recipient can open its passcode.");
    }
  },
};
