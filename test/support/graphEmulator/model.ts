// The emulated tenant's data, shared by the resource modules: the TAP policy, users and their passes, groups, and
// PIM for Groups schedules. The GraphEmulator holds it; the modules take it as an EmulatedTenant.

export interface EmulatedTarget {
  id: string;
  /** v1.0: a group, or (in a tenant's existing policy) a user. */
  targetType: "group" | "user";
  isRegistrationRequired?: boolean;
}

export interface EmulatedTapPolicy {
  state: "enabled" | "disabled";
  defaultLifetimeInMinutes: number;
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  defaultLength: number;
  isUsableOnce: boolean;
  includeTargets: EmulatedTarget[];
  excludeTargets: EmulatedTarget[];
}

export interface EmulatedTap {
  id: string;
  temporaryAccessPass: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  /** Signed in with already (matters for a one-time pass). */
  used: boolean;
}

/** A method other than the pass, as `/users/{id}/authentication/methods` lists it. */
export interface EmulatedMethod {
  id: string;
  /** Graph's type, e.g. #microsoft.graph.fido2AuthenticationMethod. */
  odataType: string;
  createdDateTime: string;
  displayName: string;
}

/** Who an audit record says did it: a user, or an app (its application id and service principal). */
export type EmulatedInitiator =
  | { user: { id: string; userPrincipalName: string } }
  | { app: { appId: string; servicePrincipalId: string; displayName: string } };

/** An entry of `/auditLogs/directoryAudits`, in Graph's shape (the fields entra-tap reads). */
export interface EmulatedAudit {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  category: string;
  loggedByService: string;
  result: "success" | "failure";
  resultReason: string;
  initiatedBy: EmulatedInitiator;
  targetResources: { id: string; userPrincipalName: string; type: "User" }[];
}

export interface EmulatedUser {
  id: string;
  userPrincipalName: string;
  userType: "Member" | "Guest";
  /** Group id → time (ms) from which Graph sees the membership: replication is not instant. */
  memberOf: Map<string, number>;
  tap?: EmulatedTap;
  /** Registered methods besides the password and the pass. */
  methods: EmulatedMethod[];
  sessionsRevokedAt?: string;
}

/** A member assignment through PIM for Groups, as `assignmentSchedules` lists it. */
export interface EmulatedPimSchedule {
  id: string;
  groupId: string;
  principalId: string;
  startDateTime: string;
  endDateTime: string;
  justification: string;
  createdDateTime: string;
}

export interface EmulatedGroup {
  id: string;
  displayName: string;
  /** Groups nested in this one: their members are its transitive members. */
  nestedGroups: Set<string>;
}

/** A Conditional Access policy as Graph v1.0 gives it (the fields What If evaluates and the preflight reads). */
export interface EmulatedCaPolicy {
  id: string;
  displayName: string;
  state: "enabled" | "disabled" | "enabledForReportingButNotEnforced";
  conditions: {
    users: {
      includeUsers: string[];
      excludeUsers: string[];
      includeGroups: string[];
      excludeGroups: string[];
      includeRoles: string[];
      excludeRoles: string[];
    };
    applications: { includeApplications: string[]; includeUserActions: string[] };
    /** Named locations: What If cannot settle them for a sign-in given without a country or an IP address. */
    locations?: { includeLocations: string[]; excludeLocations: string[] } | null;
  };
  grantControls: {
    operator: "AND" | "OR";
    builtInControls: string[];
    authenticationStrength?: { id: string; displayName: string };
  } | null;
}

/** An authentication strength: the combinations of methods it allows. */
export interface EmulatedAuthenticationStrength {
  id: string;
  displayName: string;
  policyType: "builtIn" | "custom";
  allowedCombinations: string[];
}

/** What the resource modules read and change; each field is described on the GraphEmulator, which is one. */
export interface EmulatedTenant {
  policy: EmulatedTapPolicy;
  readonly users: Map<string, EmulatedUser>;
  readonly groups: Map<string, EmulatedGroup>;
  readonly pimSchedules: Map<string, EmulatedPimSchedule>;
  /** The directory audit log, oldest first. */
  readonly audits: EmulatedAudit[];
  /** Who the signed-in caller is, as the audit log records what it does. */
  caller: EmulatedInitiator;
  /** Graph answers 403 to audit log reads: the caller lacks AuditLog.Read.All. */
  auditLogForbidden: boolean;
  readonly conditionalAccessPolicies: EmulatedCaPolicy[];
  readonly authenticationStrengths: Map<string, EmulatedAuthenticationStrength>;
  /** Graph answers 403 to What If: the caller lacks Policy.Read.ConditionalAccess. */
  conditionalAccessForbidden: boolean;
  /** `/authentication/methods` lists a pass by its type and id only (a Graph that lists less than its own resource). */
  methodsListOmitsPassFields: boolean;
  registrationReportLagMs: number;
  callerId: string;
  now: () => number;
  scopeRefusalStatus: 400 | 403;
}
