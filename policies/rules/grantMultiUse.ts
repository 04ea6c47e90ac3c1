import type { StackValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, resourceTypes } from "../lib";

export const grantMultiUse: StackValidationPolicy & EntraTapPolicy = {
  name: "tap-grant-multi-use",
  description:
    "No grant asks for a multi-use pass while the TAP policy makes every pass one-time (Graph would refuse it at issue).",
  enforcementLevel: "mandatory",
  severity: "low",
  remediationSteps: "Set the grant's isUsableOnce to true, or change the TAP policy through its own review.",
  validateStack: (args, reportViolation) => {
    const oneTime = args.resources.some(
      (r) => r.type === resourceTypes.tapPolicy && r.props.isUsableOnce === true,
    );
    if (!oneTime) return;
    for (const pass of args.resources.filter((r) => r.type === resourceTypes.userTap)) {
      if (pass.props.isUsableOnce === false) {
        reportViolation("asks for a multi-use pass, but the TAP policy makes every pass one-time.", pass.urn);
      }
    }
  },
};
