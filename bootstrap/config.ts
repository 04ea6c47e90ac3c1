// The bootstrap stack's config, checked before anything is declared: one message per problem.
import { derivedEnvironmentSuffixes, type PermissionFlags, previewEnvironment } from "./identities";

interface BootstrapConfig extends PermissionFlags {
  /**
   * The GitHub repository whose workflows sign in, as its OIDC subjects name it (exactly as GitHub spells it):
   * `owner/name`, or with the immutable ids GitHub puts in the subjects of repositories created, renamed or transferred
   * on or after 2026-07-15 (and of older ones opted in), `owner@<owner id>/name@<repository id>`.
   */
  githubRepository: string;
  /** The deployment environments (GitHub environments and Pulumi stacks of entra-tap), e.g. dev and prod. */
  environments: string[];
  /**
   * Give entra-tap-passes `AuditLog.Read.All`, which the review needs for a stack whose policy targets `all_users`
   * (the registration report). Off by default: it reads the tenant's sign-in and audit logs.
   */
  reviewAllUsers: boolean;
  /**
   * Give entra-tap-passes `AuditLog.Read.All` for a stack that names `entra-tap:knownIssuers`: the review reads who
   * issued each pass no grant explains from the audit log. Off by default, for the same reason.
   */
  reviewKnownIssuers: boolean;
}

const defaultEnvironments = ["dev", "prod"];

// GitHub: an owner is 1-39 letters, digits or single hyphens, not at either end; a repository name is letters,
// digits, '.', '_' and '-' (not "." or ".."). The subject Entra compares is case-sensitive, hence "exactly".
const owner = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const repositoryName = /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;
// GitHub's immutable subject claims append each account's and repository's numeric id with "@" (GitHub's OIDC
// reference, "Immutable subject claims"; Microsoft's "Migrate GitHub Actions federated credentials to immutable
// subjects"): repo:octocat@123456/my-repo@456789:... Both ids, or neither.
const immutableId = /^[1-9][0-9]{0,19}$/;

/** Whether `repository` is `owner/name` or `owner@id/name@id`. */
function isGithubRepository(repository: string): boolean {
  const parts = repository.split("/");
  if (parts.length !== 2) return false;
  const [ownerPart, namePart] = parts.map((part) => part.split("@"));
  if (ownerPart.length !== namePart.length || ownerPart.length > 2) return false;
  if (!owner.test(ownerPart[0]) || !repositoryName.test(namePart[0])) return false;
  return ownerPart.length === 1 || (immutableId.test(ownerPart[1]) && immutableId.test(namePart[1]));
}
// An environment name becomes part of a federated credential's name (letters, digits, '-' and '_', at most 120
// characters) and of a GitHub environment name, hence the narrower set.
const environmentName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;

export type BootstrapConfigResult = { config: BootstrapConfig; problems: [] } | { problems: string[] };

/**
 * A flag's value: unset (undefined or empty) is false; `true`/`false` as a boolean or as the text `pulumi config set`
 * stores. Anything else is a problem.
 */
function flag(key: string, value: unknown, problems: string[]): boolean {
  if (value === undefined || value === "") return false;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  problems.push(`bootstrap:${key} must be true or false, got ${JSON.stringify(value)}`);
  return false;
}

/**
 * "A maximum of 20 federated identity credentials can be added to an application or user-assigned managed identity"
 * (Microsoft Entra Workload ID, "Important considerations and restrictions for federated identity credentials").
 */
const federatedCredentialsPerApplication = 20;

/**
 * Checks the raw config values (`bootstrap:githubRepository`, `bootstrap:environments`, `bootstrap:reviewAllUsers`,
 * `bootstrap:reviewKnownIssuers`;
 * undefined when unset) and returns the config or every problem found.
 */
export function validateBootstrapConfig(raw: {
  githubRepository?: unknown;
  environments?: unknown;
  reviewAllUsers?: unknown;
  reviewKnownIssuers?: unknown;
}): BootstrapConfigResult {
  const problems: string[] = [];

  const repository = raw.githubRepository;
  if (repository === undefined || repository === "") {
    problems.push("bootstrap:githubRepository is required: the GitHub repository as owner/name");
  } else if (typeof repository !== "string") {
    problems.push("bootstrap:githubRepository must be text: the GitHub repository as owner/name");
  } else {
    if (!isGithubRepository(repository)) {
      problems.push(
        "bootstrap:githubRepository must be owner/name (e.g. contoso/entra-tap), or owner@<owner id>/name@<repository " +
          `id> for GitHub's immutable subjects (e.g. contoso@5544123/entra-tap@821093847), got ${JSON.stringify(repository)}`,
      );
    }
  }

  const environments = raw.environments ?? defaultEnvironments;
  if (!Array.isArray(environments) || environments.length === 0) {
    problems.push("bootstrap:environments must be a non-empty list of environment names, e.g. [dev, prod]");
  } else if (environments.length > federatedCredentialsPerApplication) {
    problems.push(
      `bootstrap:environments has ${environments.length} environments; allowed: 1 to ${federatedCredentialsPerApplication} ` +
        "(each is a federated credential of each identity, and Entra holds at most 20 per application): " +
        "bootstrap the fleet's tenants one stack each (docs/fleet.md)",
    );
  } else {
    const seen = new Set<string>();
    environments.forEach((environment: unknown, index) => {
      if (typeof environment !== "string" || !environmentName.test(environment)) {
        problems.push(
          `bootstrap:environments[${index}] must be a name of letters, digits, '-' and '_' (at most 50), got ${JSON.stringify(environment)}`,
        );
        return;
      }
      // GitHub environment names are case-insensitive: Prod and prod are the same environment.
      if (seen.has(environment.toLowerCase())) {
        problems.push(`bootstrap:environments[${index}] repeats ${JSON.stringify(environment)}`);
      }
      seen.add(environment.toLowerCase());
      if (environment.toLowerCase() === previewEnvironment) {
        problems.push(
          `bootstrap:environments[${index}] ${JSON.stringify(environment)} is the pull-request previews' environment, not a deployment environment`,
        );
      }
      for (const suffix of derivedEnvironmentSuffixes()) {
        if (environment.toLowerCase().endsWith(suffix)) {
          problems.push(
            `bootstrap:environments[${index}] ${JSON.stringify(environment)}: list deployment environments only; each one's ${suffix} environment is derived`,
          );
        }
      }
    });
  }

  const reviewAllUsers = flag("reviewAllUsers", raw.reviewAllUsers, problems);
  const reviewKnownIssuers = flag("reviewKnownIssuers", raw.reviewKnownIssuers, problems);

  if (problems.length > 0) return { problems };
  return {
    config: {
      githubRepository: repository as string,
      environments: [...(environments as string[])],
      reviewAllUsers,
      reviewKnownIssuers,
    },
    problems: [],
  };
}
