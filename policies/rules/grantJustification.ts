import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type EntraTapPolicy, isString, resourceTypes } from "../lib";

export const grantJustification: ResourceValidationPolicy & EntraTapPolicy = {
  name: "tap-grant-justification",
  description:
    "Each grant states its reason and a ticket that matches the organisation's pattern (default: PROJECT-123), so every pass traces back to a request.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps:
    "Fill in the grant's reason and ticket (entra-tap:grants[].reason, .ticket) with the request's ticket id.",
  configSchema: {
    properties: { ticketPattern: { type: "string", default: "^[A-Z][A-Z0-9]*-[0-9]+$" } },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== resourceTypes.userTap) return;
    const { ticketPattern } = args.getConfig<{ ticketPattern: string }>();
    if (!("justification" in args.props)) {
      reportViolation(
        "the pass carries no justification (reason, ticket): it was not issued through a grant.",
      );
      return;
    }
    const justification = args.props.justification as Record<string, unknown> | undefined;
    if (justification === undefined) return; // not known yet: checked when known
    // A field present but not known yet is checked when known; an absent, blank or non-text one is missing.
    const missing = (field: string) => {
      const value = justification[field];
      return !(field in justification) || (value !== undefined && (!isString(value) || value.trim() === ""));
    };
    if (missing("reason")) reportViolation("the grant has no reason.");
    const ticket = justification.ticket;
    if (missing("ticket")) {
      reportViolation("the grant has no ticket.");
    } else if (isString(ticket) && !new RegExp(ticketPattern).test(ticket)) {
      reportViolation(
        `ticket ${JSON.stringify(ticket)} does not match the organisation's pattern ${ticketPattern}.`,
      );
    }
  },
};
