// A user's Temporary Access Pass as Graph serves it (`/users/{id}/authentication/temporaryAccessPassMethods`):
// issuing one by Graph's rules (who is in the policy's scope, the lifetime range), listing, reading and deleting it,
// and revoking the user's sign-in sessions.
import { randomUUID } from "node:crypto";
import { recordAudit } from "./auditLogs";
import { findUser, requireUser } from "./directory";
import { type CapturedAnswer, type EmulatedRequest, GraphHttpError, jsonAnswer, noContent } from "./http";
import type { EmulatedInitiator, EmulatedTap, EmulatedTarget, EmulatedTenant, EmulatedUser } from "./model";

/** A pass added as if issued earlier; see GraphEmulator.addPass. */
export interface EarlierPass {
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce?: boolean;
  used?: boolean;
  createdDateTime?: string;
  /** Who the audit log says issued it (default: an administrator in the portal). */
  issuedBy?: EmulatedInitiator;
}

/** The audit log's initiator of a pass added with addPass and no `issuedBy`: someone in the portal. */
const portalAdministrator: EmulatedInitiator = {
  user: { id: "5e0f4c1b-8a2d-4f6e-9b3c-2d1e0f9a8b7c", userPrincipalName: "helpdesk.admin@contoso.com" },
};

const tapIssuedReason = "Admin registered temporary access pass method for user";

export function addPass(tenant: EmulatedTenant, userId: string, pass: EarlierPass): EmulatedTap {
  const user = findUser(tenant, userId)!;
  user.tap = {
    id: randomUUID(),
    temporaryAccessPass: randomPasscode(tenant.policy.defaultLength),
    createdDateTime:
      pass.createdDateTime ?? new Date(Math.min(Date.parse(pass.startDateTime), tenant.now())).toISOString(),
    startDateTime: pass.startDateTime,
    lifetimeInMinutes: pass.lifetimeInMinutes,
    isUsableOnce: pass.isUsableOnce ?? true,
    used: pass.used ?? false,
  };
  recordAudit(tenant, {
    at: Date.parse(user.tap.createdDateTime),
    activityDisplayName: "Admin registered security info",
    resultReason: tapIssuedReason,
    initiatedBy: pass.issuedBy ?? portalAdministrator,
    target: user,
  });
  return user.tap;
}

export function signInWithTap(tenant: EmulatedTenant, userId: string): void {
  const tap = findUser(tenant, userId)?.tap;
  if (tap) tap.used = true;
}

/** The answer to a request for a user's passes or to revoke their sessions, or undefined when it is for neither. */
export function route(tenant: EmulatedTenant, request: EmulatedRequest): CapturedAnswer | undefined {
  const { method, path, body } = request;
  const tapMethods =
    /^\/v1\.0\/users\/([^/]+)\/authentication\/temporaryAccessPassMethods(?:\/([^/]+))?$/.exec(path);
  if (tapMethods) return tapMethodsAnswer(tenant, method, tapMethods[1], tapMethods[2], body);
  const revoke = /^\/v1\.0\/users\/([^/]+)\/revokeSignInSessions$/.exec(path);
  if (revoke && method === "POST") {
    const user = requireUser(tenant, revoke[1]);
    user.sessionsRevokedAt = new Date(tenant.now()).toISOString();
    return jsonAnswer(200, {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean",
      value: true,
    });
  }
  return undefined;
}

function tapMethodsAnswer(
  tenant: EmulatedTenant,
  method: string,
  idOrUpn: string,
  methodId: string | undefined,
  body: unknown,
): CapturedAnswer {
  const user = requireUser(tenant, idOrUpn);
  if (method === "POST" && !methodId) {
    const tap = issueTap(tenant, user, (body ?? {}) as Record<string, unknown>);
    return jsonAnswer(201, {
      "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
      ...passView(tenant, tap, true),
    });
  }
  if (method === "GET" && !methodId) {
    return jsonAnswer(200, { value: user.tap ? [passView(tenant, user.tap, false)] : [] });
  }
  if (!user.tap || user.tap.id !== methodId) {
    throw new GraphHttpError(404, "itemNotFound", "The requested authentication method was not found.");
  }
  if (method === "GET") return jsonAnswer(200, passView(tenant, user.tap, false));
  if (method === "DELETE") {
    user.tap = undefined;
    return noContent();
  }
  throw new GraphHttpError(405, "Request_BadRequest", `Method ${method} is not allowed here.`);
}

/** Graph's rules for a new pass: a member in scope, not a guest, not oneself, within the policy's range. */
function issueTap(tenant: EmulatedTenant, user: EmulatedUser, body: Record<string, unknown>): EmulatedTap {
  const allowedKeys = ["startDateTime", "lifetimeInMinutes", "isUsableOnce"];
  const unknownKey = Object.keys(body).find((key) => !allowedKeys.includes(key));
  if (unknownKey) throw new GraphHttpError(400, "BadRequest", `Invalid property '${unknownKey}'.`);
  refuseRecipient(tenant, user);
  const { policy } = tenant;
  const { minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max } = policy;
  const lifetime = body.lifetimeInMinutes ?? policy.defaultLifetimeInMinutes;
  if (typeof lifetime !== "number" || !Number.isInteger(lifetime) || lifetime < min || lifetime > max) {
    throw new GraphHttpError(
      400,
      "badRequest",
      `Invalid LifetimeInMinutes specified. The valid range between ${min} and ${max}.`,
    );
  }
  const isUsableOnce = body.isUsableOnce ?? policy.isUsableOnce;
  if (isUsableOnce === false && policy.isUsableOnce) {
    throw new GraphHttpError(400, "badRequest", "Policy requires a one-time Temporary Access Pass.");
  }
  const start = body.startDateTime === undefined ? tenant.now() : Date.parse(String(body.startDateTime));
  if (Number.isNaN(start)) throw new GraphHttpError(400, "badRequest", "Invalid startDateTime.");
  // One pass per user: a new one replaces the old, whose passcode stops working.
  user.tap = {
    id: randomUUID(),
    temporaryAccessPass: randomPasscode(policy.defaultLength),
    createdDateTime: new Date(tenant.now()).toISOString(),
    startDateTime: new Date(start).toISOString(),
    lifetimeInMinutes: lifetime,
    isUsableOnce: Boolean(isUsableOnce),
    used: false,
  };
  recordAudit(tenant, {
    activityDisplayName: "Admin registered security info",
    resultReason: tapIssuedReason,
    initiatedBy: tenant.caller,
    target: user,
  });
  return user.tap;
}

/** Throws Graph's refusal of a pass to a guest, to oneself, or to a user not (yet) in the policy's scope. */
function refuseRecipient(tenant: EmulatedTenant, user: EmulatedUser): void {
  if (user.userType === "Guest") {
    throw new GraphHttpError(
      400,
      "badRequest",
      "Temporary Access Pass cannot be added to an external guest user.",
    );
  }
  if (user.id === tenant.callerId) {
    throw new GraphHttpError(403, "accessDenied", "Self-service operations are currently not supported.");
  }
  if (!inScope(tenant, user)) {
    throw new GraphHttpError(
      tenant.scopeRefusalStatus,
      tenant.scopeRefusalStatus === 403 ? "accessDenied" : "badRequest",
      "Converged UserCredentialPolicy does not allow creating or updating this authentication method.",
    );
  }
}

function inScope(tenant: EmulatedTenant, user: EmulatedUser): boolean {
  const { policy } = tenant;
  if (policy.state !== "enabled") return false;
  const visible = (groupId: string) => (user.memberOf.get(groupId) ?? Infinity) <= tenant.now();
  const targets = (t: EmulatedTarget) =>
    t.targetType === "user" ? t.id === user.id : t.id === "all_users" || visible(t.id);
  const excluded = policy.excludeTargets.some(targets);
  const included = policy.includeTargets.some(targets);
  return included && !excluded;
}

/** A pass as Graph shows it: the passcode only in the POST answer, usability computed now. */
export function passView(tenant: EmulatedTenant, tap: EmulatedTap, withPasscode: boolean) {
  const start = Date.parse(tap.startDateTime);
  const end = start + tap.lifetimeInMinutes * 60_000;
  const reason =
    tenant.policy.state !== "enabled"
      ? "DisabledByPolicy"
      : tenant.now() < start
        ? "NotYetValid"
        : tenant.now() >= end
          ? "Expired"
          : tap.used && tap.isUsableOnce
            ? "OneTimeUsed"
            : "EnabledByPolicy";
  return {
    id: tap.id,
    temporaryAccessPass: withPasscode ? tap.temporaryAccessPass : null,
    createdDateTime: tap.createdDateTime,
    startDateTime: tap.startDateTime,
    lifetimeInMinutes: tap.lifetimeInMinutes,
    isUsableOnce: tap.isUsableOnce,
    isUsable: reason === "EnabledByPolicy",
    methodUsabilityReason: reason,
  };
}

function randomPasscode(length: number): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%&*";
  return Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("");
}
