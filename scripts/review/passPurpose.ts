// What a pass was for and whether it did it, as pure functions over the scan: who issued a pass no grant explains (a
// known issuer, or someone named), the phishing-resistant method that fulfilled it, an onboarding that left none, and
// each started grant's conversion. classify.ts puts them in the review.
import type { PassIssuer } from "../../components/graph/auditLogs";
import { isOnboardingPurpose } from "../../components/passBootstrap";
import type { KnownIssuer } from "../../config/knownIssuers";
import type { Explanation, Grant, PassState, Review, ReviewedPass } from "./classify";
import type { ScannedPass, TenantScan } from "./scan";

/** A phishing-resistant method registered since the pass started: the pass has done its job. */
export interface Fulfilment {
  method: string;
  registeredAt: string;
}

/** Per grant that has started: its pass seen, used, and a phishing-resistant method registered within its window. */
export interface GrantConversion {
  grant: string;
  issued: number;
  used: number;
  converted: number;
}

/**
 * A pass no grant explains, told apart by who issued it (when the audit log was read): a known issuer's pass is
 * explained by that process; any other issuer is named in the detail.
 */
export function explainByIssuer(
  explanation: Explanation,
  issuer: PassIssuer | undefined,
  knownIssuers: readonly KnownIssuer[],
): Explanation {
  if (explanation.kind !== "undeclared" || !issuer) return explanation;
  const known = knownIssuers.find(
    (k) => k.id === issuer.id || (issuer.appId !== undefined && k.id === issuer.appId),
  );
  if (known) return { kind: "knownIssuer", issuer: known.name };
  const by = `issued by ${issuer.kind === "app" ? "app " : ""}${issuer.name}`;
  return { kind: "undeclared", detail: explanation.detail ? `${explanation.detail}; ${by}` : by };
}

/** The first phishing-resistant method registered at or after the pass's start, or null. */
export function fulfilmentOf(
  pass: Pick<ScannedPass, "startDateTime">,
  methods: TenantScan["users"][number]["phishingResistant"],
): Fulfilment | null {
  const start = Date.parse(pass.startDateTime);
  const after = methods
    .filter((m) => m.createdDateTime !== null && Date.parse(m.createdDateTime) >= start)
    .sort((a, b) => Date.parse(a.createdDateTime!) - Date.parse(b.createdDateTime!));
  return after.length > 0 ? { method: after[0].name, registeredAt: after[0].createdDateTime! } : null;
}

/**
 * Whether an onboarding grant's used pass left no phishing-resistant method within `withinMinutes` of its start. Graph
 * gives no time of use, so the time is counted from the pass's start: a pass used late in its life may be flagged
 * before its user has had the whole time (the detection counts from the sign-in itself).
 */
export function hasBootstrapFailed(
  pass: { state: PassState; start: string; fulfilled: Fulfilment | null },
  purpose: Grant["purpose"],
  withinMinutes: number,
  now: number,
): boolean {
  return (
    isOnboardingPurpose(purpose) &&
    pass.state === "used" &&
    pass.fulfilled === null &&
    now >= Date.parse(pass.start) + withinMinutes * 60_000
  );
}

/**
 * Per grant that has started: whether its pass is seen (issued), used (used, or fulfilled), and whether its user
 * registered a phishing-resistant method within the grant's window (converted); and the totals.
 */
export function conversionOf(
  grants: readonly Grant[],
  passes: readonly ReviewedPass[],
  scan: TenantScan,
  userIdOf: (grant: Grant) => string | null,
  now: number,
): Review["conversion"] {
  const rows = grants
    .filter((grant) => Date.parse(grant.start) <= now)
    .map((grant): GrantConversion => {
      const pass = passes.find(
        (p) =>
          (p.explanation.kind === "grant" || p.explanation.kind === "endedGrant") &&
          p.explanation.grant.name === grant.name,
      );
      const methods = scan.users.find((u) => u.id === userIdOf(grant))?.phishingResistant ?? [];
      const converted = methods.some((m) => {
        const at = m.createdDateTime === null ? NaN : Date.parse(m.createdDateTime);
        return at >= Date.parse(grant.start) && at <= Date.parse(grant.expiry);
      });
      return {
        grant: grant.name,
        issued: pass ? 1 : 0,
        used: pass && (pass.state === "used" || pass.fulfilled) ? 1 : 0,
        converted: converted ? 1 : 0,
      };
    });
  const sum = (key: "issued" | "used" | "converted") => rows.reduce((total, row) => total + row[key], 0);
  return { grants: rows, total: { issued: sum("issued"), used: sum("used"), converted: sum("converted") } };
}

/** A pass that did its job and can still be used, or a bootstrap that failed: someone should act. */
export function passNeedsAttention(pass: ReviewedPass): boolean {
  const stillUsable = pass.state === "usable" || pass.state === "not yet valid";
  return (
    pass.explanation.kind === "endedGrant" ||
    pass.explanation.kind === "undeclared" ||
    (pass.fulfilled !== null && stillUsable) ||
    pass.bootstrapFailed
  );
}

/** A note when Graph listed a pass holder's phishing-resistant method without its time: fulfilment is not judged. */
export function undatedMethodsNotes(scan: TenantScan): string[] {
  const undated = scan.users.filter(
    (u) => u.pass && u.phishingResistant.some((m) => m.createdDateTime === null),
  );
  return undated.length === 0
    ? []
    : [
        `${undated.length} pass holders have a phishing-resistant method that Graph listed without createdDateTime: ` +
          "whether their pass did its job is not judged (docs/monitoring.md, Passes that did their job)",
      ];
}
