// Revocation of passes the review listed: which ones each flag selects, and doing it: the user's sign-in sessions are
// revoked, then the pass is deleted (a pass that did its job is only deleted: its user's sessions are theirs now). Only listed passes are touched, each by its own id; running it again finishes
// what a failure left (a pass still there is listed again; one already gone, or a user already deleted, is done).
import type { GraphClient } from "../../components/graph/client";
import { deletePass, revokeSessions } from "../../components/graph/userPasses";
import type { Review, ReviewedPass } from "./classify";

export interface RevocationTarget {
  userId: string;
  user: string;
  methodId: string;
  state: ReviewedPass["state"];
  /** Why it is revoked: which flag selected it, and the grant when there is one. */
  why: string;
  /**
   * Whether the user's sessions are revoked too: yes for access that must end; no for a pass that only did its job
   * (--revoke-fulfilled alone), whose holder just signed in with their new method.
   */
  endSessions: boolean;
}

export interface RevocationFlags {
  ended: boolean;
  undeclared: boolean;
  fulfilled: boolean;
  /** Users named with --revoke, by user principal name or object id. */
  users: readonly string[];
}

export interface RevocationSelection {
  targets: RevocationTarget[];
  /** Users named with --revoke who hold no pass in the review (nothing to do: perhaps done by an earlier run). */
  withoutPass: string[];
}

export function hasRevocation(flags: RevocationFlags): boolean {
  return flags.ended || flags.undeclared || flags.fulfilled || flags.users.length > 0;
}

/** The passes of the review that the flags select, each once, in the review's order. */
export function selectRevocations(review: Review, flags: RevocationFlags): RevocationSelection {
  const named = flags.users.map((u) => u.toLowerCase());
  const targets: RevocationTarget[] = [];
  for (const pass of review.passes) {
    const reasons: string[] = [];
    if (flags.ended && pass.explanation.kind === "endedGrant") {
      reasons.push(`grant ${pass.explanation.grant.name} ended ${pass.explanation.grant.expiry}`);
    }
    if (flags.undeclared && pass.explanation.kind === "undeclared") reasons.push("no grant declares it");
    if (named.includes(pass.user.toLowerCase()) || named.includes(pass.userId))
      reasons.push("named with --revoke");
    const endsAccess = reasons.length > 0;
    if (flags.fulfilled && pass.fulfilled) {
      reasons.push(`did its job: ${pass.fulfilled.method} registered ${pass.fulfilled.registeredAt}`);
    }
    if (reasons.length > 0) {
      targets.push({
        userId: pass.userId,
        user: pass.user,
        methodId: pass.methodId,
        state: pass.state,
        why: reasons.join("; "),
        endSessions: endsAccess,
      });
    }
  }
  const withoutPass = flags.users.filter(
    (u) =>
      !review.passes.some((p) => p.user.toLowerCase() === u.toLowerCase() || p.userId === u.toLowerCase()),
  );
  return { targets, withoutPass };
}

export interface RevocationOutcome {
  target: RevocationTarget;
  sessions: "revoked" | "user not found" | "kept" | "not done";
  pass: "deleted" | "already gone" | "not done";
  /** Set when a step failed: what Graph said. */
  error?: string;
}

export interface RevocationResult {
  done: RevocationOutcome[];
  notDone: RevocationOutcome[];
}

/**
 * Revokes each target's sessions (when it ends access), then deletes its pass. In that order so that a pass still there means the job is not
 * finished: a run that stopped half-way lists it again next time, and the next run does both steps (revoking sessions
 * twice does no harm). A failure stops that user only; the others are still done.
 */
export async function revokePasses(
  graph: GraphClient,
  targets: readonly RevocationTarget[],
  onOutcome?: (outcome: RevocationOutcome) => void,
): Promise<RevocationResult> {
  const result: RevocationResult = { done: [], notDone: [] };
  for (const target of targets) {
    const outcome: RevocationOutcome = { target, sessions: "not done", pass: "not done" };
    try {
      outcome.sessions = target.endSessions
        ? await revokeSessions(graph, target.userId, target.user)
        : "kept";
      // A pass already gone was deleted by hand, by an earlier run whose answer was lost, or replaced: the new pass
      // is not this one, and is not touched.
      outcome.pass = await deletePass(graph, target.userId, target.methodId, target.user);
      result.done.push(outcome);
    } catch (error) {
      outcome.error = error instanceof Error ? error.message : String(error);
      result.notDone.push(outcome);
    }
    onOutcome?.(outcome);
  }
  return result;
}
