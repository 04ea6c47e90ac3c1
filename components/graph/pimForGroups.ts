// PIM for Groups in Graph (Entra ID P2 or ID Governance): a user's member assignment schedule in a group, read from
// `assignmentSchedules` and changed through `assignmentScheduleRequests` (adminAssign, adminUpdate, adminRemove), each
// request read back, and never sent again blindly. And the refusal of an assignment over a direct membership.
import type { GraphClient, GraphResponse } from "./client";
import { isDirectMember } from "./directory";
import { isGraphRequestError } from "./errors";

const pimScheduleRequestsPath = "/identityGovernance/privilegedAccess/group/assignmentScheduleRequests";
const pimSchedulesPath = "/identityGovernance/privilegedAccess/group/assignmentSchedules";

/** Whose membership of which group, until when, and why (PIM keeps the justification and ticket with it). */
export interface PimMembershipRequest {
  groupId: string;
  principalId: string;
  endDateTime: string;
  /** Graph's field: one line of text (the grant's justification as grant.ts's justificationText writes it). */
  justification: string;
  ticketNumber: string;
}

/** What a schedule request asks of PIM. */
export type PimScheduleAction = "adminAssign" | "adminUpdate" | "adminRemove";

/** A schedule as Graph lists it (the fields entra-tap reads). */
export interface GraphAssignmentSchedule {
  id: string;
  groupId: string;
  principalId: string;
  accessId: string;
  scheduleInfo?: {
    startDateTime?: string | null;
    expiration?: { type?: string; endDateTime?: string | null };
  };
}

type Member = Pick<PimMembershipRequest, "groupId" | "principalId">;

/** Graph's clock when it answered: its `Date` header; undefined when absent or not a date. */
function answeredAt(response: Pick<GraphResponse<unknown>, "date">): number | undefined {
  const at = Date.parse(response.date ?? "");
  return Number.isNaN(at) ? undefined : at;
}

/** The member assignment of `principalId` in `groupId`, as PIM holds it now, or undefined. */
export async function currentSchedule(
  graph: GraphClient,
  member: Member,
): Promise<GraphAssignmentSchedule | undefined> {
  return (await readSchedule(graph, member)).schedule;
}

/**
 * The member assignment as PIM holds it now, and when that was: Entra's clock at its answer (the `Date` header), or
 * this machine's when Graph sent none. Whether Entra has ended a schedule is judged by Entra's clock, so a machine
 * whose clock is off (or a test that moves Entra's) is judged right.
 */
export async function readSchedule(
  graph: GraphClient,
  member: Member,
): Promise<{ schedule: GraphAssignmentSchedule | undefined; entraNow: number }> {
  // Graph requires the list to be filtered by group or principal.
  const filter = `groupId eq '${member.groupId}' and principalId eq '${member.principalId}'`;
  let entraNow: number | undefined;
  const schedules = await graph.getAllPages<GraphAssignmentSchedule>(
    `Read the PIM membership of ${member.principalId} in group ${member.groupId}`,
    `${pimSchedulesPath}?$filter=${encodeURIComponent(filter)}`,
    {
      onPage: (_items, response) => {
        const at = answeredAt(response);
        if (at !== undefined) entraNow = Math.max(entraNow ?? at, at);
      },
    },
  );
  const members = schedules.filter((schedule) => schedule.accessId === "member");
  if (members.length > 1) {
    // Not expected of PIM (one assignment per principal, group and access): say so rather than pick one.
    throw new Error(
      `PIM lists ${members.length} member assignments of ${member.principalId} in group ${member.groupId}; ` +
        "entra-tap expects at most one. Remove the extra ones in PIM for Groups and run pulumi up again.",
    );
  }
  return { schedule: members[0], entraNow: entraNow ?? Date.now() };
}

/** When the schedule ends, as an ISO date; undefined for one that does not. */
export function scheduleEnd(schedule: GraphAssignmentSchedule): string | undefined {
  const end = schedule.scheduleInfo?.expiration?.endDateTime;
  return end ? new Date(end).toISOString() : undefined;
}

/** One request to PIM: assign, update (a new end) or remove the membership. Repeated only once read back. */
async function requestSchedule(
  graph: GraphClient,
  action: PimScheduleAction,
  request: PimMembershipRequest,
): Promise<void> {
  const body = {
    accessId: "member",
    principalId: request.principalId,
    groupId: request.groupId,
    action,
    justification: request.justification,
    ...(action === "adminRemove"
      ? {}
      : {
          // The membership starts when it is applied, as a direct membership does: a pass can only be issued to a
          // member, and is issued before a grant that starts later begins.
          scheduleInfo: {
            startDateTime: new Date().toISOString(),
            expiration: { type: "afterDateTime", endDateTime: request.endDateTime },
          },
          ...(request.ticketNumber
            ? { ticketInfo: { ticketNumber: request.ticketNumber, ticketSystem: "entra-tap" } }
            : {}),
        }),
  };
  await graph.post(
    `${action} the PIM membership of ${request.principalId} in group ${request.groupId}`,
    pimScheduleRequestsPath,
    body,
  );
}

/** What a request should have left in PIM, for reading back after a lost answer. */
function settled(action: PimScheduleAction, request: PimMembershipRequest) {
  return (schedule: GraphAssignmentSchedule | undefined) =>
    action === "adminRemove"
      ? schedule === undefined
      : schedule !== undefined && Date.parse(scheduleEnd(schedule) ?? "") === Date.parse(request.endDateTime);
}

/**
 * Sends the request; when its answer is lost (the outcome unknown), reads PIM: done if the membership is as asked,
 * sent once more if not. A schedule request is never repeated blindly: a second `adminAssign` of an existing
 * membership is refused by PIM, and a removal repeated after it succeeded would fail.
 */
export async function requestAndConfirm(
  graph: GraphClient,
  action: PimScheduleAction,
  request: PimMembershipRequest,
): Promise<GraphAssignmentSchedule | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await requestSchedule(graph, action, request);
      break;
    } catch (error) {
      if (!(isGraphRequestError(error) && error.outcomeUnknown) || attempt >= 2) throw error;
      if (settled(action, request)(await currentSchedule(graph, request))) break;
    }
  }
  const after = await currentSchedule(graph, request);
  if (!settled(action, request)(after)) {
    // Accepted but not in effect: a request waiting for approval (PIM settings of the group), or a contract change.
    throw new Error(
      `PIM accepted the ${action} of ${request.principalId} in group ${request.groupId}, but the membership is not ` +
        `as asked when read back (${after ? `ends ${scheduleEnd(after) ?? "never"}` : "no assignment"}). ` +
        "Check the group's PIM settings: an assignment that needs approval cannot be managed by entra-tap.",
    );
  }
  return after;
}

/**
 * Refuses to assign a PIM membership to a user who is a direct member of the group already (not through PIM): when the
 * assignment ends, Entra may remove that membership with it, and entra-tap did not make it. Called only where no PIM
 * assignment of the user exists: a membership that PIM's own assignment gives (adopted, or a retry after a lost
 * answer) is PIM's, not a direct one. A membership through a nested group, which PIM never touches, is not refused
 * (see `isDirectMember`: List members, not transitive). Permission GroupMember.Read.All, or GroupMember.ReadWrite.All
 * (held by entra-tap-passes).
 */
export async function refuseOverDirectMembership(graph: GraphClient, member: Member): Promise<void> {
  if (!(await isDirectMember(graph, member.groupId, member.principalId))) return;
  throw new Error(
    `${member.principalId} is already a direct member of group ${member.groupId} (not through PIM for Groups), so ` +
      "entra-tap does not assign a PIM membership over it: when the PIM assignment ends, at the grant's expiry or " +
      "when the grant is removed, Entra may remove that membership with it, and entra-tap did not make it. " +
      "Remove the direct membership first if the user should hold it only for the grant, or give the grant " +
      "membership: direct. If the membership was PIM's own and ended within the last minutes, Graph's index may " +
      "still list it: run pulumi up again later.",
  );
}
