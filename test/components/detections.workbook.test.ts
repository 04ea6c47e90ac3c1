// The review workbook: its queries parse and bind, share the alerts' filters, and show temporary access per grant.
import { tapDeletedEvents, tapIssuedEvents } from "../../components/detections/fragments";
import { grantsFunctionAlias } from "../../components/detections/grantFunctions";
import { tapDeleted } from "../../components/detections/tapDeleted";
import {
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
      [...Object.values(reviewWorkbookQueries), ...Object.values(grantActivityQueries)].sort(),
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
