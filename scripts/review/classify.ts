// The review's judgement, as pure functions over what the scan found and what the stack declares: each pass's state
// and the grant that explains it (or none), the ended grants that left something behind, and the members of the
// targeted groups that no grant explains. No Graph here: tested directly.
import { clockSkewMs, hasGrantEnded } from "../../components/grant";
import type { StackConfig } from "../../config";
import { grantRecipients, type HandoverConfig, noHandover } from "../../config/handover";
import {
  conversionOf,
  explainByIssuer,
  type Fulfilment,
  fulfilmentOf,
  type GrantConversion,
  hasBootstrapFailed,
  passNeedsAttention,
  undatedMethodsNotes,
} from "./passPurpose";
import type { HolderSource, ScannedPass, TenantScan } from "./scan";

/** A pass's state as the review shows it: Graph's own words for a pass (`expired`: its lifetime has run out). */
export type PassState =
  "usable" | "not yet valid" | "expired" | "used" | "disabled by policy" | `unknown (${string})`;

/** Graph's methodUsabilityReason → the state the review shows. */
export function passState(pass: Pick<ScannedPass, "methodUsabilityReason" | "isUsable">): PassState {
  switch (pass.methodUsabilityReason) {
    case "EnabledByPolicy":
      return "usable";
    case "NotYetValid":
      return "not yet valid";
    case "Expired":
      return "expired";
    case "OneTimeUsed":
      return "used";
    case "DisabledByPolicy":
      return "disabled by policy";
    default:
      return pass.isUsable ? "usable" : `unknown (${pass.methodUsabilityReason ?? "no reason given"})`;
  }
}

export type Grant = StackConfig["grants"][number];

/** The fields of a grant the review shows: who, why, which ticket, who approved, its window, group and membership. */
const summaryKeys = [
  "name",
  "user",
  "reason",
  "ticket",
  "requestedBy",
  "approvedBy",
  "start",
  "expiry",
  "group",
  "membership",
  "purpose",
] as const;

/**
 * What the review says about a grant; and whom its pass is sealed to (the recipients the stack declares for it), and
 * whether the stack also keeps its passcode in the state.
 */
type GrantSummary = Pick<Grant, (typeof summaryKeys)[number]> & {
  sealedTo: string[];
  passcodeInState: boolean;
};

/** Where a declared grant stands at the review's time. */
type GrantState = "upcoming" | "active" | "ended";

export type Explanation =
  | { kind: "grant"; grant: GrantSummary }
  | { kind: "endedGrant"; grant: GrantSummary }
  /** Issued by a process the stack names in entra-tap:knownIssuers (from the audit log's initiatedBy). */
  | { kind: "knownIssuer"; issuer: string }
  | { kind: "undeclared"; detail?: string };

export interface ReviewedPass {
  userId: string;
  user: string;
  methodId: string;
  state: PassState;
  start: string;
  end: string;
  oneTime: boolean;
  /** The user is in a group (or is a user) the policy excludes: the pass cannot be used while that lasts. */
  excluded: boolean;
  explanation: Explanation;
  /** Set when a phishing-resistant method was registered after the pass's start: it did its job. */
  fulfilled: Fulfilment | null;
  /**
   * The pass of an onboarding grant (entra-tap:grants[].purpose) was used, and no phishing-resistant method appeared
   * within entra-tap:bootstrap.registrationWithinMinutes of its start: the bootstrap failed, or the pass served
   * something else.
   */
  bootstrapFailed: boolean;
}

export interface EndedGrantFinding {
  grant: GrantSummary;
  pass: "still there" | "gone";
  membership: "still there" | "gone" | "not checked (group not found)";
  azureRoles: "none declared" | "not checked (needs Azure Resource Manager)";
}

export interface UnexplainedMember {
  userId: string;
  user: string;
  /** Display names (or ids) of the targeted groups no grant explains the user's membership of. */
  groups: string[];
}

export interface Review {
  stack: string;
  generatedAt: string;
  scope: {
    allUsers: boolean;
    holders: HolderSource;
    targetedGroups: { id: string; name: string; members: number }[];
    excludedGroups: { id: string; name: string; members: number }[];
    usersRead: number;
  };
  /** Every grant the stack declares, in its order, with where it stands and how its membership is held. */
  grants: { grant: GrantSummary; state: GrantState }[];
  passes: ReviewedPass[];
  endedGrants: EndedGrantFinding[];
  unexplainedMembers: UnexplainedMember[];
  /** What the tenant shows of each started grant's pass, and the totals (a pass already deleted is not seen). */
  conversion: { grants: GrantConversion[]; total: Omit<GrantConversion, "grant"> };
  notes: string[];
  needsAttention: boolean;
}

function summary(grant: Grant, handover: HandoverConfig): GrantSummary {
  return {
    ...(Object.fromEntries(summaryKeys.map((key) => [key, grant[key]])) as Pick<
      Grant,
      (typeof summaryKeys)[number]
    >),
    sealedTo: grantRecipients(grant, handover).map((recipient) => recipient.name),
    passcodeInState: handover.passcodeInState,
  };
}

function grantState(grant: Pick<Grant, "start" | "expiry">, now: number): GrantState {
  if (hasGrantEnded(grant, now)) return "ended";
  return Date.parse(grant.start) > now ? "upcoming" : "active";
}

/** Whether the pass lies within the grant's window (entra-tap issues it so): a pass outside it is not the grant's. */
function withinWindow(pass: ScannedPass, grant: Grant): boolean {
  return (
    Date.parse(pass.startDateTime) >= Date.parse(grant.start) - clockSkewMs &&
    Date.parse(pass.endDateTime) <= Date.parse(grant.expiry) + clockSkewMs
  );
}

/**
 * The grant that explains a pass. A grant that has not ended (under way, or upcoming: entra-tap adds the membership
 * and issues a not-yet-valid pass before the start) explains a pass that lies within its window. Failing that, an
 * ended grant whose window the pass started in: the pass outlived its grant. Anything else was issued outside the
 * process.
 */
export function explainPass(
  pass: ScannedPass,
  grants: readonly Grant[],
  now: number,
  handover: HandoverConfig = noHandover,
): Explanation {
  const current = grants.filter((g) => !hasGrantEnded(g, now));
  const declared = current.find((g) => withinWindow(pass, g));
  if (declared) return { kind: "grant", grant: summary(declared, handover) };
  const start = Date.parse(pass.startDateTime);
  const ended = grants
    .filter((g) => hasGrantEnded(g, now))
    .filter((g) => start >= Date.parse(g.start) - clockSkewMs && start < Date.parse(g.expiry))
    .sort((a, b) => Date.parse(b.expiry) - Date.parse(a.expiry));
  if (ended.length > 0) return { kind: "endedGrant", grant: summary(ended[0], handover) };
  if (current.length > 0) {
    return {
      kind: "undeclared",
      detail: `outside the window of grant ${current.map((g) => g.name).join(", ")}`,
    };
  }
  return { kind: "undeclared" };
}

/** The review of a scanned tenant against the stack's grants, judged at `now`. */
export function classify(stack: string, config: StackConfig, scan: TenantScan, now: number): Review {
  const userIdOf = (grant: Grant) => scan.grantUsers[grant.user.toLowerCase()] ?? null;
  const grantsOf = (userId: string) => config.grants.filter((g) => userIdOf(g) === userId);
  const groupName = (id: string) => scan.groups.find((g) => g.id === id && g.displayName)?.displayName ?? id;
  // The object id of each targeted group the stack names by key (grants name their group by key).
  const groupIdOfKey = (key: string) =>
    scan.groups.find((g) => g.role === "target" && g.key === key && g.found)?.id;

  const excludedIds = new Set([
    ...scan.groups.filter((g) => g.role === "exclusion").flatMap((g) => g.memberIds),
    ...scan.excludedUserTargets,
  ]);

  const passes: ReviewedPass[] = scan.users
    .filter((user) => user.pass)
    .map((user) => {
      const pass = user.pass!;
      const explanation = explainByIssuer(
        explainPass(pass, grantsOf(user.id), now, config.handover),
        scan.passIssuers[user.id],
        config.knownIssuers,
      );
      const reviewed = {
        userId: user.id,
        user: user.userPrincipalName,
        methodId: pass.id,
        state: passState(pass),
        start: pass.startDateTime,
        end: pass.endDateTime,
        oneTime: pass.isUsableOnce,
        excluded: excludedIds.has(user.id),
        explanation,
        fulfilled: fulfilmentOf(pass, user.phishingResistant),
      };
      const purpose =
        explanation.kind === "grant" || explanation.kind === "endedGrant"
          ? explanation.grant.purpose
          : undefined;
      return {
        ...reviewed,
        bootstrapFailed: hasBootstrapFailed(
          reviewed,
          purpose,
          config.bootstrap.registrationWithinMinutes,
          now,
        ),
      };
    })
    .sort((a, b) => a.user.localeCompare(b.user));
  // Memberships of the targeted groups: (user, group) pairs, each explained by a grant that has not ended.
  const memberships = scan.groups
    .filter((g) => g.role === "target" && g.found)
    .flatMap((g) => g.memberIds.map((userId) => ({ userId, groupId: g.id })));
  const explainedBy = (userId: string, groupId: string, ended: boolean) =>
    grantsOf(userId).filter((g) => hasGrantEnded(g, now) === ended && groupIdOfKey(g.group) === groupId);

  const endedGrants: EndedGrantFinding[] = [];
  const notes = [...scan.notes, ...undatedMethodsNotes(scan), ...policyDriftNotes(scan.groups)];
  const rolesNotChecked: string[] = [];
  for (const grant of config.grants.filter((g) => hasGrantEnded(g, now))) {
    const userId = userIdOf(grant);
    const passLeft = passes.some(
      (p) =>
        p.userId === userId && p.explanation.kind === "endedGrant" && p.explanation.grant.name === grant.name,
    );
    const groupId = groupIdOfKey(grant.group);
    const stillMember =
      userId !== null &&
      groupId !== undefined &&
      memberships.some((m) => m.userId === userId && m.groupId === groupId) &&
      // A later grant of the same user and group explains the membership: it is that grant's now.
      explainedBy(userId, groupId, false).length === 0;
    const azureRoles =
      grant.azureRoles.length > 0 ? "not checked (needs Azure Resource Manager)" : "none declared";
    if (passLeft || stillMember) {
      endedGrants.push({
        grant: summary(grant, config.handover),
        pass: passLeft ? "still there" : "gone",
        membership:
          groupId === undefined ? "not checked (group not found)" : stillMember ? "still there" : "gone",
        azureRoles,
      });
    } else if (grant.azureRoles.length > 0) {
      rolesNotChecked.push(grant.name);
    }
  }
  if (rolesNotChecked.length > 0) {
    notes.push(
      `Azure role eligibility of the ended grants ${rolesNotChecked.join(", ")} is not checked: it needs Azure ` +
        "Resource Manager, not Graph (Azure ends each eligibility at the end entra-tap declared)",
    );
  }

  // A membership that an ended grant left is reported with that grant, not again here.
  const leftByEnded = new Set(
    endedGrants
      .filter((f) => f.membership === "still there")
      .map((f) => {
        const grant = config.grants.find((g) => g.name === f.grant.name)!;
        return `${userIdOf(grant)}|${groupIdOfKey(grant.group)}`;
      }),
  );
  // A known issuer's process (Lifecycle Workflows, say) puts its users in scope itself: their membership is its.
  const issuedByKnown = new Set(
    passes.filter((p) => p.explanation.kind === "knownIssuer").map((p) => p.userId),
  );
  const unexplainedMembers = membersWithGroups(
    memberships.filter(
      ({ userId, groupId }) =>
        explainedBy(userId, groupId, false).length === 0 &&
        !leftByEnded.has(`${userId}|${groupId}`) &&
        !issuedByKnown.has(userId),
    ),
    scan.users,
    groupName,
  );

  const groupsOf = (role: "target" | "exclusion") =>
    scan.groups
      .filter((g) => g.role === role)
      .map((g) => ({ id: g.id, name: g.displayName ?? `${g.id} (not found)`, members: g.memberIds.length }));
  const review: Review = {
    stack,
    generatedAt: new Date(now).toISOString(),
    scope: {
      allUsers: scan.allUsers,
      holders: scan.holders,
      targetedGroups: groupsOf("target"),
      excludedGroups: groupsOf("exclusion"),
      usersRead: scan.users.length,
    },
    grants: config.grants.map((grant) => ({
      grant: summary(grant, config.handover),
      state: grantState(grant, now),
    })),
    passes,
    endedGrants,
    unexplainedMembers,
    conversion: conversionOf(config.grants, passes, scan, userIdOf, now),
    notes,
    needsAttention: false,
  };
  return { ...review, needsAttention: needsAttention(review) };
}

/** What the notes say of each group the live policy and the stack disagree on (targeted or excluded). */
function policyDriftNotes(groups: TenantScan["groups"]): string[] {
  return groups
    .filter((g) => g.found && g.inLivePolicy !== g.inStack)
    .map((group) => {
      const role = group.role === "target" ? "targets" : "excludes";
      return group.inLivePolicy
        ? `the live policy ${role} group "${group.displayName}", which the stack does not declare (pulumi preview --refresh shows the drift)`
        : `the stack declares that the policy ${role} group "${group.displayName}", which the live policy does not (yet)`;
    });
}

/** The users of `memberships`, each with the names of their groups, in the order of their user principal names. */
function membersWithGroups(
  memberships: readonly { userId: string; groupId: string }[],
  users: TenantScan["users"],
  groupName: (id: string) => string,
): UnexplainedMember[] {
  const upnOf = new Map(users.map((u) => [u.id, u.userPrincipalName]));
  const members = new Map<string, UnexplainedMember>();
  for (const { userId, groupId } of memberships) {
    const user = upnOf.get(userId) ?? userId;
    const entry = members.get(userId) ?? { userId, user, groups: [] };
    entry.groups.push(groupName(groupId));
    members.set(userId, entry);
  }
  return [...members.values()].sort((a, b) => a.user.localeCompare(b.user));
}

/**
 * Whether anything needs someone: a pass no grant or known issuer explains, that outlived its grant, that did its job
 * and can still be used, or whose bootstrap failed; or a membership left.
 */
function needsAttention(review: Pick<Review, "passes" | "endedGrants" | "unexplainedMembers">): boolean {
  return (
    review.passes.some(passNeedsAttention) ||
    review.endedGrants.length > 0 ||
    review.unexplainedMembers.length > 0
  );
}

/** The review as it stands once the passes of `revokedUserIds` are gone (memberships stay: `pulumi up` ends those). */
export function afterRevocation(review: Review, revokedUserIds: readonly string[]): Review {
  const revoked = new Set(revokedUserIds);
  const passes = review.passes.filter((p) => !revoked.has(p.userId));
  const endedGrants = review.endedGrants
    .map((f) =>
      review.passes.some(
        (p) =>
          revoked.has(p.userId) &&
          p.explanation.kind === "endedGrant" &&
          p.explanation.grant.name === f.grant.name,
      )
        ? { ...f, pass: "gone" as const }
        : f,
    )
    .filter((f) => f.pass === "still there" || f.membership === "still there");
  const next = { ...review, passes, endedGrants };
  return { ...next, needsAttention: needsAttention(next) };
}
