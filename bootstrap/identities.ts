// The identities entra-tap's GitHub workflows sign in as, as data: which Microsoft Graph application permissions each
// holds and which GitHub jobs may use it. bootstrap/index.ts declares them from this list, test/bootstrap checks the
// declaration against it, and docs/permissions.md ("Identities") explains each permission.

/** The issuer of GitHub Actions' OIDC tokens. */
export const githubIssuer = "https://token.actions.githubusercontent.com";
/** The audience Entra expects in a token exchanged for an access token (azure/login's default). */
export const githubAudience = "api://AzureADTokenExchange";
/** Microsoft Graph's application (client) id, the same in every tenant. */
export const microsoftGraphClientId = "00000003-0000-0000-c000-000000000000";

/**
 * A bootstrap config flag (`bootstrap:<flag>`, false by default) that a tenant turns on to give an identity a
 * permission that only some stacks need.
 */
type PermissionFlag = "reviewAllUsers" | "reviewKnownIssuers";

export interface GraphPermission {
  /** The app role's value, as Microsoft Graph names it (e.g. `Policy.Read.AuthenticationMethod`). */
  value: string;
  /** What entra-tap does with it. */
  why: string;
  /** Held only when one of these flags is on in the bootstrap config (opt-in); always held when absent. */
  onlyWith?: readonly PermissionFlag[];
}

/**
 * The GitHub environment of pull-request previews: its required reviewers admit a pull request's code to its secrets
 * (the stacks' passphrase) and to its identity, one run at a time (docs/permissions.md).
 */
export const previewEnvironment = "preview";

/**
 * Which GitHub jobs may sign in as an identity: jobs in the preview environment, or jobs that run in a deployment
 * environment: a deployment environment of `bootstrap:environments` plus `environmentSuffix`.
 */
type GitHubTrust = { kind: "preview" } | { kind: "environments"; environmentSuffix: string };

export interface IdentitySpec {
  /** The display name of the application and its service principal, and the stable key of their resources. */
  name: string;
  description: string;
  trust: GitHubTrust;
  permissions: readonly GraphPermission[];
}

export const identities: readonly IdentitySpec[] = [
  {
    name: "entra-tap-preview",
    description:
      "entra-tap: pulumi preview --refresh of pull requests. Reads the TAP policy, groups, Conditional Access, users and passes; changes nothing.",
    trust: { kind: "preview" },
    permissions: [
      { value: "Policy.Read.AuthenticationMethod", why: "read the TAP policy (drift)" },
      { value: "Policy.Read.All", why: "read Conditional Access policies and authentication strengths" },
      { value: "Group.Read.All", why: "read the targeted groups and the privileged groups' members" },
      { value: "User.ReadBasic.All", why: "look up a grant's user by user principal name" },
      {
        value: "UserAuthMethod-TAP.Read.All",
        why: "read the grants' passes (status, end), never a passcode",
      },
      {
        value: "PrivilegedAssignmentSchedule.Read.AzureADGroup",
        why: "read the PIM for Groups memberships of grants with membership: pim (drift)",
      },
    ],
  },
  {
    name: "entra-tap-policy",
    description:
      "entra-tap: pulumi up of reviewed changes, the grants excluded. Changes the TAP policy, the targeted groups, Conditional Access and monitoring.",
    trust: { kind: "environments", environmentSuffix: "" },
    permissions: [
      { value: "Policy.ReadWrite.AuthenticationMethod", why: "adopt, update and restore the TAP policy" },
      { value: "Group.ReadWrite.All", why: "create and update the targeted groups and their owners" },
      {
        value: "Policy.ReadWrite.ConditionalAccess",
        why: "the authentication strength and Conditional Access policy",
      },
      { value: "Policy.Read.All", why: "required by Graph next to Policy.ReadWrite.ConditionalAccess" },
      {
        value: "User.ReadBasic.All",
        why: "look up a grant's user by user principal name (every run evaluates them)",
      },
    ],
  },
  {
    name: "entra-tap-passes",
    description:
      "entra-tap: pulumi up of the grants only, after each deployment and daily, and the review. Issues and deletes the grants' passes, manages their group memberships, ends sessions.",
    trust: { kind: "environments", environmentSuffix: "-passes" },
    permissions: [
      { value: "UserAuthenticationMethod.ReadWrite.All", why: "issue, read and delete a user's pass" },
      {
        value: "Policy.Read.AuthenticationMethod",
        why: "read the TAP policy before issuing, so a pass it would refuse is never requested",
      },
      { value: "User.RevokeSessions.All", why: "end the user's sessions when a grant ends" },
      {
        value: "Policy.Read.ConditionalAccess",
        why: "the registration preflight: Conditional Access's What If for registering security info",
      },
      { value: "GroupMember.ReadWrite.All", why: "add and remove a grant's user in the targeted group" },
      {
        value: "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
        why: "PIM for Groups membership of grants with `membership: pim`: assign and remove the time-bound membership",
      },
      { value: "User.ReadBasic.All", why: "look up a grant's user by user principal name" },
      {
        value: "AuditLog.Read.All",
        why:
          "review a stack whose policy targets all_users (who holds a pass, from the registration report), or that " +
          "names known issuers (who issued a pass no grant explains, from the audit log)",
        onlyWith: ["reviewAllUsers", "reviewKnownIssuers"],
      },
    ],
  },
];

/** The bootstrap config's flags; each one off unless set. */
export type PermissionFlags = Readonly<Record<PermissionFlag, boolean>>;

/** The permissions `identity` holds in a tenant whose bootstrap config sets `flags`: the opt-in ones only when on. */
export function grantedPermissions(
  identity: Pick<IdentitySpec, "permissions">,
  flags: PermissionFlags,
): GraphPermission[] {
  return identity.permissions.filter(
    (permission) => !permission.onlyWith || permission.onlyWith.some((flag) => flags[flag]),
  );
}

/**
 * The suffixes of the GitHub environments derived from each deployment environment (`-passes`: `prod-passes` for
 * `prod`), for the identities that trust environments other than the deployment environments themselves.
 */
export function derivedEnvironmentSuffixes(): string[] {
  return identities.flatMap((identity) =>
    identity.trust.kind === "environments" && identity.trust.environmentSuffix !== ""
      ? [identity.trust.environmentSuffix]
      : [],
  );
}

export interface FederatedSubject {
  /** Stable key of the credential within its identity (its display name in Entra). */
  key: string;
  subject: string;
}

/**
 * The GitHub OIDC subjects an identity trusts, for `repository` and the deployment environments: GitHub's default
 * subject claim of a job in an environment, `repo:<repository>:environment:<environment>` (a job's environment takes
 * precedence over its event, a pull request's included), where the repository is `owner/name` or, with immutable
 * subjects, `owner@<owner id>/name@<repository id>`.
 */
export function federatedSubjects(
  identity: Pick<IdentitySpec, "trust">,
  repository: string,
  environments: readonly string[],
): FederatedSubject[] {
  if (identity.trust.kind === "preview") {
    return [
      {
        key: `github-${previewEnvironment}`,
        subject: `repo:${repository}:environment:${previewEnvironment}`,
      },
    ];
  }
  const suffix = identity.trust.environmentSuffix;
  return environments.map((environment) => ({
    key: `github-${environment}${suffix}`,
    subject: `repo:${repository}:environment:${environment}${suffix}`,
  }));
}
