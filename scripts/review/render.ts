// The review as people and machines read it: tables for a terminal (cli-table3), Markdown for tickets and CI job
// summaries, CSV (csv-stringify) and JSON. Nothing here can print a secret: passes carry no passcode. Names come from
// the tenant: each format for people neutralises them in one place (see ../neutralise); JSON keeps them as they are.
import Table from "cli-table3";
import { neutralise, neutraliseStrings } from "../../components/neutralise";
import type { Explanation, Review, ReviewedPass } from "./classify";
import type { RevocationOutcome, RevocationResult, RevocationTarget } from "./revoke";

/** `2027-11-30T08:00:00.000Z` → `2027-11-30 08:00` (UTC, to the minute). */
function minute(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().slice(0, 16).replace("T", " ");
}

function grantCell(explanation: Explanation): string {
  switch (explanation.kind) {
    case "grant":
      return explanation.grant.name;
    case "endedGrant":
      return `${explanation.grant.name} (ended ${minute(explanation.grant.expiry)})`;
    case "knownIssuer":
      return `issued by ${explanation.issuer}`;
    case "undeclared":
      return explanation.detail ? `undeclared (${explanation.detail})` : "undeclared";
  }
}

/** Graph's state, then what the review adds: fulfilled (by which method, when), a failed bootstrap, an exclusion. */
function stateCell(pass: ReviewedPass): string {
  const parts: string[] = [pass.state];
  if (pass.fulfilled) {
    parts.push(`fulfilled: ${pass.fulfilled.method} ${minute(pass.fulfilled.registeredAt)}`);
  }
  if (pass.bootstrapFailed) parts.push("bootstrap failed");
  if (pass.excluded) parts.push("excluded");
  return parts.join("; ");
}

export function grantOf(explanation: Explanation) {
  return explanation.kind === "grant" || explanation.kind === "endedGrant" ? explanation.grant : undefined;
}

const passHead = [
  "User",
  "State",
  "Start (UTC)",
  "End (UTC)",
  "One-time",
  "Grant",
  "Ticket",
  "Approver",
  "Sealed to",
  "Reason",
];

/** Whom a grant's pass is sealed to, as people read it; and where else its passcode is, if anywhere. */
export function sealedToText(grant: { sealedTo: string[]; passcodeInState: boolean } | undefined): string {
  if (!grant) return "";
  const sealed = grant.sealedTo.length > 0 ? grant.sealedTo.join(", ") : "nobody";
  return grant.passcodeInState ? `${sealed}; in the state too (passcodeInState)` : sealed;
}

function passRow(pass: ReviewedPass): string[] {
  const grant = grantOf(pass.explanation);
  return [
    pass.user,
    stateCell(pass),
    minute(pass.start),
    minute(pass.end),
    pass.oneTime ? "yes" : "no",
    grantCell(pass.explanation),
    grant?.ticket ?? "",
    grant?.approvedBy ?? "",
    sealedToText(grant),
    grant?.reason ?? "",
  ];
}

/** How a grant's user joins the group, as people read it. */
function membershipCell(mode: Review["grants"][number]["grant"]["membership"]): string {
  return mode === "pim" ? "PIM for Groups (Entra ends it)" : "direct (pulumi up ends it)";
}

const grantHead = ["Grant", "User", "State", "Start (UTC)", "Expiry (UTC)", "Group", "Membership", "Ticket"];

function grantRows(review: Review): string[][] {
  return review.grants.map(({ grant, state }) => [
    grant.name,
    grant.user,
    state,
    minute(grant.start),
    minute(grant.expiry),
    grant.group,
    membershipCell(grant.membership),
    grant.ticket,
  ]);
}

const endedHead = ["Grant", "User", "Ended (UTC)", "Pass", "Membership", "Azure roles", "Ticket", "Approver"];

function endedRows(review: Review): string[][] {
  return review.endedGrants.map((f) => [
    f.grant.name,
    f.grant.user,
    minute(f.grant.expiry),
    f.pass,
    `${f.membership} (${f.grant.group}, ${f.grant.membership})`,
    f.azureRoles,
    f.grant.ticket,
    f.grant.approvedBy,
  ]);
}

function scopeText(review: Review): string {
  const groups = (list: Review["scope"]["targetedGroups"]) =>
    list.length === 0 ? "none" : list.map((g) => `${g.name} (${g.members})`).join(", ");
  const holders =
    review.scope.holders === "registrationReport"
      ? "all users: pass holders from the registration report"
      : review.scope.holders === "fullScan"
        ? "all users: every user read"
        : "the targeted groups' members";
  return (
    `Scope: ${holders}; targeted groups ${groups(review.scope.targetedGroups)}; excluded groups ` +
    `${groups(review.scope.excludedGroups)}; ${review.scope.usersRead} users' passes read.`
  );
}

function summaryText(review: Review): string {
  if (!review.needsAttention) return "Nothing needs attention.";
  const parts: string[] = [];
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const undeclared = review.passes.filter((p) => p.explanation.kind === "undeclared").length;
  const outlived = review.passes.filter((p) => p.explanation.kind === "endedGrant").length;
  const fulfilledUsable = review.passes.filter(
    (p) => p.fulfilled && (p.state === "usable" || p.state === "not yet valid"),
  ).length;
  const failed = review.passes.filter((p) => p.bootstrapFailed).length;
  if (undeclared > 0) parts.push(count(undeclared, "pass no grant declares", "passes no grant declares"));
  if (outlived > 0) parts.push(count(outlived, "pass outlived its grant", "passes outlived their grants"));
  if (fulfilledUsable > 0) {
    parts.push(
      count(
        fulfilledUsable,
        "pass did its job and is still usable",
        "passes did their job and are still usable",
      ),
    );
  }
  if (failed > 0) parts.push(count(failed, "bootstrap failed", "bootstraps failed"));
  if (review.endedGrants.length > 0) {
    parts.push(count(review.endedGrants.length, "ended grant still in place", "ended grants still in place"));
  }
  if (review.unexplainedMembers.length > 0) {
    parts.push(
      count(review.unexplainedMembers.length, "member no grant explains", "members no grant explains"),
    );
  }
  return `Needs attention: ${parts.join(", ")}.`;
}

/** Free text wraps at this width; the other columns fit their content. */
const textWidth = 32;

export function table(head: string[], rows: string[][], wrapLast = false): string {
  // No colours: the output goes to logs, files and READMEs as often as to a terminal.
  const t = new Table({
    head,
    style: { head: [], border: [], compact: true },
    wordWrap: true,
    colWidths: head.map((_, index) => (wrapLast && index === head.length - 1 ? textWidth + 2 : null)),
  });
  t.push(...rows);
  return t.toString();
}

/** One section of the review for people: a title with its count, and a table (none when it has no rows). */
interface Section {
  title: string;
  head: string[];
  rows: string[][];
  /** The last column is free text, wrapped in the terminal. */
  wrapsLast?: boolean;
}

/** The review's sections, in the order people read them: the text and the Markdown both render these. */
function sections(review: Review): Section[] {
  return [
    { title: `Grants (${review.grants.length})`, head: grantHead, rows: grantRows(review) },
    {
      title: `Passes (${review.passes.length})`,
      head: passHead,
      rows: review.passes.map(passRow),
      wrapsLast: true,
    },
    {
      title: `Ended grants still in place (${review.endedGrants.length})`,
      head: endedHead,
      rows: endedRows(review),
    },
    {
      title: `Members of targeted groups that no grant explains (${review.unexplainedMembers.length})`,
      head: ["User", "Groups"],
      rows: review.unexplainedMembers.map((m) => [m.user, m.groups.join(", ")]),
    },
    {
      title: `Conversion of the started grants (${review.conversion.grants.length})`,
      head: conversionHead,
      rows: conversionRows(review),
    },
  ];
}

const conversionHead = ["Grant", "Pass issued", "Used", "Phishing-resistant method"];

/** Per started grant, and a total line when there is more than one. */
function conversionRows(review: Review): string[][] {
  const { grants, total } = review.conversion;
  const rows = grants.map((c) => [c.grant, String(c.issued), String(c.used), String(c.converted)]);
  if (grants.length > 1) {
    rows.push(["total", String(total.issued), String(total.used), String(total.converted)]);
  }
  return rows;
}

/** The review for people: a table per section, every string of the review neutralised. */
export function renderText(raw: Review): string {
  const review = neutraliseStrings(raw);
  const lines = [
    `Temporary Access Pass review of stack "${review.stack}" at ${minute(review.generatedAt)} UTC`,
  ];
  lines.push(scopeText(review), "");
  for (const section of sections(review)) {
    const body = section.rows.length === 0 ? "  none" : table(section.head, section.rows, section.wrapsLast);
    lines.push(section.title, body, "");
  }
  for (const note of review.notes) lines.push(`Note: ${note}`);
  if (review.notes.length > 0) lines.push("");
  lines.push(summaryText(review));
  return lines.join("\n");
}

/**
 * Text placed in Markdown: neutralised, so that no line break of any kind ends a table row; then characters that
 * would start markup or end a table cell are escaped (`&` too: an entity such as `&#x202e;` would render as the
 * character itself).
 */
function markdownText(text: string): string {
  return neutralise(text).replace(/([\\`*_[\]<>|#~&])/g, "\\$1");
}

export function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(markdownText).join(" | ")} |`;
  return [line(head), `| ${head.map(() => "---").join(" | ")} |`, ...rows.map(line)].join("\n");
}

/** The review as Markdown, for a ticket or a CI job summary. */
export function renderMarkdown(review: Review): string {
  const lines = [
    `## Temporary Access Pass review of stack ${markdownText(review.stack)}`,
    "",
    `${markdownText(scopeText(review))} At ${minute(review.generatedAt)} UTC.`,
    "",
    `**${markdownText(summaryText(review))}**`,
  ];
  for (const section of sections(review)) {
    const body = section.rows.length === 0 ? "None." : markdownTable(section.head, section.rows);
    lines.push("", `### ${section.title}`, "", body);
  }
  if (review.notes.length > 0) lines.push("", ...review.notes.map((note) => `- ${markdownText(note)}`));
  return `${lines.join("\n")}\n`;
}

/** What a revocation will do, one line per pass. */
export function renderPlan(raw: readonly RevocationTarget[]): string {
  const targets = neutraliseStrings(raw);
  const lines = [`Revocation: ${targets.length} ${targets.length === 1 ? "pass" : "passes"}`];
  for (const t of targets) {
    const steps = t.endSessions ? "revoke sign-in sessions, then delete pass" : "delete pass (sessions kept)";
    lines.push(`  ${t.user}: ${steps} ${t.methodId} (${t.state}; ${t.why})`);
  }
  return lines.join("\n");
}

function outcomeLine(o: RevocationOutcome): string {
  const steps = `sessions ${o.sessions}, pass ${o.pass}`;
  return `  ${o.target.user}: ${steps}${o.error ? ` (${o.error})` : ""}`;
}

/** What a revocation did and did not do. */
export function renderRevocationResult(raw: RevocationResult): string {
  const result = neutraliseStrings(raw);
  const lines: string[] = [];
  lines.push(
    `Revoked (${result.done.length}):`,
    ...(result.done.length ? result.done.map(outcomeLine) : ["  none"]),
  );
  if (result.notDone.length > 0) {
    lines.push(`Not revoked (${result.notDone.length}):`, ...result.notDone.map(outcomeLine));
    lines.push("Run the same command again to finish: passes still there are listed and revoked again.");
  }
  return lines.join("\n");
}
