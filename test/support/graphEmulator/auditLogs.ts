// The directory audit log as Graph serves it (`GET /auditLogs/directoryAudits`), newest first, with the `$filter`
// clauses entra-tap sends (Graph's documented ones: activityDisplayName eq, activityDateTime ge/le, targetResources/any
// with t/id eq, joined by `and`); any other filter is refused as Graph refuses one it does not support. Reading it
// needs AuditLog.Read.All: `auditLogForbidden` plays a caller without it.
import { randomUUID } from "node:crypto";
import { type CapturedAnswer, type EmulatedRequest, GraphHttpError, page } from "./http";
import type { EmulatedInitiator, EmulatedTenant, EmulatedUser } from "./model";

/** entra-tap's deployment as the audit log names it: an app (the emulator's caller unless a test says otherwise). */
export function deploymentApp(): EmulatedInitiator {
  return {
    app: {
      appId: "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      servicePrincipalId: "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d",
      displayName: "entra-tap deployment",
    },
  };
}

export function recordAudit(
  tenant: EmulatedTenant,
  entry: {
    at?: number;
    activityDisplayName: string;
    resultReason: string;
    initiatedBy: EmulatedInitiator;
    target: Pick<EmulatedUser, "id" | "userPrincipalName">;
  },
): void {
  tenant.audits.push({
    id: `Directory_${randomUUID()}`,
    activityDateTime: new Date(entry.at ?? tenant.now()).toISOString(),
    activityDisplayName: entry.activityDisplayName,
    category: "UserManagement",
    loggedByService: "Authentication Methods",
    result: "success",
    resultReason: entry.resultReason,
    initiatedBy: entry.initiatedBy,
    targetResources: [
      { id: entry.target.id, userPrincipalName: entry.target.userPrincipalName, type: "User" },
    ],
  });
}

type Audit = EmulatedTenant["audits"][number];

/** One clause of a supported `$filter`, as a test on an entry; undefined when Graph would not support it. */
function clause(text: string): ((audit: Audit) => boolean) | undefined {
  const quoted = "'((?:[^']|'')*)'";
  const unquote = (value: string) => value.replace(/''/g, "'");
  let match = new RegExp(`^activityDisplayName eq ${quoted}$`).exec(text);
  if (match) {
    const name = unquote(match[1]);
    return (audit) => audit.activityDisplayName === name;
  }
  match = /^activityDateTime (ge|le) (\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/.exec(text);
  if (match) {
    const [, op, time] = match;
    const bound = Date.parse(time);
    return (audit) =>
      op === "ge" ? Date.parse(audit.activityDateTime) >= bound : Date.parse(audit.activityDateTime) <= bound;
  }
  match = new RegExp(`^targetResources/any\\((\\w+):\\s*\\1/id eq ${quoted}\\)$`).exec(text);
  if (match) {
    const id = unquote(match[2]).toLowerCase();
    return (audit) => audit.targetResources.some((t) => t.id.toLowerCase() === id);
  }
  return undefined;
}

/** The answer to a read of the directory audit log, or undefined for another path. */
export function route(
  tenant: EmulatedTenant,
  request: EmulatedRequest,
  linkOrigin: string,
): CapturedAnswer | undefined {
  if (request.path !== "/v1.0/auditLogs/directoryAudits") return undefined;
  if (request.method !== "GET") {
    throw new GraphHttpError(405, "Request_BadRequest", `Method ${request.method} is not allowed here.`);
  }
  if (tenant.auditLogForbidden) {
    throw new GraphHttpError(
      403,
      "Authorization_RequestDenied",
      "Insufficient privileges to complete the operation.",
    );
  }
  const filter = request.query.get("$filter");
  const tests = (filter === null ? [] : filter.split(/\s+and\s+/)).map((text) => {
    const test = clause(text.trim());
    if (!test) throw new GraphHttpError(400, "BadRequest", `Invalid filter clause: ${text}`);
    return test;
  });
  const entries = tenant.audits
    .filter((audit) => tests.every((test) => test(audit)))
    .sort((a, b) => Date.parse(b.activityDateTime) - Date.parse(a.activityDateTime));
  return page(request, linkOrigin, entries, 1000);
}
