import type { StackValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, resourceTypes } from "../lib";

export const singleTapPolicy: StackValidationPolicy & EntraTapPolicy = {
  name: "tap-single-policy",
  description:
    "A stack declares at most one TAP policy: the tenant has one, and two declarations would fight over it.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Keep one TemporaryAccessPassPolicy in the stack; manage a tenant from one stack.",
  validateStack: (args, reportViolation) => {
    const policies = args.resources.filter((r) => r.type === resourceTypes.tapPolicy);
    if (policies.length > 1) {
      reportViolation(
        `the stack declares ${policies.length} TAP policies (${policies.map((p) => p.name).join(", ")}); at most one.`,
      );
    }
  },
};
