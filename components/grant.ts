// A grant's facts, one home for the stack's config, the components, the providers and the review: its window and
// whether it has ended, how its user joins the group, its roles' keys, its justification, the field rules the config
// and the pass provider share, and the clock difference allowed when comparing Graph's times with this machine's.
// Pulumi-free.
import { createHash } from "node:crypto";
import { z } from "zod";
import { roleAtScopeIdentity } from "./roleDefinitionId";
import { isObjectId, strictObject } from "./validation";

/**
 * Clock difference allowed between this machine and Entra wherever a time one of them wrote is compared with the
 * other's: a pass just issued, a schedule found gone near its end, a pass's window against its grant's.
 */
export const clockSkewMs = 5 * 60_000;

/** Whether `endDateTime` has passed at `now`: what it bounds (a grant, a role, a schedule) has ended. */
export function hasEnded(endDateTime: string, now: number): boolean {
  return Date.parse(endDateTime) <= now;
}

/** Whether the grant has ended at `now` (its expiry passed): its membership and roles are no longer declared. */
export function hasGrantEnded(grant: { expiry: string }, now: number): boolean {
  return hasEnded(grant.expiry, now);
}

/** Whether a role's eligibility is still declared at `now`: its own end (or the grant's expiry) not yet passed. */
export function isRoleDeclared(role: { end?: string }, grant: { expiry: string }, now: number): boolean {
  return !hasEnded(role.end ?? grant.expiry, now);
}

/** A calendar date and time in milliseconds, or undefined (not text, not a date, or a day the month lacks). */
export function calendarTime(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})T/.exec(value);
  const time = Date.parse(value);
  if (!day || Number.isNaN(time)) return undefined;
  const [year, month, date] = day.slice(1).map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, date));
  return calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === date ? time : undefined;
}

/** The grant's window in milliseconds; undefined when either date is not a calendar date and time. */
export function grantWindow(grant: {
  start?: unknown;
  expiry?: unknown;
}): { start: number; expiry: number } | undefined {
  const start = calendarTime(grant?.start);
  const expiry = calendarTime(grant?.expiry);
  return start === undefined || expiry === undefined ? undefined : { start, expiry };
}

/**
 * How a grant's user joins the targeted group: `direct`, a plain membership that the first `pulumi up` after the
 * expiry removes; `pim`, a PIM for Groups assignment that Entra ends at the expiry by itself (Entra ID P2 or ID
 * Governance).
 */
export const grantMembershipModes = ["direct", "pim"] as const;
export type GrantMembershipMode = (typeof grantMembershipModes)[number];

/**
 * A child's name part for a role: stable across reordering the list (a list position would replace on reorder), and
 * the same for both forms of its id (switching the config from one to the other replaces nothing).
 */
export function roleKey(role: { roleDefinitionId: string; scope: string }): string {
  const definition = role.roleDefinitionId.split("/").pop()!.toLowerCase();
  const identity = roleAtScopeIdentity(role.roleDefinitionId, role.scope);
  return `${definition.slice(0, 8)}-${createHash("sha256").update(identity).digest("hex").slice(0, 8)}`;
}

/** Why the access exists, and who answers for it: kept with the pass, read by the policy pack. */
export interface GrantJustification {
  reason: string;
  ticket: string;
  requestedBy: string;
  approvedBy: string;
}

/** The justification as text, where Entra and Azure keep one line (PIM's `justification`). */
export function justificationText(justification: GrantJustification): string {
  return `${justification.reason} (${justification.ticket}, approved by ${justification.approvedBy})`;
}

/** Text that is not blank, refused as typed (the message shows it) and kept trimmed. */
export function filledText(what: string) {
  return z
    .string({ error: what })
    .refine((value) => value.trim().length > 0, { error: what })
    .transform((value) => value.trim());
}

/** The justification's fields, as the config declares them on a grant and the pass keeps them. */
export function justificationFields() {
  return {
    reason: filledText("the reason for the access, not empty"),
    ticket: filledText("the ticket of the request, not empty"),
    requestedBy: filledText("who asked for the access, not empty"),
    approvedBy: filledText("who approved the access, not empty"),
  };
}

/** The justification as one value (the pass's `justification`). */
export function justificationSchema() {
  return strictObject(justificationFields());
}

const userPrincipalName = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The grant's user: a user principal name (name@domain) or an object id. */
export function grantUser() {
  const allowed = "a user principal name (name@domain) or object id";
  return z
    .string({ error: allowed })
    .refine((user) => isObjectId(user) || userPrincipalName.test(user), { error: allowed });
}
