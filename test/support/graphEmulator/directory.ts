// The directory as Graph serves it: users, groups, members (direct, and transitive through nested groups) and the
// authentication methods registration report, with Graph's paging, `$select` and advanced-query rules. Read-only
// over HTTP; tests fill it with addUser, addGroup, addMember and nestGroup.
import { randomUUID } from "node:crypto";
import { type CapturedAnswer, type EmulatedRequest, GraphHttpError, jsonAnswer, page } from "./http";
import type { EmulatedGroup, EmulatedTenant, EmulatedUser } from "./model";

/** The value of `methodsRegistered` that the registration report gives a Temporary Access Pass. */
export const tapRegistrationMethod = "temporaryAccessPass";

export function addGroup(tenant: EmulatedTenant, group: { id?: string; displayName: string }): EmulatedGroup {
  const created: EmulatedGroup = {
    id: (group.id ?? randomUUID()).toLowerCase(),
    displayName: group.displayName,
    nestedGroups: new Set(),
  };
  tenant.groups.set(created.id, created);
  return created;
}

export function nestGroup(tenant: EmulatedTenant, parentId: string, childId: string): void {
  tenant.groups.get(parentId)!.nestedGroups.add(childId);
}

export function addUser(
  tenant: EmulatedTenant,
  user: { id?: string; userPrincipalName: string; userType?: "Member" | "Guest" },
): EmulatedUser {
  const created: EmulatedUser = {
    id: user.id ?? randomUUID(),
    userPrincipalName: user.userPrincipalName,
    userType: user.userType ?? "Member",
    memberOf: new Map(),
    methods: [],
  };
  tenant.users.set(created.id, created);
  return created;
}

export function addMember(
  tenant: EmulatedTenant,
  groupId: string,
  userId: string,
  replicationDelayMs: number,
): void {
  findUser(tenant, userId)!.memberOf.set(groupId, tenant.now() + replicationDelayMs);
}

/** A user by object id or user principal name (as a URL segment holds it), or undefined. */
export function findUser(tenant: EmulatedTenant, idOrUpn: string): EmulatedUser | undefined {
  const key = decodeURIComponent(idOrUpn).toLowerCase();
  return (
    tenant.users.get(key) ??
    [...tenant.users.values()].find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key)
  );
}

export function requireUser(tenant: EmulatedTenant, idOrUpn: string): EmulatedUser {
  const user = findUser(tenant, idOrUpn);
  if (!user) {
    throw new GraphHttpError(
      404,
      "Request_ResourceNotFound",
      `Resource '${decodeURIComponent(idOrUpn)}' does not exist.`,
    );
  }
  return user;
}

export function requireGroup(tenant: EmulatedTenant, id: string): EmulatedGroup {
  const group = tenant.groups.get(decodeURIComponent(id).toLowerCase());
  if (!group) {
    throw new GraphHttpError(
      404,
      "Request_ResourceNotFound",
      `Resource '${decodeURIComponent(id)}' does not exist.`,
    );
  }
  return group;
}

/**
 * Reads of users, groups, members and the registration report, with Graph's paging and query rules; undefined for
 * any other request. Next links point to `linkOrigin`.
 */
export function route(
  tenant: EmulatedTenant,
  request: EmulatedRequest,
  linkOrigin: string,
): CapturedAnswer | undefined {
  if (request.method !== "GET") return undefined;
  const { path, query } = request;
  const select = query
    .get("$select")
    ?.split(",")
    .map((field) => field.trim());
  if (path === "/v1.0/users") {
    return page(
      request,
      linkOrigin,
      [...tenant.users.values()].map((u) => userView(u, select)),
    );
  }
  const user = /^\/v1\.0\/users\/([^/]+)$/.exec(path);
  if (user) return jsonAnswer(200, userView(requireUser(tenant, user[1]), select));
  if (path === "/v1.0/groups") return groupsRead(tenant, request, linkOrigin, select);
  const group = /^\/v1\.0\/groups\/([^/]+)$/.exec(path);
  if (group) return jsonAnswer(200, groupView(requireGroup(tenant, group[1]), select));
  const directMembers = /^\/v1\.0\/groups\/([^/]+)\/members$/.exec(path);
  if (directMembers) return directMembersRead(tenant, request, linkOrigin, directMembers[1]);
  const members = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/.exec(path);
  if (members) return transitiveMembersRead(tenant, request, linkOrigin, members[1], select);
  if (path === "/v1.0/reports/authenticationMethods/userRegistrationDetails") {
    return registrationReportRead(tenant, request, linkOrigin);
  }
  return undefined;
}

/** `GET /groups`: all of them, or those of one display name (`$filter=displayName eq '…'`, quotes doubled). */
function groupsRead(
  tenant: EmulatedTenant,
  request: EmulatedRequest,
  linkOrigin: string,
  select: string[] | undefined,
): CapturedAnswer {
  const filter = request.query.get("$filter");
  const byName = filter === null ? undefined : /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
  if (filter !== null && !byName) {
    throw new GraphHttpError(400, "Request_UnsupportedQuery", `Unsupported query: ${filter}`);
  }
  const name = byName?.[1].replaceAll("''", "'");
  const groups = [...tenant.groups.values()].filter((g) => name === undefined || g.displayName === name);
  return page(
    request,
    linkOrigin,
    groups.map((g) => groupView(g, select)),
  );
}

/**
 * `GET /groups/{id}/members?$filter=id eq '{objectId}'`: the group's direct members (not transitive: a member of a
 * nested group is not one), here only filtered by id. A `$filter` on members is an advanced query: ConsistencyLevel
 * and `$count=true` are required. A member through PIM for Groups is listed too: an active assignment makes the
 * principal a member of the group, as in Entra.
 */
function directMembersRead(
  tenant: EmulatedTenant,
  request: EmulatedRequest,
  linkOrigin: string,
  groupId: string,
): CapturedAnswer {
  const { query, headers } = request;
  const group = requireGroup(tenant, groupId);
  const filter = query.get("$filter");
  const byId = filter === null ? undefined : /^id eq '([^']*)'$/.exec(filter.trim());
  if (!byId) {
    throw new GraphHttpError(400, "Request_UnsupportedQuery", `Unsupported query: ${filter ?? "(none)"}`);
  }
  if (headers.consistencylevel !== "eventual" || query.get("$count") !== "true") {
    throw new GraphHttpError(
      400,
      "Request_UnsupportedQuery",
      "A $filter on members is only supported with 'ConsistencyLevel: eventual' and '$count=true'.",
    );
  }
  const wanted = byId[1].toLowerCase();
  const members = [
    ...[...tenant.users.values()]
      .filter((u) => u.memberOf.has(group.id))
      .map((u) => ({ "@odata.type": "#microsoft.graph.user", id: u.id })),
    ...[...group.nestedGroups].map((id) => ({ "@odata.type": "#microsoft.graph.group", id })),
  ].filter((member) => member.id.toLowerCase() === wanted);
  const answer = page(request, linkOrigin, members);
  return { ...answer, body: { "@odata.count": members.length, ...(answer.body as object) } };
}

/** `GET /groups/{id}/transitiveMembers/microsoft.graph.user`: the users in the group or any group nested in it. */
function transitiveMembersRead(
  tenant: EmulatedTenant,
  request: EmulatedRequest,
  linkOrigin: string,
  groupId: string,
  select: string[] | undefined,
): CapturedAnswer {
  // An OData cast on a transitive members list is an advanced query: ConsistencyLevel and $count are required.
  if (request.headers.consistencylevel !== "eventual" || request.query.get("$count") !== "true") {
    throw new GraphHttpError(
      400,
      "Request_UnsupportedQuery",
      "The specified type cast is only supported with 'ConsistencyLevel: eventual' and '$count=true'.",
    );
  }
  const groupIds = nestedClosure(tenant, requireGroup(tenant, groupId).id);
  const users = [...tenant.users.values()].filter((u) => [...u.memberOf.keys()].some((g) => groupIds.has(g)));
  return page(
    request,
    linkOrigin,
    users.map((u) => ({ "@odata.type": "#microsoft.graph.user", ...userView(u, select) })),
    999,
  );
}

/** The registration report's pass holders: those whose pass it has caught up with (`registrationReportLagMs`). */
function registrationReportRead(
  tenant: EmulatedTenant,
  request: EmulatedRequest,
  linkOrigin: string,
): CapturedAnswer {
  const filter = request.query.get("$filter");
  if (
    filter !== null &&
    filter.replaceAll(" ", "") !== `methodsRegistered/any(m:meq'${tapRegistrationMethod}')`
  ) {
    throw new GraphHttpError(400, "Request_UnsupportedQuery", `Unsupported query: ${filter}`);
  }
  const reported = [...tenant.users.values()].filter(
    (u) => u.tap && Date.parse(u.tap.createdDateTime) + tenant.registrationReportLagMs <= tenant.now(),
  );
  return page(
    request,
    linkOrigin,
    reported.map((u) => ({
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      userType: u.userType.toLowerCase(),
      methodsRegistered: [tapRegistrationMethod],
    })),
  );
}

/** The group and every group nested in it, at any depth. */
export function nestedClosure(tenant: EmulatedTenant, groupId: string): Set<string> {
  const seen = new Set([groupId]);
  const queue = [groupId];
  while (queue.length > 0) {
    for (const child of tenant.groups.get(queue.pop()!)?.nestedGroups ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return seen;
}

/** A user as Graph shows it: the `$select`ed fields, or a default set. */
function userView(user: EmulatedUser, select: string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userType: user.userType,
  };
  return select ? Object.fromEntries(select.map((field) => [field, all[field] ?? null])) : all;
}

function groupView(group: EmulatedGroup, select: string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = { id: group.id, displayName: group.displayName };
  return select ? Object.fromEntries(select.map((field) => [field, all[field] ?? null])) : all;
}
