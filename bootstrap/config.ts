// The bootstrap stack's config, checked before anything is declared: one message per problem.

export interface BootstrapConfig {
  /** The GitHub repository whose workflows sign in, as owner/name (exactly as GitHub spells it). */
  githubRepository: string;
  /** The deployment environments (GitHub environments and Pulumi stacks of entra-tap), e.g. dev and prod. */
  environments: string[];
}

export const defaultEnvironments = ["dev", "prod"];

// GitHub: an owner is 1-39 letters, digits or single hyphens, not at either end; a repository name is letters,
// digits, '.', '_' and '-' (not "." or ".."). The subject Entra compares is case-sensitive, hence "exactly".
const owner = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const repositoryName = /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;
// An environment name becomes part of a federated credential's name (letters, digits, '-' and '_', at most 120
// characters) and of a GitHub environment name, hence the narrower set.
const environmentName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;

export type BootstrapConfigResult = { config: BootstrapConfig; problems: [] } | { problems: string[] };

/**
 * Checks the raw config values (`bootstrap:githubRepository`, `bootstrap:environments`; undefined when unset) and
 * returns the config or every problem found.
 */
export function validateBootstrapConfig(raw: {
  githubRepository?: unknown;
  environments?: unknown;
}): BootstrapConfigResult {
  const problems: string[] = [];

  const repository = raw.githubRepository;
  if (repository === undefined || repository === "") {
    problems.push("bootstrap:githubRepository is required: the GitHub repository as owner/name");
  } else if (typeof repository !== "string") {
    problems.push("bootstrap:githubRepository must be text: the GitHub repository as owner/name");
  } else {
    const parts = repository.split("/");
    if (parts.length !== 2 || !owner.test(parts[0]) || !repositoryName.test(parts[1])) {
      problems.push(
        `bootstrap:githubRepository must be owner/name (e.g. contoso/entra-tap), got ${JSON.stringify(repository)}`,
      );
    }
  }

  const environments = raw.environments ?? defaultEnvironments;
  if (!Array.isArray(environments) || environments.length === 0) {
    problems.push("bootstrap:environments must be a non-empty list of environment names, e.g. [dev, prod]");
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
      if (environment.toLowerCase().endsWith("-schedule")) {
        problems.push(
          `bootstrap:environments[${index}] ${JSON.stringify(environment)}: list deployment environments only; each one's -schedule environment is derived`,
        );
      }
    });
  }

  if (problems.length > 0) return { problems };
  return {
    config: { githubRepository: repository as string, environments: [...(environments as string[])] },
    problems: [],
  };
}
