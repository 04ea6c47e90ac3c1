// Who issued a pass, from the directory audit log (`GET /auditLogs/directoryAudits`, AuditLog.Read.All: the least
// permission that reads it). Each pass's entry is found by its user (targetResources/any) and the time Graph gives the
// pass (createdDateTime), within the clock skew either side; several passes go 20 to a JSON batch.
import { clockSkewMs } from "../grant";
import { batchAll } from "./batch";
import type { GraphClient } from "./client";
import { batchFailure, graphErrorDetails, graphRequestError } from "./errors";

/** The audit activity of a pass issued by an admin or an app (reference, section 3). */
const passIssuedActivity = "Admin registered security info";

/** Who an audit entry says issued the pass: a user, or an app by its application id and service principal. */
export interface PassIssuer {
  kind: "user" | "app";
  /** The user's or the service principal's object id, lower-cased. */
  id: string;
  /** The application (client) id, for an app. */
  appId?: string;
  /** As the audit log names it (set by whoever named the user or app: data, not trusted). */
  name: string;
}

interface AuditEntry {
  activityDateTime?: string;
  resultReason?: string;
  initiatedBy?: {
    user?: { id?: string | null; userPrincipalName?: string | null } | null;
    app?: { appId?: string | null; servicePrincipalId?: string | null; displayName?: string | null } | null;
  };
}

function issuerOf(entry: AuditEntry): PassIssuer | undefined {
  const { user, app } = entry.initiatedBy ?? {};
  if (app?.servicePrincipalId || app?.appId) {
    return {
      kind: "app",
      id: String(app.servicePrincipalId ?? "").toLowerCase(),
      appId: app.appId ? app.appId.toLowerCase() : undefined,
      name: app.displayName ?? app.appId ?? "an app",
    };
  }
  if (user?.id) return { kind: "user", id: user.id.toLowerCase(), name: user.userPrincipalName ?? user.id };
  return undefined;
}

const odataTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * The issuer of each pass (undefined when the log holds no entry for it: issued before the log's retention, or not yet
 * written), in the order of `passes`. A refusal (403 without AuditLog.Read.All) is thrown as a GraphRequestError.
 */
export async function passIssuers(
  graph: GraphClient,
  passes: readonly { userId: string; createdDateTime: string }[],
  concurrency?: number,
): Promise<(PassIssuer | undefined)[]> {
  const answers = await batchAll<{ value?: AuditEntry[] }>(
    graph,
    "Read who issued the passes (audit log)",
    passes.map((pass, index) => {
      const created = Date.parse(pass.createdDateTime);
      const filter = [
        `activityDisplayName eq '${passIssuedActivity}'`,
        `targetResources/any(t:t/id eq '${pass.userId.replace(/'/g, "''")}')`,
        `activityDateTime ge ${odataTime(created - clockSkewMs)}`,
        `activityDateTime le ${odataTime(created + clockSkewMs)}`,
      ].join(" and ");
      return {
        id: String(index),
        method: "GET",
        url: `/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}&$top=50`,
      };
    }),
    { concurrency },
  );
  return answers.map((answer, index) => {
    if (answer.status === 401 || answer.status === 403) {
      const { code, message } = graphErrorDetails(answer.body);
      throw graphRequestError("Read the audit log", answer.status, code, message, undefined, false);
    }
    if (answer.status !== 200 || !Array.isArray(answer.body?.value)) {
      throw batchFailure(`Read the audit log for the pass of ${passes[index].userId}`, answer);
    }
    const created = Date.parse(passes[index].createdDateTime);
    // The entry nearest the pass's creation; one whose reason names a pass first, as the wording may vary.
    const entries = answer.body.value
      .filter((e) => !Number.isNaN(Date.parse(e.activityDateTime ?? "")))
      .sort(
        (a, b) =>
          Number(!/temporary access pass/i.test(a.resultReason ?? "")) -
            Number(!/temporary access pass/i.test(b.resultReason ?? "")) ||
          Math.abs(Date.parse(a.activityDateTime!) - created) -
            Math.abs(Date.parse(b.activityDateTime!) - created),
      );
    return entries.length > 0 ? issuerOf(entries[0]) : undefined;
  });
}
