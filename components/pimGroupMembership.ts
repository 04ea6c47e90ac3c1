// A grant's time-bound group membership through PIM for Groups (Entra ID P2 or ID Governance): an active member
// assignment that Entra itself ends at the grant's expiry, even when no one runs `pulumi up`.
//
// A dynamic provider rather than azuread.PrivilegedAccessGroupAssignmentSchedule, for one reason: Entra removes a
// schedule once it has ended, and that resource then fails (a delete of the ended schedule panics,
// terraform-provider-azuread#1445; a refresh finds it gone and the next `up` re-creates it with an end in the past).
// Only the provider knows, at delete time, whether the schedule in the state has already ended (nothing to do) or is
// being ended early (remove it now); resource options cannot tell the two apart.
//
// Never over a direct membership: when a PIM assignment ends (at the expiry, or removed), Entra may take a direct
// membership of the same user with it, one that entra-tap did not make. What adminRemove does to a membership that was
// there before the assignment is not documented, so entra-tap refuses to assign PIM over one (see
// refuseOverDirectMembership) rather than find out in a tenant.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { GraphClient, GraphCloud } from "./graphClient";
import * as graphClient from "./graphClient";
import * as validation from "./validation";

// Bound here, so the serialized provider holds these functions alone, not every export of their modules (README).
const { graphClientFromEnvironment, graphCloudNames, isGraphRequestError } = graphClient;
const { checkInputs, dynamicTypeModule, isoDateTime, objectId, oneOf, strictObject, withOutputSeeds } =
  validation;

export const pimScheduleRequestsPath =
  "/identityGovernance/privilegedAccess/group/assignmentScheduleRequests";
export const pimSchedulesPath = "/identityGovernance/privilegedAccess/group/assignmentSchedules";

export function pimGroupMembershipSchema() {
  return strictObject({
    cloud: oneOf(graphCloudNames as [GraphCloud, ...GraphCloud[]]).default("global"),
    groupId: objectId("the object id of the group (a GUID)"),
    principalId: objectId("the object id of the user (a GUID)"),
    /** When Entra ends the membership: the grant's expiry. */
    endDateTime: isoDateTime(),
    /** Why, which ticket, who approved: PIM keeps it with the assignment. */
    justification: z.string({ error: "text, not empty" }).min(1, { error: "text, not empty" }),
    ticketNumber: z.string({ error: "text" }),
  });
}

export type PimGroupMembershipInputs = z.output<ReturnType<typeof pimGroupMembershipSchema>>;

/** `assigned`: the schedule was there at the last read; `ended`: its end has passed and Entra removed it. */
export type PimMembershipStatus = "assigned" | "ended";

export interface PimGroupMembershipOutputs extends PimGroupMembershipInputs {
  /** The schedule's id in PIM (its `targetScheduleId`). */
  scheduleId: string;
  /** When the membership started (Entra's own record). */
  scheduleStartDateTime: string;
  status: PimMembershipStatus;
}

/** A schedule as Graph lists it (the fields entra-tap reads). */
interface GraphAssignmentSchedule {
  id: string;
  groupId: string;
  principalId: string;
  accessId: string;
  scheduleInfo?: {
    startDateTime?: string | null;
    expiration?: { type?: string; endDateTime?: string | null };
  };
}

/** Whether the schedule's end has passed: Entra has ended it (and removes it), so nothing is left to change. */
export function hasEnded(endDateTime: string, now = Date.now()): boolean {
  return Date.parse(endDateTime) <= now;
}

/**
 * Time allowed, when a schedule is found gone near its end, between its end and the clock that judges it: Entra's
 * own (the `Date` of Graph's answer, to the second), or this machine's when Graph sent none.
 */
const clockSkewMs = 5 * 60_000;

/** Graph's clock when it answered: its `Date` header; undefined when absent or not a date. */
function answeredAt(response: { date?: string }): number | undefined {
  const at = Date.parse(response.date ?? "");
  return Number.isNaN(at) ? undefined : at;
}

/** The member assignment of `principalId` in `groupId`, as PIM holds it now, or undefined. */
async function currentSchedule(
  graph: GraphClient,
  props: Pick<PimGroupMembershipInputs, "groupId" | "principalId">,
): Promise<GraphAssignmentSchedule | undefined> {
  return (await readSchedule(graph, props)).schedule;
}

/**
 * The member assignment as PIM holds it now, and when that was: Entra's clock at its answer (the `Date` header), or
 * this machine's when Graph sent none. Whether Entra has ended a schedule is judged by Entra's clock, so a machine
 * whose clock is off (or a test that moves Entra's) is judged right.
 */
async function readSchedule(
  graph: GraphClient,
  props: Pick<PimGroupMembershipInputs, "groupId" | "principalId">,
): Promise<{ schedule: GraphAssignmentSchedule | undefined; entraNow: number }> {
  // Graph requires the list to be filtered by group or principal.
  const filter = `groupId eq '${props.groupId}' and principalId eq '${props.principalId}'`;
  let entraNow: number | undefined;
  const schedules = await graph.getAllPages<GraphAssignmentSchedule>(
    `Read the PIM membership of ${props.principalId} in group ${props.groupId}`,
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
      `PIM lists ${members.length} member assignments of ${props.principalId} in group ${props.groupId}; ` +
        "entra-tap expects at most one. Remove the extra ones in PIM for Groups and run pulumi up again.",
    );
  }
  return { schedule: members[0], entraNow: entraNow ?? Date.now() };
}

/**
 * Refuses to assign a PIM membership to a user who is a direct member of the group already (not through PIM): when the
 * assignment ends, Entra may remove that membership with it, and entra-tap did not make it. Called only where no PIM
 * assignment of the user exists: a membership that PIM's own assignment gives (adopted, or a retry after a lost
 * answer) is PIM's, not a direct one.
 *
 * Read with List members, `GET /groups/{id}/members`, which is not transitive
 * (https://learn.microsoft.com/en-us/graph/api/group-list-members): a membership through a nested group, which PIM
 * never touches, is not reported (checkMemberGroups is transitive, and would report it). Its `$filter` needs the
 * advanced query parameters, `ConsistencyLevel: eventual` and `$count=true`
 * (https://learn.microsoft.com/en-us/graph/aad-advanced-queries), and so reads an index that may lag a change of
 * the last minutes. Permission GroupMember.Read.All, or GroupMember.ReadWrite.All (held by entra-tap-passes).
 */
async function refuseOverDirectMembership(
  graph: GraphClient,
  props: Pick<PimGroupMembershipInputs, "groupId" | "principalId">,
): Promise<void> {
  const filter = `id eq '${props.principalId}'`;
  const response = await graph.get<{ value?: { id?: string }[] }>(
    `Read whether ${props.principalId} is a direct member of group ${props.groupId}`,
    `/groups/${props.groupId}/members?$filter=${encodeURIComponent(filter)}&$count=true&$select=id`,
    { headers: { ConsistencyLevel: "eventual" } },
  );
  const member = (response.body?.value ?? []).some(
    (m) => m.id?.toLowerCase() === props.principalId.toLowerCase(),
  );
  if (!member) return;
  throw new Error(
    `${props.principalId} is already a direct member of group ${props.groupId} (not through PIM for Groups), so ` +
      "entra-tap does not assign a PIM membership over it: when the PIM assignment ends, at the grant's expiry or " +
      "when the grant is removed, Entra may remove that membership with it, and entra-tap did not make it. " +
      "Remove the direct membership first if the user should hold it only for the grant, or give the grant " +
      "membership: direct. If the membership was PIM's own and ended within the last minutes, Graph's index may " +
      "still list it: run pulumi up again later.",
  );
}

function scheduleEnd(schedule: GraphAssignmentSchedule): string | undefined {
  const end = schedule.scheduleInfo?.expiration?.endDateTime;
  return end ? new Date(end).toISOString() : undefined;
}

/** One request to PIM: assign, update (a new end) or remove the membership. Repeated only once read back. */
async function requestSchedule(
  graph: GraphClient,
  action: "adminAssign" | "adminUpdate" | "adminRemove",
  props: PimGroupMembershipInputs,
): Promise<void> {
  const body = {
    accessId: "member",
    principalId: props.principalId,
    groupId: props.groupId,
    action,
    justification: props.justification,
    ...(action === "adminRemove"
      ? {}
      : {
          // The membership starts when it is applied, as a direct membership does: a pass can only be issued to a
          // member, and is issued before a grant that starts later begins.
          scheduleInfo: {
            startDateTime: new Date().toISOString(),
            expiration: { type: "afterDateTime", endDateTime: props.endDateTime },
          },
          ...(props.ticketNumber
            ? { ticketInfo: { ticketNumber: props.ticketNumber, ticketSystem: "entra-tap" } }
            : {}),
        }),
  };
  await graph.post(
    `${action} the PIM membership of ${props.principalId} in group ${props.groupId}`,
    pimScheduleRequestsPath,
    body,
  );
}

/** What a request should have left in PIM, for reading back after a lost answer. */
function settled(action: "adminAssign" | "adminUpdate" | "adminRemove", props: PimGroupMembershipInputs) {
  return (schedule: GraphAssignmentSchedule | undefined) =>
    action === "adminRemove"
      ? schedule === undefined
      : schedule !== undefined && Date.parse(scheduleEnd(schedule) ?? "") === Date.parse(props.endDateTime);
}

/**
 * Sends the request; when its answer is lost (the outcome unknown), reads PIM: done if the membership is as asked,
 * sent once more if not. A schedule request is never repeated blindly: a second `adminAssign` of an existing
 * membership is refused by PIM, and a removal repeated after it succeeded would fail.
 */
async function requestAndConfirm(
  graph: GraphClient,
  action: "adminAssign" | "adminUpdate" | "adminRemove",
  props: PimGroupMembershipInputs,
): Promise<GraphAssignmentSchedule | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await requestSchedule(graph, action, props);
      break;
    } catch (error) {
      if (!(isGraphRequestError(error) && error.outcomeUnknown) || attempt >= 2) throw error;
      if (settled(action, props)(await currentSchedule(graph, props))) break;
    }
  }
  const after = await currentSchedule(graph, props);
  if (!settled(action, props)(after)) {
    // Accepted but not in effect: a request waiting for approval (PIM settings of the group), or a contract change.
    throw new Error(
      `PIM accepted the ${action} of ${props.principalId} in group ${props.groupId}, but the membership is not ` +
        `as asked when read back (${after ? `ends ${scheduleEnd(after) ?? "never"}` : "no assignment"}). ` +
        "Check the group's PIM settings: an assignment that needs approval cannot be managed by entra-tap.",
    );
  }
  return after;
}

const replaceKeys = ["cloud", "groupId", "principalId"] as const;
const updateKeys = ["endDateTime", "justification", "ticketNumber"] as const;

export const pimGroupMembershipProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Record<string, unknown>, news: Record<string, unknown>) {
    const checked = checkInputs(pimGroupMembershipSchema(), news, "pimMembership");
    // Never create a schedule that has ended already: PIM would refuse it, or Entra remove it at once.
    if (checked.inputs && olds.groupId === undefined && hasEnded(checked.inputs.endDateTime)) {
      const end = JSON.stringify(checked.inputs.endDateTime);
      return {
        failures: [
          {
            property: "endDateTime",
            reason: `pimMembership.endDateTime: ${end} has passed; a new PIM membership must end in the future`,
          },
        ],
      };
    }
    return checked;
  },

  async diff(_id: string, olds: PimGroupMembershipOutputs, news: PimGroupMembershipInputs) {
    const replaces = replaceKeys.filter((key) => olds[key] !== news[key]);
    const changes = updateKeys.filter((key) =>
      key === "endDateTime" ? Date.parse(olds[key]) !== Date.parse(news[key]) : olds[key] !== news[key],
    );
    // Ended in the state: nothing is left in PIM to change, unless the grant was extended past now (assigned again).
    if (olds.status === "ended" && replaces.length === 0 && hasEnded(news.endDateTime))
      return { changes: false };
    // One membership per user and group: the old one goes before the new one is assigned.
    return { changes: replaces.length + changes.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: PimGroupMembershipInputs): Promise<pulumi.dynamic.CreateResult> {
    const graph = graphClientFromEnvironment(inputs.cloud);
    // An assignment already there (made by hand, or by a run whose answer was lost) is adopted and given this end.
    const existing = await currentSchedule(graph, inputs);
    if (!existing) await refuseOverDirectMembership(graph, inputs);
    const schedule = existing
      ? Date.parse(scheduleEnd(existing) ?? "") === Date.parse(inputs.endDateTime)
        ? existing
        : await requestAndConfirm(graph, "adminUpdate", inputs)
      : await requestAndConfirm(graph, "adminAssign", inputs);
    const outs: PimGroupMembershipOutputs = {
      ...inputs,
      scheduleId: schedule!.id,
      scheduleStartDateTime: schedule!.scheduleInfo?.startDateTime ?? new Date().toISOString(),
      status: "assigned",
    };
    return { id: schedule!.id, outs };
  },

  async read(id: string, props: PimGroupMembershipOutputs): Promise<pulumi.dynamic.ReadResult> {
    if (props.status === "ended") return { id, props };
    const { schedule, entraNow } = await readSchedule(graphClientFromEnvironment(props.cloud), props);
    if (!schedule) {
      // Gone at (or about) its end by Entra's clock: Entra ended it, as planned; kept in the state so it is never
      // re-created.
      if (hasEnded(props.endDateTime, entraNow + clockSkewMs))
        return { id, props: { ...props, status: "ended" } };
      // Removed by hand before its end: gone from the state, so the next `up` assigns it again.
      return {};
    }
    return {
      id: schedule.id,
      props: {
        ...props,
        scheduleId: schedule.id,
        // A changed end shows as drift, and the next `up` puts the grant's end back.
        endDateTime: scheduleEnd(schedule) ?? props.endDateTime,
        scheduleStartDateTime: schedule.scheduleInfo?.startDateTime ?? props.scheduleStartDateTime,
        status: "assigned",
      },
    };
  },

  async update(_id: string, olds: PimGroupMembershipOutputs, news: PimGroupMembershipInputs) {
    const graph = graphClientFromEnvironment(news.cloud);
    if (hasEnded(news.endDateTime)) {
      // Ended early, to a time already past: remove it now (PIM refuses an end in the past).
      if (!hasEnded(olds.endDateTime) && (await currentSchedule(graph, olds))) {
        await requestAndConfirm(graph, "adminRemove", { ...olds, justification: news.justification });
      }
      return { outs: { ...olds, ...news, status: "ended" } };
    }
    const existing = await currentSchedule(graph, news);
    // Assigned again (ended, or removed by hand): never over a direct membership, as at create.
    if (!existing) await refuseOverDirectMembership(graph, news);
    const schedule = existing
      ? await requestAndConfirm(graph, "adminUpdate", news)
      : await requestAndConfirm(graph, "adminAssign", news);
    return {
      outs: {
        ...olds,
        ...news,
        scheduleId: schedule!.id,
        scheduleStartDateTime: schedule!.scheduleInfo?.startDateTime ?? olds.scheduleStartDateTime,
        status: "assigned",
      },
    };
  },

  async delete(_id: string, props: PimGroupMembershipOutputs): Promise<void> {
    // Ended: Entra removed it (or is about to); asking PIM to remove an ended schedule is what breaks other tools.
    if (props.status === "ended" || hasEnded(props.endDateTime)) return;
    const graph = graphClientFromEnvironment(props.cloud);
    // Ended early (the grant removed or its expiry brought forward): remove it, unless it is gone already.
    if (!(await currentSchedule(graph, props))) return;
    try {
      await requestAndConfirm(graph, "adminRemove", props);
    } catch (error) {
      // Refused because Entra ended it meanwhile (its end was near): what was asked is done.
      if (!(await currentSchedule(graph, props))) return;
      throw error;
    }
  },
};

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };
export type PimGroupMembershipArgs = Inputs<Omit<PimGroupMembershipInputs, "cloud">> &
  Partial<Inputs<Pick<PimGroupMembershipInputs, "cloud">>>;

const outputKeys = ["scheduleId", "scheduleStartDateTime", "status"] as const;

/** The dynamic resource's type token, as Pulumi builds it from the module and the name given below. */
export const pimGroupMembershipType = `pulumi-nodejs:dynamic/${dynamicTypeModule}:PimGroupMembership`;

/** A time-bound member assignment through PIM for Groups, type `pulumi-nodejs:dynamic/entra:PimGroupMembership`. */
export class PimGroupMembership extends pulumi.dynamic.Resource {
  declare readonly scheduleId: pulumi.Output<string>;
  declare readonly scheduleStartDateTime: pulumi.Output<string>;
  declare readonly endDateTime: pulumi.Output<string>;
  declare readonly status: pulumi.Output<PimMembershipStatus>;

  constructor(name: string, args: PimGroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      pimGroupMembershipProvider,
      name,
      withOutputSeeds(outputKeys, args),
      opts,
      dynamicTypeModule,
      "PimGroupMembership",
    );
  }
}
