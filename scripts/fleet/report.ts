// The fleet's one report: per tenant, what would change or changed, the policy violations, and the review's ledger;
// as a table for a terminal, Markdown for a job summary, or JSON. Error texts come from Graph and the tenant: shown
// neutralised.
import { neutralise } from "../../components/neutralise";
import { maskSecretShapedText } from "../../components/validation";
import { markdownTable, table } from "../review/render";
import type { FleetCommand, TenantLedger, TenantResult } from "./result";

export interface FleetReport {
  command: FleetCommand;
  startedAt: string;
  tenants: (TenantResult & { ranIn: "this run" | "an earlier run" })[];
  totals: { tenants: number; ok: number; attention: number; failed: number; ledger?: TenantLedger };
}

const ledgerKeys = [
  "passes",
  "declared",
  "knownIssuer",
  "undeclared",
  "endedGrantsLeft",
  "unexplainedMembers",
] as const;

export function fleetReport(
  command: FleetCommand,
  startedAt: string,
  tenants: FleetReport["tenants"],
): FleetReport {
  const count = (status: TenantResult["status"]) => tenants.filter((t) => t.status === status).length;
  const ledgers = tenants.flatMap((t) => (t.review ? [t.review] : []));
  const ledger =
    command === "review"
      ? (Object.fromEntries(
          ledgerKeys.map((key) => [key, ledgers.reduce((sum, l) => sum + l[key], 0)]),
        ) as unknown as TenantLedger)
      : undefined;
  return {
    command,
    startedAt,
    // An error may quote a command's output: anything shaped like a secret is masked, in every form of the report.
    tenants: tenants.map((t) => (t.error ? { ...t, error: maskSecretShapedText(t.error) } : t)),
    totals: {
      tenants: tenants.length,
      ok: count("ok"),
      attention: count("attention"),
      failed: count("failed"),
      ledger,
    },
  };
}

function changesText(changes: Record<string, number> | undefined): string {
  if (!changes) return "";
  const shown = Object.entries(changes).filter(([op, n]) => op !== "same" && n > 0);
  return shown.length === 0 ? "no change" : shown.map(([op, n]) => `${n} ${op}`).join(", ");
}

function violationsText(t: TenantResult): string {
  const v = t.violations;
  return v ? `${v.mandatory} mandatory, ${v.advisory} advisory` : "";
}

function rows(report: FleetReport): string[][] {
  const header =
    report.command === "review"
      ? [
          "tenant",
          "status",
          "passes",
          "declared",
          "known issuer",
          "undeclared",
          "ended grants left",
          "members no grant explains",
          "ran in",
        ]
      : [
          "tenant",
          "status",
          report.command === "plan" ? "resources" : "changes",
          "policy violations",
          "ran in",
        ];
  const body = report.tenants.map((t) => {
    const error = neutralise(t.error ?? "").slice(0, 300);
    const status = t.status === "failed" ? `failed: ${error}` : t.status;
    if (report.command !== "review")
      return [t.stack, status, changesText(t.changes), violationsText(t), t.ranIn];
    const l = t.review;
    return [t.stack, status, ...ledgerKeys.map((k) => (l ? String(l[k]) : "")), t.ranIn];
  });
  const l = report.totals.ledger;
  const total = l ? [["in total", "", ...ledgerKeys.map((k) => String(l[k])), ""]] : [];
  return [header, ...body, ...total];
}

function totalsLine(report: FleetReport): string {
  const { tenants, ok, attention, failed } = report.totals;
  return `${tenants} tenants: ${ok} well, ${attention} need attention, ${failed} failed.`;
}

export function renderFleetTable(report: FleetReport): string {
  const [head, ...body] = rows(report);
  return `fleet ${report.command} (started ${report.startedAt})\n${table(head, body)}\n${totalsLine(report)}\n`;
}

export function renderFleetMarkdown(report: FleetReport): string {
  const [head, ...body] = rows(report);
  return [`### fleet ${report.command}`, "", markdownTable(head, body), "", totalsLine(report), ""].join(
    "\n",
  );
}
