// Reads what the review needs from the live tenant, through the project's Graph client: the TAP policy, the names and
// transitive members of the groups it targets and excludes (and of the stack's own), the grants' users, and the pass
// of every user in scope. Per-user reads go 20 to a JSON batch, a few batches at a time.
import { mapWithConcurrency } from "../../components/graph/batch";
import type { GraphClient } from "../../components/graph/client";
import {
  type GraphUser,
  groupNames,
  groupsByDisplayName,
  listUsers,
  registeredPassHolders,
  transitiveUserMembers,
  usersById,
} from "../../components/graph/directory";
import { isGraphRequestError } from "../../components/graph/errors";
import { readTapPolicy } from "../../components/graph/tapPolicy";
import {
  type GraphTemporaryAccessPass,
  passEndDateTime,
  readUsersPasses,
} from "../../components/graph/userPasses";
import { allUsersTarget, type TapPolicySettings } from "../../components/tapPolicySettings";
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

export async function scanTenant(
  graph: GraphClient,
  config: StackConfig,
  options: ScanOptions,
): Promise<TenantScan> {
  const notes: string[] = [];
  const policy = await readTapPolicy(graph);

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
  const lookups = await groupsByDisplayName(
    graph,
    "Find the stack's groups by display name",
    byName.map((group) => group.displayName),
    options.concurrency,
  );
  lookups.forEach((found, index) => {
    const group = byName[index];
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
      const members = await transitiveUserMembers(graph, group.id, group.displayName);
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
  const lookedUp = await usersById(
    graph,
    "Read the grants' and targeted users",
    unknown,
    options.concurrency,
  );
  const missing = new Set<string>();
  lookedUp.forEach((user, index) => {
    if (user) remember(user);
    else missing.add(unknown[index]);
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
    const everyone = await listUsers(graph, "Read every user (all_users: full scan)");
    for (const user of everyone) candidates.add(remember(user));
  } else if (allUsers) {
    holders = "registrationReport";
    const reported = await registeredPassHolders(
      graph,
      "Read the pass holders from the authentication methods registration report (all_users)",
    ).catch((error: unknown) => {
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
  const reads = await readUsersPasses(
    graph,
    ids.map((id) => ({ id, name: users.get(id)!.userPrincipalName })),
    { concurrency: options.concurrency, onProgress: options.onProgress },
  );
  const scannedUsers: ScannedUser[] = [];
  reads.forEach((read, index) => {
    const user = users.get(ids[index])!;
    if (!read.userFound) {
      notes.push(`user ${user.userPrincipalName} was deleted during the review`);
      return;
    }
    scannedUsers.push({ ...user, pass: read.pass && scannedPass(read.pass) });
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
function scannedPass(pass: GraphTemporaryAccessPass): ScannedPass {
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
