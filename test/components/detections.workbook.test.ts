// The review workbook: its queries parse and bind, share the alerts' filters, show temporary access per grant, and
// whether each grant's pass turned into a phishing-resistant method.
import {
  phishingResistantRegistrationEvents,
  tapDeletedEvents,
  tapIssuedEvents,
  tapSignInEvents,
} from "../../components/detections/fragments";
import { grantsFunctionAlias } from "../../components/detections/grantFunctions";
import { tapBootstrapFailed } from "../../components/detections/tapBootstrapFailed";
import { tapDeleted } from "../../components/detections/tapDeleted";
import { registrationAuditOperation } from "../../components/passBootstrap";
import {
  conversionQueries,
  grantActivityQueries,
  reviewWorkbook,
  reviewWorkbookQueries,
} from "../../components/tapReviewWorkbook";
import { kqlErrors } from "../support/kusto";
import { context } from "./detections.support";

describe("the review workbook", () => {
  it("counts the same deletions and issues as the alerts: one filter each, shared", () => {
    expect(tapDeleted.query(context)).toContain(tapDeletedEvents);
    expect(reviewWorkbookQueries.revokedOverTime).toContain(tapDeletedEvents);
    expect(reviewWorkbookQueries.holdersNow).toContain(tapDeletedEvents);
    expect(reviewWorkbookQueries.holdersNow).toContain(tapIssuedEvents);
    // No second, hand-written copy of the deletion filter anywhere in the workbook.
    const workbookText = Object.values(reviewWorkbookQueries).join("\n");
    const copies = workbookText.split('OperationName == "Admin deleted security info"').length - 1;
    expect(copies).toBe(2);
  });

  it.each(Object.entries(reviewWorkbookQueries))("query %s parses and binds", (_name, query) => {
    expect(kqlErrors(query)).toEqual([]);
  });

  it("shows each query, over a time range the reviewer picks", () => {
    const workbook = reviewWorkbook();
    const queries = workbook.items.flatMap((item) => ("query" in item.content ? [item.content.query] : []));
    expect(queries.sort()).toEqual(
      [
        ...Object.values(reviewWorkbookQueries),
        ...Object.values(grantActivityQueries),
        ...Object.values(conversionQueries),
      ].sort(),
    );
    expect(JSON.stringify(workbook)).toContain('"timeContextFromParameter":"TimeRange"');
  });
});

describe("the review workbook's activity of temporary access", () => {
  const queries = grantActivityQueries;

  it.each(Object.entries(queries))("query %s parses and binds", (_name, query) => {
    expect(kqlErrors(query)).toEqual([]);
  });

  it("reads each grant's window, from the workspace function", () => {
    for (const query of Object.values(queries)) {
      expect(query).toContain(`let Grants = ${grantsFunctionAlias}();`);
      expect(query).toContain("| where TimeGenerated between (GrantStart .. GrantExpiry);");
    }
  });

  it("shows counts, top operations and a timeline per grant, in its own section", () => {
    const workbook = reviewWorkbook();
    const text = JSON.stringify(workbook);
    expect(text).toContain("## Activity of temporary access");
    const titles = workbook.items.flatMap((item) => ("title" in item.content ? [item.content.title] : []));
    expect(titles).toEqual(
      expect.arrayContaining([
        "Activity per grant",
        "Top operations per grant",
        "Activity per hour, per grant",
        "Timeline of activity (newest first)",
      ]),
    );
  });
});

describe("the review workbook's conversion from pass to phishing-resistant method", () => {
  const queries = conversionQueries;

  it.each(Object.entries(queries))("query %s parses and binds", (_name, query) => {
    expect(kqlErrors(query)).toEqual([]);
  });

  it("counts the alerts' passes issued, sign-ins with a pass and registrations: one filter each, shared", () => {
    for (const query of Object.values(queries)) {
      expect(query).toContain(tapIssuedEvents);
      expect(query).toContain(tapSignInEvents);
      expect(query).toContain(phishingResistantRegistrationEvents);
      // No second, hand-written copy of the registration filter.
      expect(query.split(`"${registrationAuditOperation}"`).length - 1).toBe(1);
    }
    expect(tapBootstrapFailed.query(context)).toContain(phishingResistantRegistrationEvents);
  });

  it("joins the grants by user, and counts inside each grant's window, registrations after the first pass", () => {
    for (const query of Object.values(queries)) {
      expect(query).toContain(`let Grants = ${grantsFunctionAlias}();`);
      expect(query).toContain("| join kind=inner Grants on $left.UserKey == $right.GrantUser");
      expect(query).toContain("| where IssuedAt between (GrantStart .. GrantExpiry)");
      expect(query).toContain("| where TimeGenerated between (GrantStart .. GrantExpiry)");
      expect(query).toContain("| where RegisteredAt > FirstIssued and RegisteredAt <= GrantExpiry");
    }
  });

  it("shows issued, used and converted per grant (with its purpose) and in total, in its own section", () => {
    expect(queries.conversionPerGrant).toMatch(
      /\| project GrantName, Ticket, User, Purpose, GrantStart, GrantExpiry, PassesIssued, PassesUsed, Converted,/,
    );
    expect(queries.conversionTotal).toContain("GrantsConverted = countif(Registrations > 0)");
    const workbook = reviewWorkbook();
    expect(JSON.stringify(workbook)).toContain("## From pass to phishing-resistant method");
    const titles = workbook.items.flatMap((item) => ("title" in item.content ? [item.content.title] : []));
    expect(titles).toEqual(expect.arrayContaining(["Conversion per grant", "Conversion in total"]));
  });
});
