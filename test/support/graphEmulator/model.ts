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

export interface EmulatedUser {
  id: string;
  userPrincipalName: string;
  userType: "Member" | "Guest";
  /** Group id → time (ms) from which Graph sees the membership: replication is not instant. */
  memberOf: Map<string, number>;
  tap?: EmulatedTap;
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

/** What the resource modules read and change; each field is described on the GraphEmulator, which is one. */
export interface EmulatedTenant {
  policy: EmulatedTapPolicy;
  readonly users: Map<string, EmulatedUser>;
  readonly groups: Map<string, EmulatedGroup>;
  readonly pimSchedules: Map<string, EmulatedPimSchedule>;
  registrationReportLagMs: number;
  callerId: string;
  now: () => number;
  scopeRefusalStatus: 400 | 403;
}
