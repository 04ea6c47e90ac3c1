// Reads what the review needs from the live tenant, through the project's Graph client: the TAP policy, the names and
// transitive members of the groups it targets and excludes (and of the stack's own), the grants' users, and the pass
// of every user in scope. Per-user reads go 20 to a JSON batch, a few batches at a time.
import {
  type GraphBatchResponse,
  type GraphClient,
  isGraphRequestError,
  mapWithConcurrency,
} from "../../components/graphClient";
import { allUsersTarget, type TapPolicySettings } from "../../components/tapPolicySettings";
import {
  tapPolicyPath,
  tapPolicySettingsFromGraph,
} from "../../components/temporaryAccessPassPolicyProvider";
import { passEndDateTime, passMethodsPath } from "../../components/userTemporaryAccessPass";
import type { StackConfig } from "../../config";

/** A pass as Graph lists it (never with its passcode: Graph returns that only when a pass is issued). */
export interface ScannedPass {
  id: string;
  createdDateTime: string;
  startDateTime: string;
  /** Start plus lifetime. */
  endDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: string | null;
}

export interface ScannedUser {
  id: string;
  userPrincipalName: string;
  /** Undefined when the user holds no pass. */
  pass: ScannedPass | undefined;
}

export interface ScannedGroup {
  id: string;
  /** From Graph; undefined when the group was not found. */
  displayName: string | undefined;
  role: "target" | "exclusion";
  /** Its key in entra-tap:audience, when the stack declares it there. */
  key: string | undefined;
  inLivePolicy: boolean;
  inStack: boolean;
  found: boolean;
  /** Object ids of its users, direct and nested. */
  memberIds: string[];
}

/** How the users who may hold a pass were found. */
export type HolderSource = "groups" | "registrationReport" | "fullScan";

export interface TenantScan {
  policy: TapPolicySettings;
  /** The policy targets all users (live, or as the stack declares it). */
  allUsers: boolean;
  holders: HolderSource;
  groups: ScannedGroup[];
  /** Users the live policy targets or excludes one by one (targetType user). */
  userTargets: string[];
  excludedUserTargets: string[];
  /** Every user whose pass was read, with what was found. */
  users: ScannedUser[];
  /** Each grant's user as written (lower case) → object id; null when Graph has no such user. */
  grantUsers: Record<string, string | null>;
  notes: string[];
}

export interface ScanOptions {
  /** With `all_users`, read every user's pass instead of the registration report's pass holders. */
  fullScan: boolean;
  /** Batches (or member listings) in flight at once. */
  concurrency: number;
  /** Progress of the pass reads, the long part of a scan. */
  onProgress?: (done: number, total: number) => void;
  /** Called once the number of pass reads is known. */
  onPassReadsPlanned?: (total: number) => void;
}

interface GraphUser {
  id: string;
  userPrincipalName: string | null;
}

interface GraphPass {
  id: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: string | null;
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
export const registrationReportPath =
  "/reports/authenticationMethods/userRegistrationDetails?$filter=" +
  encodeURIComponent("methodsRegistered/any(m:m eq 'temporaryAccessPass')");

/** Transitive members cast to users: an advanced query (ConsistencyLevel: eventual and $count=true). */
export function transitiveMembersPath(groupId: string): string {
  return (
    `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user` +
    "?$select=id,userPrincipalName&$top=999&$count=true"
  );
}
const advancedQuery = { ConsistencyLevel: "eventual" };

/** A batch answer that is not 2xx, as an error naming the operation, the status and Graph's code. */
export function batchFailure(operation: string, answer: GraphBatchResponse): Error {
  const error = (answer.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new Error(
    `${operation} failed: HTTP ${answer.status} ${error?.code ?? "UnknownError"}: ${error?.message ?? "Graph returned no error details"}`,
  );
}

/** `$filter` text for a display name: single quotes doubled, as OData escapes them. */
function odataString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Display names of groups by id (batched); a group Graph does not know is left out. */
export async function groupNames(
  graph: GraphClient,
  ids: readonly string[],
  concurrency = 4,
): Promise<Map<string, string>> {
  const answers = await graph.batchAll<{ id: string; displayName: string }>(
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

export async function scanTenant(
  graph: GraphClient,
  config: StackConfig,
  options: ScanOptions,
): Promise<TenantScan> {
  const notes: string[] = [];
  const policy = tapPolicySettingsFromGraph(
    (await graph.get<unknown>("Read the TemporaryAccessPass policy", tapPolicyPath)).body,
  );

  // The groups: the live policy's and the stack's (existing ones by id; ones entra-tap creates by display name).
  const groups = new Map<string, ScannedGroup>();
  const addGroup = (id: string, role: ScannedGroup["role"], from: Partial<ScannedGroup>) => {
    const key = `${role}:${id.toLowerCase()}`;
    const existing = groups.get(key);
    groups.set(key, {
      id: id.toLowerCase(),
      displayName: undefined,
      role,
      key: from.key ?? existing?.key,
      inLivePolicy: Boolean(from.inLivePolicy || existing?.inLivePolicy),
      inStack: Boolean(from.inStack || existing?.inStack),
      found: false,
      memberIds: [],
    });
  };
  const groupTarget = (t: { id: string; targetType?: string }) =>
    (t.targetType ?? "group") === "group" && t.id !== allUsersTarget;
  for (const target of policy.includeTargets.filter(groupTarget)) {
    addGroup(target.id, "target", { inLivePolicy: true });
  }
  for (const target of policy.excludeTargets.filter(groupTarget)) {
    addGroup(target.id, "exclusion", { inLivePolicy: true });
  }
  for (const target of config.policy.includeTargets.filter((t) => t.id !== allUsersTarget)) {
    addGroup(target.id, "target", { inStack: true });
  }
  for (const target of config.policy.excludeTargets) addGroup(target.id, "exclusion", { inStack: true });

  const byName: { key: string; role: ScannedGroup["role"]; displayName: string }[] = [];
  const audience = config.audience;
  for (const [role, entries] of [
    ["target", audience?.targets ?? {}],
    ["exclusion", audience?.exclusions ?? {}],
  ] as const) {
    for (const [key, group] of Object.entries(entries)) {
      if (group.objectId) addGroup(group.objectId, role, { inStack: true, key });
      else byName.push({ key, role, displayName: group.displayName! });
    }
  }
  // Groups entra-tap creates have no id in the config: Graph finds them by display name (unique: entra-tap creates
  // them with preventDuplicateNames).
  const lookups = await graph.batchAll<{ value?: { id: string; displayName: string }[] }>(
    "Find the stack's groups by display name",
    byName.map((group, index) => ({
      id: String(index),
      method: "GET",
      url: `/groups?$filter=${encodeURIComponent(`displayName eq ${odataString(group.displayName)}`)}&$select=id,displayName`,
    })),
    { concurrency: options.concurrency },
  );
  lookups.forEach((answer, index) => {
    const group = byName[index];
    if (answer.status !== 200) throw batchFailure(`Find group "${group.displayName}"`, answer);
    const found = answer.body?.value ?? [];
    if (found.length === 1) {
      addGroup(found[0].id, group.role, { inStack: true, key: group.key });
    } else {
      notes.push(
        found.length === 0
          ? `group "${group.displayName}" (entra-tap:audience key ${group.key}) does not exist yet: its members and grants' memberships are not checked`
          : `${found.length} groups are named "${group.displayName}" (entra-tap:audience key ${group.key}): its grants' memberships are not checked`,
      );
    }
  });

  const scanned = [...groups.values()];
  const names = await groupNames(graph, [...new Set(scanned.map((g) => g.id))], options.concurrency);
  for (const group of scanned) {
    group.found = names.has(group.id);
    group.displayName = names.get(group.id);
    if (!group.found) {
      notes.push(`group ${group.id} (${group.role === "target" ? "targeted" : "excluded"}) does not exist`);
    }
  }

  // Transitive members of every group found, a page of 999 at a time.
  const users = new Map<string, { id: string; userPrincipalName: string }>();
  const remember = (user: GraphUser) => {
    const id = user.id.toLowerCase();
    if (!users.has(id)) users.set(id, { id, userPrincipalName: user.userPrincipalName ?? id });
    return id;
  };
  await mapWithConcurrency(
    scanned.filter((g) => g.found),
    options.concurrency,
    async (group) => {
      const members = await graph.getAllPages<GraphUser>(
        `Read the members of group "${group.displayName}" (${group.id})`,
        transitiveMembersPath(group.id),
        { headers: advancedQuery },
      );
      group.memberIds = members.map(remember);
    },
  );
  const candidates = new Set(scanned.filter((g) => g.role === "target").flatMap((g) => g.memberIds));
  // Excluded members can hold a pass too (unusable while excluded): their passes are read and shown.
  for (const id of scanned.filter((g) => g.role === "exclusion").flatMap((g) => g.memberIds)) {
    candidates.add(id);
  }

  // Users targeted one by one, and every grant's user: by id or user principal name.
  const userTargets = policy.includeTargets
    .filter((t) => t.targetType === "user")
    .map((t) => t.id.toLowerCase());
  const excludedUserTargets = policy.excludeTargets
    .filter((t) => t.targetType === "user")
    .map((t) => t.id.toLowerCase());
  const upnIndex = () => new Map([...users.values()].map((u) => [u.userPrincipalName.toLowerCase(), u.id]));
  const knownByUpn = upnIndex();
  const wanted = [
    ...new Set([...userTargets, ...excludedUserTargets, ...config.grants.map((g) => g.user.toLowerCase())]),
  ];
  const unknown = wanted.filter((user) => !users.has(user) && !knownByUpn.has(user));
  const lookedUp = await graph.batchAll<GraphUser>(
    "Read the grants' and targeted users",
    unknown.map((user, index) => ({
      id: String(index),
      method: "GET",
      url: `/users/${encodeURIComponent(user)}?$select=id,userPrincipalName`,
    })),
    { concurrency: options.concurrency },
  );
  const missing = new Set<string>();
  lookedUp.forEach((answer, index) => {
    if (answer.status === 404) {
      missing.add(unknown[index]);
      return;
    }
    if (answer.status !== 200 || !answer.body) throw batchFailure(`Read user ${unknown[index]}`, answer);
    remember(answer.body);
  });
  const byUpn = upnIndex();
  const idOf = (user: string): string | null => {
    const key = user.toLowerCase();
    if (missing.has(key)) return null;
    return users.has(key) ? key : (byUpn.get(key) ?? null);
  };
  const grantUsers: Record<string, string | null> = {};
  for (const grant of config.grants) {
    const id = idOf(grant.user);
    grantUsers[grant.user.toLowerCase()] = id;
    if (id) candidates.add(id);
    else notes.push(`grant ${grant.name}: user ${grant.user} does not exist in the tenant`);
  }
  for (const user of [...userTargets, ...excludedUserTargets]) {
    const id = idOf(user);
    if (id) candidates.add(id);
  }

  // Everyone, when the policy targets all users: the registration report's pass holders, or every user.
  const allUsers =
    policy.includeTargets.some((t) => t.id === allUsersTarget) ||
    config.policy.includeTargets.some((t) => t.id === allUsersTarget);
  let holders: HolderSource = "groups";
  if (allUsers && options.fullScan) {
    holders = "fullScan";
    const everyone = await graph.getAllPages<GraphUser>(
      "Read every user (all_users: full scan)",
      "/users?$select=id,userPrincipalName&$top=999",
    );
    for (const user of everyone) candidates.add(remember(user));
  } else if (allUsers) {
    holders = "registrationReport";
    const reported = await graph
      .getAllPages<GraphUser & { methodsRegistered?: string[] }>(
        "Read the pass holders from the authentication methods registration report (all_users)",
        registrationReportPath,
      )
      .catch((error: unknown) => {
        if (isGraphRequestError(error) && (error.status === 403 || error.status === 401)) {
          throw new Error(
            `${error.message} (the registration report needs AuditLog.Read.All, and Entra ID P1 or P2; ` +
              "without them, --full-scan reads every user's pass instead)",
            { cause: error },
          );
        }
        throw error;
      });
    for (const user of reported) candidates.add(remember(user));
    notes.push(
      `all_users: ${reported.length} pass holders from the registration report, which can lag a few hours behind ` +
        "the directory and leaves out disabled users; --full-scan reads every user's pass",
    );
  }

  // Each candidate's pass, 20 users to a batch.
  const ids = [...candidates].sort();
  options.onPassReadsPlanned?.(ids.length);
  const answers = await graph.batchAll<{ value?: GraphPass[] }>(
    "Read the users' Temporary Access Passes",
    ids.map((id, index) => ({
      id: String(index),
      method: "GET",
      url: passMethodsPath(id),
    })),
    { concurrency: options.concurrency, onProgress: options.onProgress },
  );
  const scannedUsers: ScannedUser[] = [];
  answers.forEach((answer, index) => {
    const user = users.get(ids[index])!;
    if (answer.status === 404) {
      notes.push(`user ${user.userPrincipalName} was deleted during the review`);
      return;
    }
    if (answer.status !== 200) {
      throw batchFailure(`Read the Temporary Access Pass of ${user.userPrincipalName}`, answer);
    }
    const pass = answer.body?.value?.[0];
    scannedUsers.push({ ...user, pass: pass && scannedPass(pass) });
  });

  return {
    policy,
    allUsers,
    holders,
    groups: scanned,
    userTargets,
    excludedUserTargets,
    users: scannedUsers,
    grantUsers,
    notes,
  };
}

/** Only the fields the review shows: a passcode, were Graph ever to send one, is never kept. */
function scannedPass(pass: GraphPass): ScannedPass {
  return {
    id: pass.id,
    createdDateTime: pass.createdDateTime,
    startDateTime: pass.startDateTime,
    endDateTime: passEndDateTime(pass),
    lifetimeInMinutes: pass.lifetimeInMinutes,
    isUsableOnce: pass.isUsableOnce,
    isUsable: pass.isUsable,
    methodUsabilityReason: pass.methodUsabilityReason ?? null,
  };
}
