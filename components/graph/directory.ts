// Directory reads in Graph: users, groups and their members, and the authentication methods registration report.
// Read-only. Per-item reads go 20 to a JSON batch; member lists 999 to a page.
import { batchAll } from "./batch";
import type { GraphClient } from "./client";
import { batchFailure } from "./errors";

/** A user as the reads below select it. */
export interface GraphUser {
  id: string;
  userPrincipalName: string | null;
}

/** A group as the reads below select it. */
export interface GraphGroup {
  id: string;
  displayName: string;
}

/**
 * The registration report lists the methods each user has registered; Microsoft's description of the report
 * ("Methods registered": ... Temporary Access Pass ...) names TAP among them, and the report can be filtered with
 * `methodsRegistered/any(m:m eq '<method>')`. Sources: learn.microsoft.com/entra/identity/authentication/
 * howto-authentication-methods-activity (user registration details; "the data in the report is not updated in
 * real-time and may reflect a latency of up to a few hours"), learn.microsoft.com/graph/api/resources/
 * userregistrationdetails (methodsRegistered: string collection, `$filter` with `any`/`eq`) and
 * learn.microsoft.com/graph/api/authenticationmethodsroot-list-userregistrationdetails (AuditLog.Read.All; not for
 * disabled users). The value's spelling, `temporaryAccessPass`, is the one Graph's usage reports use
 * (usageAuthMethod); the v1.0 page gives only examples, so a wrong spelling would make the report empty: the review
 * says how many holders the report gave, and --full-scan reads everyone.
 */
const registrationReportPath =
  "/reports/authenticationMethods/userRegistrationDetails?$filter=" +
  encodeURIComponent("methodsRegistered/any(m:m eq 'temporaryAccessPass')");

/** Transitive members cast to users: an advanced query (ConsistencyLevel: eventual and $count=true). */
function transitiveMembersPath(groupId: string): string {
  return (
    `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user` +
    "?$select=id,userPrincipalName&$top=999&$count=true"
  );
}

/** The header of Graph's advanced queries (https://learn.microsoft.com/en-us/graph/aad-advanced-queries). */
function advancedQuery(): Record<string, string> {
  return { ConsistencyLevel: "eventual" };
}

/** `$filter` text for a string: single quotes doubled, as OData escapes them. */
function odataString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Display names of groups by id (batched); a group Graph does not know is left out. */
export async function groupNames(
  graph: GraphClient,
  ids: readonly string[],
  concurrency = 4,
): Promise<Map<string, string>> {
  const answers = await batchAll<GraphGroup>(
    graph,
    "Read the names of the TAP policy's groups",
    ids.map((id, index) => ({
      id: String(index),
      method: "GET",
      url: `/groups/${encodeURIComponent(id)}?$select=id,displayName`,
    })),
    { concurrency },
  );
  const names = new Map<string, string>();
  answers.forEach((answer, index) => {
    if (answer.status === 404) return;
    if (answer.status !== 200) throw batchFailure(`Read group ${ids[index]}`, answer);
    names.set(ids[index], answer.body?.displayName ?? "");
  });
  return names;
}

/** The groups of each display name (batched), in the order of `displayNames`: none, one, or more. */
export async function groupsByDisplayName(
  graph: GraphClient,
  operation: string,
  displayNames: readonly string[],
  concurrency?: number,
): Promise<GraphGroup[][]> {
  const answers = await batchAll<{ value?: GraphGroup[] }>(
    graph,
    operation,
    displayNames.map((displayName, index) => ({
      id: String(index),
      method: "GET",
      url: `/groups?$filter=${encodeURIComponent(`displayName eq ${odataString(displayName)}`)}&$select=id,displayName`,
    })),
    { concurrency },
  );
  return answers.map((answer, index) => {
    if (answer.status !== 200) throw batchFailure(`Find group "${displayNames[index]}"`, answer);
    return answer.body?.value ?? [];
  });
}

/** The users among a group's members, direct and nested, a page of 999 at a time. */
export async function transitiveUserMembers(
  graph: GraphClient,
  groupId: string,
  displayName: string | undefined,
): Promise<GraphUser[]> {
  return graph.getAllPages<GraphUser>(
    `Read the members of group "${displayName}" (${groupId})`,
    transitiveMembersPath(groupId),
    { headers: advancedQuery() },
  );
}

/**
 * Users by user principal name or object id (batched), in the order of `users`; undefined for one Graph does not know.
 */
export async function usersById(
  graph: GraphClient,
  operation: string,
  users: readonly string[],
  concurrency?: number,
): Promise<(GraphUser | undefined)[]> {
  const answers = await batchAll<GraphUser>(
    graph,
    operation,
    users.map((user, index) => ({
      id: String(index),
      method: "GET",
      url: `/users/${encodeURIComponent(user)}?$select=id,userPrincipalName`,
    })),
    { concurrency },
  );
  return answers.map((answer, index) => {
    if (answer.status === 404) return undefined;
    if (answer.status !== 200 || !answer.body) throw batchFailure(`Read user ${users[index]}`, answer);
    return answer.body;
  });
}

/** Every user of the tenant, a page of 999 at a time. */
export async function listUsers(graph: GraphClient, operation: string): Promise<GraphUser[]> {
  return graph.getAllPages<GraphUser>(operation, "/users?$select=id,userPrincipalName&$top=999");
}

/** The users the registration report lists with a Temporary Access Pass (see `registrationReportPath`). */
export async function registeredPassHolders(
  graph: GraphClient,
  operation: string,
): Promise<(GraphUser & { methodsRegistered?: string[] })[]> {
  return graph.getAllPages<GraphUser & { methodsRegistered?: string[] }>(operation, registrationReportPath);
}

/**
 * Whether a user is a direct member of a group (not through a nested group). Read with List members,
 * `GET /groups/{id}/members`, which is not transitive (https://learn.microsoft.com/en-us/graph/api/group-list-members):
 * a membership through a nested group is not reported (checkMemberGroups is transitive, and would report it). Its
 * `$filter` needs the advanced query parameters, `ConsistencyLevel: eventual` and `$count=true`
 * (https://learn.microsoft.com/en-us/graph/aad-advanced-queries), and so reads an index that may lag a change of the
 * last minutes. Permission GroupMember.Read.All, or GroupMember.ReadWrite.All.
 */
export async function isDirectMember(
  graph: GraphClient,
  groupId: string,
  principalId: string,
): Promise<boolean> {
  const filter = `id eq '${principalId}'`;
  const response = await graph.get<{ value?: { id?: string }[] }>(
    `Read whether ${principalId} is a direct member of group ${groupId}`,
    `/groups/${groupId}/members?$filter=${encodeURIComponent(filter)}&$count=true&$select=id`,
    { headers: advancedQuery() },
  );
  return (response.body?.value ?? []).some((m) => m.id?.toLowerCase() === principalId.toLowerCase());
}
