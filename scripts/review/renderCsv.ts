// The review as CSV (csv-stringify): one row per grant, pass, ended grant and unexplained member, in the same columns.
// Names come from the tenant: each cell is neutralised, and one a spreadsheet would run as a formula is kept as text.
import { stringify } from "csv-stringify/sync";
import { neutralise } from "../../components/neutralise";
import type { EndedGrantFinding, Review, ReviewedPass, UnexplainedMember } from "./classify";
import { grantOf, sealedToText } from "./render";

/** A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is kept as text; then neutralised. */
function csvCell(value: string): string {
  return neutralise(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

/** What the CSV's rows are, as `--help` and the README say it (a test holds both to it). */
export const csvRows = "one row per grant, pass, ended grant and unexplained member";

const csvColumns = [
  "kind",
  "user",
  "userId",
  "state",
  "start",
  "end",
  "oneTime",
  "excluded",
  "grant",
  "reason",
  "ticket",
  "approvedBy",
  "sealedTo",
  "membership",
  "purpose",
  "fulfilledBy",
  "fulfilledAt",
  "finding",
  "detail",
] as const;

type CsvRow = Record<(typeof csvColumns)[number], string>;

function grantCsvRow({ grant, state }: Review["grants"][number]): CsvRow {
  return {
    kind: "grant",
    user: grant.user,
    userId: "",
    state,
    start: grant.start,
    end: grant.expiry,
    oneTime: "",
    excluded: "",
    grant: grant.name,
    reason: grant.reason,
    ticket: grant.ticket,
    approvedBy: grant.approvedBy,
    sealedTo: sealedToText(grant),
    membership: grant.membership,
    purpose: grant.purpose ?? "",
    fulfilledBy: "",
    fulfilledAt: "",
    finding: "",
    detail: "",
  };
}

/** The grant's columns of a row: empty for a pass no grant explains. */
function grantColumns(grant: ReturnType<typeof grantOf>) {
  return {
    grant: grant?.name ?? "",
    reason: grant?.reason ?? "",
    ticket: grant?.ticket ?? "",
    approvedBy: grant?.approvedBy ?? "",
    sealedTo: sealedToText(grant),
    membership: grant?.membership ?? "",
    purpose: grant?.purpose ?? "",
  };
}

function passCsvRow(pass: ReviewedPass): CsvRow {
  return {
    kind: "pass",
    user: pass.user,
    userId: pass.userId,
    state: pass.state,
    start: pass.start,
    end: pass.end,
    oneTime: String(pass.oneTime),
    excluded: String(pass.excluded),
    ...grantColumns(grantOf(pass.explanation)),
    fulfilledBy: pass.fulfilled?.method ?? "",
    fulfilledAt: pass.fulfilled?.registeredAt ?? "",
    finding: passFinding(pass),
    detail:
      pass.explanation.kind === "undeclared"
        ? (pass.explanation.detail ?? "")
        : pass.explanation.kind === "knownIssuer"
          ? pass.explanation.issuer
          : "",
  };
}

/** What the CSV says of a pass: how it is explained, and a failed bootstrap. */
function passFinding(pass: ReviewedPass): string {
  const explained = {
    grant: "",
    endedGrant: "grant ended",
    knownIssuer: "known issuer",
    undeclared: "undeclared",
  }[pass.explanation.kind];
  return [explained, pass.bootstrapFailed ? "bootstrap failed" : ""].filter(Boolean).join("; ");
}

function endedGrantCsvRow(f: EndedGrantFinding): CsvRow {
  return {
    kind: "ended-grant",
    user: f.grant.user,
    userId: "",
    state: "",
    start: f.grant.start,
    end: f.grant.expiry,
    oneTime: "",
    excluded: "",
    grant: f.grant.name,
    reason: f.grant.reason,
    ticket: f.grant.ticket,
    approvedBy: f.grant.approvedBy,
    sealedTo: sealedToText(f.grant),
    membership: f.grant.membership,
    purpose: f.grant.purpose ?? "",
    fulfilledBy: "",
    fulfilledAt: "",
    finding: `pass ${f.pass}; membership ${f.membership}`,
    detail: `azure roles ${f.azureRoles}`,
  };
}

function unexplainedMemberCsvRow(m: UnexplainedMember): CsvRow {
  return {
    kind: "unexplained-member",
    user: m.user,
    userId: m.userId,
    state: "",
    start: "",
    end: "",
    oneTime: "",
    excluded: "",
    grant: "",
    reason: "",
    ticket: "",
    approvedBy: "",
    sealedTo: "",
    membership: "",
    purpose: "",
    fulfilledBy: "",
    fulfilledAt: "",
    finding: "member no grant explains",
    detail: m.groups.join("; "),
  };
}

/** One row per grant, per pass, per ended grant still in place, and per member no grant explains. */
export function renderCsv(review: Review): string {
  const rows = [
    ...review.grants.map(grantCsvRow),
    ...review.passes.map(passCsvRow),
    ...review.endedGrants.map(endedGrantCsvRow),
    ...review.unexplainedMembers.map(unexplainedMemberCsvRow),
  ];
  const safe = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, csvCell(v)])));
  return stringify(safe, { header: true, columns: [...csvColumns] });
}
