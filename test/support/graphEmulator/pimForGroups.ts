// PIM for Groups as Graph serves it: member assignments requested through `assignmentScheduleRequests` (adminAssign,
// adminUpdate, adminRemove) and listed by `assignmentSchedules`; Entra ends each at its end, membership and all.
import { randomUUID } from "node:crypto";
import { findUser, requireGroup, requireUser } from "./directory";
import { type CapturedAnswer, type EmulatedRequest, GraphHttpError, jsonAnswer, page } from "./http";
import type { EmulatedPimSchedule, EmulatedTenant } from "./model";

export const pimScheduleRequestsPath =
  "/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests";
export const pimSchedulesPath = "/v1.0/identityGovernance/privilegedAccess/group/assignmentSchedules";

type PimAction = "adminAssign" | "adminUpdate" | "adminRemove";

export function addPimSchedule(
  tenant: EmulatedTenant,
  schedule: Omit<EmulatedPimSchedule, "id" | "createdDateTime" | "justification">,
): EmulatedPimSchedule {
  const created: EmulatedPimSchedule = {
    ...schedule,
    id: randomUUID(),
    justification: "added by the test",
    createdDateTime: new Date(tenant.now()).toISOString(),
  };
  tenant.pimSchedules.set(`${schedule.groupId}|${schedule.principalId}`, created);
  requireUser(tenant, schedule.principalId).memberOf.set(
    schedule.groupId,
    Date.parse(schedule.startDateTime),
  );
  return created;
}

/** Entra ends a schedule at its end: the assignment and the membership it gave are gone. */
export function endSchedules(tenant: EmulatedTenant): void {
  for (const [key, schedule] of tenant.pimSchedules) {
    if (Date.parse(schedule.endDateTime) <= tenant.now()) removeSchedule(tenant, key, schedule);
  }
}

export function removePimAssignment(tenant: EmulatedTenant, groupId: string, principalId: string): void {
  for (const [key, schedule] of tenant.pimSchedules) {
    if (
      schedule.groupId.toLowerCase() === groupId.toLowerCase() &&
      schedule.principalId.toLowerCase() === principalId.toLowerCase()
    )
      removeSchedule(tenant, key, schedule);
  }
}

function removeSchedule(tenant: EmulatedTenant, key: string, schedule: EmulatedPimSchedule): void {
  tenant.pimSchedules.delete(key);
  findUser(tenant, schedule.principalId)?.memberOf.delete(schedule.groupId);
}

/** The answer to a PIM for Groups request, or undefined when it is not one. Next links point to `linkOrigin`. */
export function route(
  tenant: EmulatedTenant,
  request: EmulatedRequest,
  linkOrigin: string,
): CapturedAnswer | undefined {
  if (request.path === pimScheduleRequestsPath && request.method === "POST") {
    return scheduleRequest(tenant, request.body);
  }
  if (request.path === pimSchedulesPath && request.method === "GET") {
    return schedulesList(tenant, request, linkOrigin);
  }
  return undefined;
}

/**
 * `POST assignmentScheduleRequests`: adminAssign, adminUpdate or adminRemove of a member assignment. PIM's rules as
 * documented: a known group and principal, a justification, an expiration in the future. The error codes for an
 * assignment that exists (or not) are PIM's for directory roles; entra-tap reads before it writes and relies on none.
 */
function scheduleRequest(tenant: EmulatedTenant, body: unknown): CapturedAnswer {
  const request = (body ?? {}) as Record<string, unknown>;
  const action = requestedAction(request);
  const group = requireGroup(tenant, String(request.groupId));
  const user = requireUser(tenant, String(request.principalId));
  const key = `${group.id}|${user.id}`;
  const existing = tenant.pimSchedules.get(key);
  if (action === "adminRemove") {
    if (!existing) {
      throw new GraphHttpError(400, "RoleAssignmentDoesNotExist", "The Role assignment does not exist.");
    }
    removeSchedule(tenant, key, existing);
    return jsonAnswer(201, {
      id: randomUUID(),
      action,
      status: "Revoked",
      groupId: group.id,
      principalId: user.id,
    });
  }
  const { justification, start, end } = requestedSchedule(tenant, request);
  if (action === "adminAssign" && existing) {
    throw new GraphHttpError(400, "RoleAssignmentExists", "The Role assignment already exists.");
  }
  if (action === "adminUpdate" && !existing) {
    throw new GraphHttpError(400, "RoleAssignmentDoesNotExist", "The Role assignment does not exist.");
  }
  const assigned: EmulatedPimSchedule = {
    id: existing?.id ?? randomUUID(),
    groupId: group.id,
    principalId: user.id,
    startDateTime: existing?.startDateTime ?? new Date(start).toISOString(),
    endDateTime: new Date(end).toISOString(),
    justification,
    createdDateTime: existing?.createdDateTime ?? new Date(tenant.now()).toISOString(),
  };
  tenant.pimSchedules.set(key, assigned);
  user.memberOf.set(group.id, Math.max(start, tenant.now()));
  return jsonAnswer(201, {
    id: randomUUID(),
    action,
    status: "Provisioned",
    accessId: "member",
    groupId: group.id,
    principalId: user.id,
    targetScheduleId: assigned.id,
    justification: assigned.justification,
    scheduleInfo: request.scheduleInfo,
  });
}

/** The request's action, once its properties and accessId pass. */
function requestedAction(request: Record<string, unknown>): PimAction {
  const allowedKeys = [
    "accessId",
    "principalId",
    "groupId",
    "action",
    "justification",
    "scheduleInfo",
    "ticketInfo",
  ];
  const unknownKey = Object.keys(request).find((key) => !allowedKeys.includes(key));
  if (unknownKey) throw new GraphHttpError(400, "BadRequest", `Invalid property '${unknownKey}'.`);
  if (request.accessId !== "member" && request.accessId !== "owner") {
    throw new GraphHttpError(400, "BadRequest", `Invalid accessId '${String(request.accessId)}'.`);
  }
  const action = request.action;
  if (action !== "adminAssign" && action !== "adminUpdate" && action !== "adminRemove") {
    throw new GraphHttpError(400, "BadRequest", `Unsupported action '${String(action)}'.`);
  }
  return action;
}

/** An assignment's justification and schedule (ms), once they pass PIM's rules. */
function requestedSchedule(
  tenant: EmulatedTenant,
  request: Record<string, unknown>,
): { justification: string; start: number; end: number } {
  if (typeof request.justification !== "string" || request.justification.trim() === "") {
    throw new GraphHttpError(
      400,
      "JustificationRule",
      'The following policy rules failed: ["JustificationRule"]',
    );
  }
  const schedule = request.scheduleInfo as
    { startDateTime?: string; expiration?: { type?: string; endDateTime?: string } } | undefined;
  const start = Date.parse(schedule?.startDateTime ?? "");
  const end = Date.parse(schedule?.expiration?.endDateTime ?? "");
  if (schedule?.expiration?.type !== "afterDateTime" || Number.isNaN(start) || Number.isNaN(end)) {
    throw new GraphHttpError(
      400,
      "InvalidScheduleRequest",
      "scheduleInfo needs startDateTime and an afterDateTime expiration.",
    );
  }
  if (end <= Math.max(start, tenant.now())) {
    throw new GraphHttpError(
      400,
      "InvalidScheduleRequest",
      "The expiration must be after the start and in the future.",
    );
  }
  return { justification: request.justification, start, end };
}

/** `GET assignmentSchedules`: Graph requires a filter on groupId or principalId (eq). */
function schedulesList(tenant: EmulatedTenant, request: EmulatedRequest, linkOrigin: string): CapturedAnswer {
  const filter = request.query.get("$filter") ?? "";
  const clauses = filter
    .split(/\s+and\s+/i)
    .map((clause) => /^(groupId|principalId|accessId) eq '([^']*)'$/.exec(clause.trim()));
  if (filter === "" || clauses.some((clause) => !clause) || !clauses.some((c) => c![1] !== "accessId")) {
    throw new GraphHttpError(
      400,
      "BadRequest",
      "The $filter must scope the request to a groupId or a principalId (eq).",
    );
  }
  const wanted = clauses.map(
    (c) => [c![1] as "groupId" | "principalId" | "accessId", c![2].toLowerCase()] as const,
  );
  const schedules = [...tenant.pimSchedules.values()].filter((schedule) =>
    wanted.every(([field, value]) =>
      field === "accessId" ? value === "member" : schedule[field].toLowerCase() === value,
    ),
  );
  return page(
    request,
    linkOrigin,
    schedules.map((schedule) => ({
      id: schedule.id,
      accessId: "member",
      groupId: schedule.groupId,
      principalId: schedule.principalId,
      memberType: "direct",
      assignmentType: "assigned",
      status: "Provisioned",
      createdDateTime: schedule.createdDateTime,
      scheduleInfo: {
        startDateTime: schedule.startDateTime,
        recurrence: null,
        expiration: { type: "afterDateTime", endDateTime: schedule.endDateTime, duration: null },
      },
    })),
  );
}
