import { resourceTypes } from "../../../policies/lib";
import { grantJustification } from "../../../policies/rules/grantJustification";
import type { CheckedResource, PackConfig } from "../../../scripts/policyRunner";
import {
  checkerFor,
  resourcesOfOtherTypes,
  userTapResource,
  validJustification,
  violationsOf,
} from "../harness";

const policyName = "tap-grant-justification";
const defaultPattern = "^[A-Z][A-Z0-9]*-[0-9]+$";

function pass(justification: unknown, name?: string): CheckedResource {
  return userTapResource({ justification }, name);
}

const check = checkerFor(grantJustification);
const violation = violationsOf(policyName, "alice-pass");

const noTicketMatch = (ticket: string, pattern = defaultPattern) =>
  violation(`ticket ${JSON.stringify(ticket)} does not match the organisation's pattern ${pattern}.`);

describe(policyName, () => {
  it("passes a grant with a reason and a ticket", async () => {
    expect(await check([pass(validJustification)])).toEqual([]);
  });

  it("reports a pass without the justification key", async () => {
    const message = "the pass carries no justification (reason, ticket): it was not issued through a grant.";
    expect(await check([{ type: resourceTypes.userTap, name: "alice-pass", props: {} }])).toEqual([
      violation(message),
    ]);
    const { justification: _justification, ...props } = pass(validJustification).props;
    expect(await check([{ type: resourceTypes.userTap, name: "alice-pass", props }])).toEqual([
      violation(message),
    ]);
  });

  it.each(["", "   "])("reports an empty reason (%j)", async (reason) => {
    expect(await check([pass({ ...validJustification, reason })])).toEqual([
      violation("the grant has no reason."),
    ]);
  });

  it.each(["", "  "])("reports an empty ticket (%j)", async (ticket) => {
    expect(await check([pass({ ...validJustification, ticket })])).toEqual([
      violation("the grant has no ticket."),
    ]);
  });

  it("reports a missing reason and ticket together", async () => {
    expect(await check([pass({ requestedBy: "alice", approvedBy: "bob" })])).toEqual([
      violation("the grant has no reason."),
      violation("the grant has no ticket."),
    ]);
  });

  it("reports a reason or ticket that is present but not text as missing", async () => {
    expect(await check([pass({ ...validJustification, reason: 42, ticket: 42 })])).toEqual([
      violation("the grant has no reason."),
      violation("the grant has no ticket."),
    ]);
    expect(await check([pass({ ...validJustification, reason: null, ticket: null })])).toEqual([
      violation("the grant has no reason."),
      violation("the grant has no ticket."),
    ]);
  });

  it("reports a missing reason with a ticket that does not match", async () => {
    expect(await check([pass({ ticket: "ticket 42" })])).toEqual([
      violation("the grant has no reason."),
      noTicketMatch("ticket 42"),
    ]);
  });

  describe("config", () => {
    it.each(["OPS-42", "SEC-1", "A-0", "JIRA2-12345"])(
      "accepts %s with the default pattern",
      async (ticket) => {
        expect(await check([pass({ ...validJustification, ticket })])).toEqual([]);
      },
    );

    it.each(["ticket 42", "ops-42", "OPS42", "OPS-42 ", "OPS-", "42-OPS", "INC123"])(
      "reports %j with the default pattern",
      async (ticket) => {
        expect(await check([pass({ ...validJustification, ticket })])).toEqual([noTicketMatch(ticket)]);
      },
    );

    it("uses a custom pattern: ^INC[0-9]+$", async () => {
      const config: PackConfig = { [policyName]: { ticketPattern: "^INC[0-9]+$" } };
      expect(await check([pass({ ...validJustification, ticket: "INC123" })], config)).toEqual([]);
      expect(await check([pass({ ...validJustification, ticket: "OPS-42" })], config)).toEqual([
        noTicketMatch("OPS-42", "^INC[0-9]+$"),
      ]);
      expect(await check([pass({ ...validJustification, ticket: "ticket 42" })], config)).toEqual([
        noTicketMatch("ticket 42", "^INC[0-9]+$"),
      ]);
    });

    it("still requires a ticket with a pattern that matches anything", async () => {
      const config: PackConfig = { [policyName]: { ticketPattern: ".*" } };
      expect(await check([pass({ ...validJustification, ticket: "anything" })], config)).toEqual([]);
      expect(await check([pass({ ...validJustification, ticket: "" })], config)).toEqual([
        violation("the grant has no ticket."),
      ]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(
        await check([pass({ ...validJustification, reason: "" })], { [policyName]: "advisory" }),
      ).toEqual([violation("the grant has no reason.", "advisory")]);
      expect(
        await check([pass({ ...validJustification, ticket: "OPS-42" })], {
          [policyName]: { enforcementLevel: "advisory", ticketPattern: "^INC[0-9]+$" },
        }),
      ).toEqual([{ ...noTicketMatch("OPS-42", "^INC[0-9]+$"), enforcementLevel: "advisory" }]);
    });

    it("reports nothing when disabled", async () => {
      const bad = pass({});
      expect(await check([bad], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([bad], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([bad], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("checks the justification when other fields are unknown", async () => {
      const props = { user: undefined, startDateTime: undefined, justification: validJustification };
      expect(await check([{ type: resourceTypes.userTap, name: "alice-pass", props }])).toEqual([]);
      const bad = { ...props, justification: { ...validJustification, ticket: "ticket 42" } };
      expect(await check([{ type: resourceTypes.userTap, name: "alice-pass", props: bad }])).toEqual([
        noTicketMatch("ticket 42"),
      ]);
    });

    it("reports nothing while the justification is unknown", async () => {
      expect(await check([pass(undefined)])).toEqual([]);
    });

    it("still checks the ticket when only the reason is unknown (known fields are checked)", async () => {
      expect(await check([pass({ ...validJustification, reason: undefined, ticket: "ticket 42" })])).toEqual([
        noTicketMatch("ticket 42"),
      ]);
      expect(await check([pass({ ...validJustification, reason: undefined, ticket: "" })])).toEqual([
        violation("the grant has no ticket."),
      ]);
    });

    it("still checks the reason when only the ticket is unknown", async () => {
      expect(await check([pass({ ...validJustification, reason: " ", ticket: undefined })])).toEqual([
        violation("the grant has no reason."),
      ]);
    });

    it("reports nothing for an unknown reason", async () => {
      expect(await check([pass({ ...validJustification, reason: undefined })])).toEqual([]);
    });

    it("reports nothing for an unknown ticket", async () => {
      expect(await check([pass({ ...validJustification, ticket: undefined })])).toEqual([]);
    });

    it("reports nothing for an unknown reason and ticket", async () => {
      expect(await check([pass({ reason: undefined, ticket: undefined })])).toEqual([]);
    });
  });

  it("checks each pass on its own", async () => {
    const resources = [
      pass(validJustification, "alice-pass"),
      { type: resourceTypes.userTap, name: "bob-pass", props: {} },
      pass({ reason: "Lost phone" }, "carol-pass"),
    ];
    expect(await check(resources)).toEqual([
      violation(
        "the pass carries no justification (reason, ticket): it was not issued through a grant.",
        "mandatory",
        "bob-pass",
      ),
      violation("the grant has no ticket.", "mandatory", "carol-pass"),
    ]);
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes(
      { justification: { reason: "", ticket: "ticket 42" } },
      resourceTypes.userTap,
    );
    expect(await check(others)).toEqual([]);
    // A PIM eligibility carries its own string justification; this policy does not look at it.
    expect(
      await check([
        { type: resourceTypes.pimEligibility, name: "alice-reader", props: { justification: "x" } },
      ]),
    ).toEqual([]);
  });
});
