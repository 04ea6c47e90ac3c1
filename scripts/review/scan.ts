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
import { type PassIssuer, passIssuers } from "../../components/graph/auditLogs";
import { type PhishingResistantMethod, readUsersMethods } from "../../components/graph/authenticationMethods";
import { isGraphRequestError } from "../../components/graph/errors";
import { readTapPolicy } from "../../components/graph/tapPolicy";
import { type GraphTemporaryAccessPass, passEndDateTime } from "../../components/graph/userPasses";
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

interface ScannedUser {
  id: string;
  userPrincipalName: string;
  /** Undefined when the user holds no pass. */
  pass: ScannedPass | undefined;
  /** The phishing-resistant methods the user has registered, with when. */
  phishingResistant: PhishingResistantMethod[];
}

interface ScannedGroup {
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
  /**
   * Who issued each pass, by user id, from the audit log: read only for passes no grant explains, and only when the
   * stack names known issuers (readPassIssuers). Undefined for a pass the log holds no entry for.
   */
  passIssuers: Record<string, PassIssuer | undefined>;
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

/** What the phases of a scan share: the client, the stack, the live policy, and what they have found so far. */
interface ScanContext {
  graph: GraphClient;
  config: StackConfig;
  options: ScanOptions;
  policy: TapPolicySettings;
  notes: string[];
  /** Every user met so far (a member, a grant's user, a pass holder), by lower-cased object id. */
  users: Map<string, { id: string; userPrincipalName: string }>;
  /** The users whose pass is read. */
  candidates: Set<string>;
}

/** Reads the tenant in phases: the policy, its groups and their members, the grants' users, everyone, the passes. */
export async function scanTenant(
  graph: GraphClient,
  config: StackConfig,
  options: ScanOptions,
): Promise<TenantScan> {
  const scan: ScanContext = {
    graph,
    config,
    options,
    policy: await readTapPolicy(graph),
    notes: [],
    users: new Map(),
    candidates: new Set(),
  };
  const groups = await declaredGroups(scan);
  await readGroupsAndMembers(scan, groups);
  const userTargets = usersTargetedOneByOne(scan.policy.includeTargets);
  const excludedUserTargets = usersTargetedOneByOne(scan.policy.excludeTargets);
  const grantUsers = await readGrantsAndTargetedUsers(scan, [...userTargets, ...excludedUserTargets]);
  const { allUsers, holders } = await readAllUsersHolders(scan);
  const users = await readPasses(scan);
  return {
    policy: scan.policy,
    allUsers,
    holders,
    groups,
    userTargets,
    excludedUserTargets,
    users,
    grantUsers,
    passIssuers: {},
    notes: scan.notes,
  };
}

/**
 * Who issued the passes of `userIds` (from the audit log), added to the scan. Without AuditLog.Read.All the passes stay
 * as they were (issued outside the process, as far as the review can tell) and a note says why.
 */
export async function readPassIssuers(
  graph: GraphClient,
  scan: TenantScan,
  userIds: readonly string[],
  concurrency: number,
): Promise<void> {
  const passes = userIds.flatMap((userId) => {
    const pass = scan.users.find((u) => u.id === userId)?.pass;
    return pass ? [{ userId, createdDateTime: pass.createdDateTime }] : [];
  });
  if (passes.length === 0) return;
  try {
    const issuers = await passIssuers(graph, passes, concurrency);
    passes.forEach((pass, index) => {
      scan.passIssuers[pass.userId] = issuers[index];
    });
  } catch (error) {
    if (!isGraphRequestError(error) || (error.status !== 403 && error.status !== 401)) throw error;
    scan.notes.push(
      `who issued the ${passes.length === 1 ? "pass" : `${passes.length} passes`} no grant explains is not known: ` +
        `reading the audit log needs AuditLog.Read.All (${error.message}); entra-tap:knownIssuers is not applied`,
    );
  }
}

/** The user, kept once by lower-cased object id; returns that id. */
function rememberUser(scan: ScanContext, user: GraphUser): string {
  const id = user.id.toLowerCase();
  if (!scan.users.has(id)) scan.users.set(id, { id, userPrincipalName: user.userPrincipalName ?? id });
  return id;
}

/**
 * The groups: the live policy's and the stack's (existing ones by id; ones entra-tap creates by display name, unique
 * because entra-tap creates them with preventDuplicateNames).
 */
async function declaredGroups(scan: ScanContext): Promise<ScannedGroup[]> {
  const { policy, config } = scan;
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
  for (const [role, entries] of [
    ["target", config.audience?.targets ?? {}],
    ["exclusion", config.audience?.exclusions ?? {}],
  ] as const) {
    for (const [key, group] of Object.entries(entries)) {
      if (group.objectId) addGroup(group.objectId, role, { inStack: true, key });
      else byName.push({ key, role, displayName: group.displayName! });
    }
  }
  const lookups = await groupsByDisplayName(
    scan.graph,
    "Find the stack's groups by display name",
    byName.map((group) => group.displayName),
    scan.options.concurrency,
  );
  lookups.forEach((found, index) => {
    const group = byName[index];
    if (found.length === 1) {
      addGroup(found[0].id, group.role, { inStack: true, key: group.key });
    } else {
      scan.notes.push(
        found.length === 0
          ? `group "${group.displayName}" (entra-tap:audience key ${group.key}) does not exist yet: its members and grants' memberships are not checked`
          : `${found.length} groups are named "${group.displayName}" (entra-tap:audience key ${group.key}): its grants' memberships are not checked`,
      );
    }
  });
  return [...groups.values()];
}

/**
 * Each group's name (or that it does not exist), then the transitive members of every group found, a page of 999 at a
 * time: the targeted groups' members are candidates, and the excluded groups' too (a pass is unusable while excluded,
 * but it is there to be shown).
 */
async function readGroupsAndMembers(scan: ScanContext, groups: ScannedGroup[]): Promise<void> {
  const { graph, options } = scan;
  const names = await groupNames(graph, [...new Set(groups.map((g) => g.id))], options.concurrency);
  for (const group of groups) {
    group.found = names.has(group.id);
    group.displayName = names.get(group.id);
    if (!group.found) {
      scan.notes.push(
        `group ${group.id} (${group.role === "target" ? "targeted" : "excluded"}) does not exist`,
      );
    }
  }
  await mapWithConcurrency(
    groups.filter((g) => g.found),
    options.concurrency,
    async (group) => {
      const members = await transitiveUserMembers(graph, group.id, group.displayName);
      group.memberIds = members.map((member) => rememberUser(scan, member));
    },
  );
  for (const id of groups.flatMap((g) => g.memberIds)) scan.candidates.add(id);
}

/** The users a policy's targets name one by one (targetType user), lower-cased. */
function usersTargetedOneByOne(targets: readonly { id: string; targetType?: string }[]): string[] {
  return targets.filter((t) => t.targetType === "user").map((t) => t.id.toLowerCase());
}

/**
 * Every grant's user and every user targeted one by one, by id or user principal name, read when not met already;
 * each one found is a candidate. Returns each grant's user (lower case) → object id, null when Graph has none.
 */
async function readGrantsAndTargetedUsers(
  scan: ScanContext,
  targetedUsers: readonly string[],
): Promise<Record<string, string | null>> {
  const { users, config } = scan;
  const upnIndex = () => new Map([...users.values()].map((u) => [u.userPrincipalName.toLowerCase(), u.id]));
  const knownByUpn = upnIndex();
  const wanted = [...new Set([...targetedUsers, ...config.grants.map((g) => g.user.toLowerCase())])];
  const unknown = wanted.filter((user) => !users.has(user) && !knownByUpn.has(user));
  const lookedUp = await usersById(
    scan.graph,
    "Read the grants' and targeted users",
    unknown,
    scan.options.concurrency,
  );
  const missing = new Set<string>();
  lookedUp.forEach((user, index) => {
    if (user) rememberUser(scan, user);
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
    if (id) scan.candidates.add(id);
    else scan.notes.push(`grant ${grant.name}: user ${grant.user} does not exist in the tenant`);
  }
  for (const user of targetedUsers) {
    const id = idOf(user);
    if (id) scan.candidates.add(id);
  }
  return grantUsers;
}

/** Everyone, when the policy targets all users (live, or as declared): the registration report's pass holders, or every user. */
async function readAllUsersHolders(scan: ScanContext): Promise<{ allUsers: boolean; holders: HolderSource }> {
  const { graph, policy, config } = scan;
  const allUsers =
    policy.includeTargets.some((t) => t.id === allUsersTarget) ||
    config.policy.includeTargets.some((t) => t.id === allUsersTarget);
  if (!allUsers) return { allUsers, holders: "groups" };
  if (scan.options.fullScan) {
    const everyone = await listUsers(graph, "Read every user (all_users: full scan)");
    for (const user of everyone) scan.candidates.add(rememberUser(scan, user));
    return { allUsers, holders: "fullScan" };
  }
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
  for (const user of reported) scan.candidates.add(rememberUser(scan, user));
  scan.notes.push(
    `all_users: ${reported.length} pass holders from the registration report, which can lag a few hours behind ` +
      "the directory and leaves out disabled users; --full-scan reads every user's pass",
  );
  return { allUsers, holders: "registrationReport" };
}

/** Each candidate's pass and phishing-resistant methods (one request each), 20 users to a batch; a user deleted meanwhile is noted, not shown. */
async function readPasses(scan: ScanContext): Promise<ScannedUser[]> {
  const ids = [...scan.candidates].sort();
  scan.options.onPassReadsPlanned?.(ids.length);
  const reads = await readUsersMethods(
    scan.graph,
    ids.map((id) => ({ id, name: scan.users.get(id)!.userPrincipalName })),
    { concurrency: scan.options.concurrency, onProgress: scan.options.onProgress },
  );
  const scannedUsers: ScannedUser[] = [];
  reads.forEach((read, index) => {
    const user = scan.users.get(ids[index])!;
    if (!read.userFound) {
      scan.notes.push(`user ${user.userPrincipalName} was deleted during the review`);
      return;
    }
    scannedUsers.push({
      ...user,
      pass: read.pass && scannedPass(read.pass),
      phishingResistant: read.phishingResistant,
    });
  });
  return scannedUsers;
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
