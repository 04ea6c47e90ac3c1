// A grant's time-bound group membership through PIM for Groups (Entra ID P2 or ID Governance): an active member
// assignment that Entra itself ends at the grant's expiry, even when no one runs `pulumi up`.
//
// entra-tap's own resource rather than azuread.PrivilegedAccessGroupAssignmentSchedule, for one reason: Entra removes a
// schedule once it has ended, and that resource then fails (a delete of the ended schedule panics,
// terraform-provider-azuread#1445; a refresh finds it gone and the next `up` re-creates it with an end in the past).
// Only the provider knows, at delete time, whether the schedule in the state has already ended (nothing to do) or is
// being ended early (remove it now); resource options cannot tell the two apart.
//
// Never over a direct membership: when a PIM assignment ends (at the expiry, or removed), Entra may take a direct
// membership of the same user with it, one that entra-tap did not make. What adminRemove does to a membership that was
// there before the assignment is not documented, so entra-tap refuses to assign PIM over one (see
// refuseOverDirectMembership) rather than find out in a tenant.
//
// Here the provider's lifecycle; the schedules, the schedule requests and that refusal are graph/pimForGroups.ts's.
import { z } from "zod";
import { graphClientFromEnvironment } from "./graph/client";
import * as graphPim from "./graph/pimForGroups";
import {
  currentSchedule,
  readSchedule,
  refuseOverDirectMembership,
  requestAndConfirm,
  scheduleEnd,
} from "./graph/pimForGroups";
import { clockSkewMs, hasEnded, justificationSchema, justificationText } from "./grant";
import type { CheckResult, CreateResult, ReadResult } from "@pulumi/pulumi/provider";
import { checkInputs, graphResourceType, graphScopeShape, type ResourceLifecycle } from "./providerInputs";
import { isoDateTime, objectId, strictObject } from "./validation";

function pimGroupMembershipSchema() {
  return strictObject({
    ...graphScopeShape(),
    groupId: objectId("the object id of the group (a GUID)"),
    principalId: objectId("the object id of the user (a GUID)"),
    /** When Entra ends the membership: the grant's expiry. */
    endDateTime: isoDateTime(),
    /** The grant's justification: PIM keeps it (as text) and its ticket with the assignment. */
    justification: justificationSchema(),
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

const replaceKeys = ["cloud", "groupId", "principalId"] as const;

/** What PIM is asked, in Graph's shape: the justification as text, and its ticket. */
function scheduleRequest(props: PimGroupMembershipInputs): graphPim.PimMembershipRequest {
  const { groupId, principalId, endDateTime, justification } = props;
  return {
    groupId,
    principalId,
    endDateTime,
    justification: justificationText(justification),
    ticketNumber: justification.ticket,
  };
}

/**
 * The provider's check at `now`: the inputs, and never a new schedule that has ended already (PIM would refuse it, or
 * Entra remove it at once). The offline plan runs it at the instant it judges the stack (--at), as the program does.
 */
export async function checkPimGroupMembership(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  now: number,
): Promise<CheckResult> {
  const checked = checkInputs(pimGroupMembershipSchema(), news, "pimMembership");
  if (checked.inputs && olds.groupId === undefined && hasEnded(checked.inputs.endDateTime, now)) {
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
}

export const pimGroupMembershipLifecycle: ResourceLifecycle = {
  inputSchema: pimGroupMembershipSchema,
  outputs: {
    scheduleId: { type: "string", description: "The schedule's id in PIM (its targetScheduleId)." },
    scheduleStartDateTime: {
      type: "string",
      description: "When the membership started, as Entra records it.",
    },
    status: { type: "string", description: "assigned, or ended (its end passed and Entra removed it)." },
  },

  check: (olds: Record<string, unknown>, news: Record<string, unknown>) =>
    checkPimGroupMembership(olds, news, Date.now()),

  async diff(_id: string, olds: PimGroupMembershipOutputs, news: PimGroupMembershipInputs) {
    const replaces = replaceKeys.filter((key) => olds[key] !== news[key]);
    const changes = [
      ...(Date.parse(olds.endDateTime) !== Date.parse(news.endDateTime) ? ["endDateTime"] : []),
      ...(justificationText(olds.justification) !== justificationText(news.justification)
        ? ["justification"]
        : []),
      ...(olds.tenantId !== news.tenantId ? ["tenantId"] : []),
    ];
    // Ended in the state: nothing is left in PIM to change, unless the grant was extended past now (assigned again).
    if (olds.status === "ended" && replaces.length === 0 && hasEnded(news.endDateTime, Date.now()))
      return { changes: false };
    // One membership per user and group: the old one goes before the new one is assigned.
    return { changes: replaces.length + changes.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: PimGroupMembershipInputs): Promise<CreateResult> {
    const graph = graphClientFromEnvironment(inputs);
    // An assignment already there (made by hand, or by a run whose answer was lost) is adopted and given this end.
    const existing = await currentSchedule(graph, inputs);
    if (!existing) await refuseOverDirectMembership(graph, inputs);
    const schedule = existing
      ? Date.parse(scheduleEnd(existing) ?? "") === Date.parse(inputs.endDateTime)
        ? existing
        : await requestAndConfirm(graph, "adminUpdate", scheduleRequest(inputs))
      : await requestAndConfirm(graph, "adminAssign", scheduleRequest(inputs));
    const outs: PimGroupMembershipOutputs = {
      ...inputs,
      scheduleId: schedule!.id,
      scheduleStartDateTime: schedule!.scheduleInfo?.startDateTime ?? new Date().toISOString(),
      status: "assigned",
    };
    return { id: schedule!.id, outs };
  },

  async read(id: string, props: PimGroupMembershipOutputs): Promise<ReadResult> {
    if (props.status === "ended") return { id, props };
    const { schedule, entraNow } = await readSchedule(graphClientFromEnvironment(props), props);
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
    // The stack named its tenant, and nothing else changed: the state records it, PIM is not asked.
    if (
      Date.parse(olds.endDateTime) === Date.parse(news.endDateTime) &&
      justificationText(olds.justification) === justificationText(news.justification)
    ) {
      return { outs: { ...olds, ...news } };
    }
    const graph = graphClientFromEnvironment(news);
    if (hasEnded(news.endDateTime, Date.now())) {
      // Ended early, to a time already past: remove it now (PIM refuses an end in the past).
      if (!hasEnded(olds.endDateTime, Date.now()) && (await currentSchedule(graph, olds))) {
        await requestAndConfirm(
          graph,
          "adminRemove",
          scheduleRequest({ ...olds, justification: news.justification }),
        );
      }
      return { outs: { ...olds, ...news, status: "ended" } };
    }
    const existing = await currentSchedule(graph, news);
    // Assigned again (ended, or removed by hand): never over a direct membership, as at create.
    if (!existing) await refuseOverDirectMembership(graph, news);
    const schedule = existing
      ? await requestAndConfirm(graph, "adminUpdate", scheduleRequest(news))
      : await requestAndConfirm(graph, "adminAssign", scheduleRequest(news));
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
    if (props.status === "ended" || hasEnded(props.endDateTime, Date.now())) return;
    const graph = graphClientFromEnvironment(props);
    // Ended early (the grant removed or its expiry brought forward): remove it, unless it is gone already.
    if (!(await currentSchedule(graph, props))) return;
    try {
      await requestAndConfirm(graph, "adminRemove", scheduleRequest(props));
    } catch (error) {
      // Refused because Entra ended it meanwhile (its end was near): what was asked is done.
      if (!(await currentSchedule(graph, props))) return;
      throw error;
    }
  },
};

/** The resource's type token: a resource of entra-tap's provider plugin. */
export const pimGroupMembershipType = graphResourceType("PimGroupMembership");
