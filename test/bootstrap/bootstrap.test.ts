// bootstrap/: the config check, the GitHub subjects and the identities' permissions (bootstrap/identities.ts); the
// program under the mock runtime is in index.test.ts.
import { validateBootstrapConfig } from "../../bootstrap/config";
import {
  derivedEnvironmentSuffixes,
  federatedSubjects,
  grantedPermissions,
  identities,
} from "../../bootstrap/identities";

const repository = "contoso/entra-tap";
const byName = (name: string) => identities.find((identity) => identity.name === name)!;

describe("validateBootstrapConfig", () => {
  it("accepts a repository and defaults the environments to dev and prod", () => {
    expect(validateBootstrapConfig({ githubRepository: repository })).toEqual({
      config: {
        githubRepository: repository,
        environments: ["dev", "prod"],
        reviewAllUsers: false,
        reviewKnownIssuers: false,
      },
      problems: [],
    });
  });

  it("keeps the environments given", () => {
    const result = validateBootstrapConfig({
      githubRepository: "Contoso-IT/tap.infra_1",
      environments: ["test"],
    });
    expect(result).toEqual({
      config: {
        githubRepository: "Contoso-IT/tap.infra_1",
        environments: ["test"],
        reviewAllUsers: false,
        reviewKnownIssuers: false,
      },
      problems: [],
    });
  });

  it("requires the repository", () => {
    expect(validateBootstrapConfig({}).problems).toEqual([
      "bootstrap:githubRepository is required: the GitHub repository as owner/name",
    ]);
  });

  it.each([
    "entra-tap",
    "contoso/",
    "/entra-tap",
    "contoso/entra-tap/extra",
    "https://example.invalid/contoso/entra-tap",
    "-contoso/entra-tap",
    "contoso/..",
    "contoso/entra tap",
    // Immutable ids: both or neither, each a positive number.
    "contoso@5544123/entra-tap",
    "contoso/entra-tap@821093847",
    "contoso@/entra-tap@821093847",
    "contoso@0/entra-tap@821093847",
    "contoso@55a/entra-tap@821093847",
    "contoso@1@2/entra-tap@3@4",
  ])("refuses the repository %j", (githubRepository) => {
    expect(validateBootstrapConfig({ githubRepository }).problems).toEqual([
      "bootstrap:githubRepository must be owner/name (e.g. contoso/entra-tap), or owner@<owner id>/name@<repository " +
        `id> for GitHub's immutable subjects (e.g. contoso@5544123/entra-tap@821093847), got ${JSON.stringify(githubRepository)}`,
    ]);
  });

  it("refuses a deployment environment named like the previews' own", () => {
    expect(
      validateBootstrapConfig({ githubRepository: repository, environments: ["dev", "Preview"] }).problems,
    ).toEqual([
      'bootstrap:environments[1] "Preview" is the pull-request previews\' environment, not a deployment environment',
    ]);
  });

  it("accepts a repository with GitHub's immutable owner and repository ids", () => {
    const immutable = "contoso@5544123/entra-tap@821093847";
    expect(validateBootstrapConfig({ githubRepository: immutable }).problems).toEqual([]);
  });

  it("refuses an empty or non-list environments value", () => {
    const message = "bootstrap:environments must be a non-empty list of environment names, e.g. [dev, prod]";
    expect(validateBootstrapConfig({ githubRepository: repository, environments: [] }).problems).toEqual([
      message,
    ]);
    expect(validateBootstrapConfig({ githubRepository: repository, environments: "prod" }).problems).toEqual([
      message,
    ]);
  });

  it("refuses more environments than an application holds federated credentials (20)", () => {
    const environments = (n: number) => Array.from({ length: n }, (_, i) => `tenant-${i}`);
    expect(
      validateBootstrapConfig({ githubRepository: repository, environments: environments(20) }).problems,
    ).toEqual([]);
    expect(
      validateBootstrapConfig({ githubRepository: repository, environments: environments(21) }).problems,
    ).toEqual([expect.stringMatching(/^bootstrap:environments has 21 environments; allowed: 1 to 20 /)]);
  });

  it("reports every bad environment, by position, with the repository's problem", () => {
    expect(
      validateBootstrapConfig({
        githubRepository: 42,
        environments: ["dev", "Dev", "pr od", 7, "prod-passes"],
      }).problems,
    ).toEqual([
      "bootstrap:githubRepository must be text: the GitHub repository as owner/name",
      'bootstrap:environments[1] repeats "Dev"',
      `bootstrap:environments[2] must be a name of letters, digits, '-' and '_' (at most 50), got "pr od"`,
      `bootstrap:environments[3] must be a name of letters, digits, '-' and '_' (at most 50), got 7`,
      'bootstrap:environments[4] "prod-passes": list deployment environments only; each one\'s -passes environment is derived',
    ]);
  });

  it.each([
    [undefined, false],
    ["", false],
    ["false", false],
    [false, false],
    ["true", true],
    [true, true],
  ])("reads bootstrap:reviewAllUsers %j as %s", (reviewAllUsers, expected) => {
    const result = validateBootstrapConfig({ githubRepository: repository, reviewAllUsers });
    expect(result.problems).toEqual([]);
    expect("config" in result && result.config.reviewAllUsers).toBe(expected);
  });

  it.each(["yes", "True", "1", 1, ["true"]])("refuses bootstrap:reviewAllUsers %j", (reviewAllUsers) => {
    expect(validateBootstrapConfig({ githubRepository: repository, reviewAllUsers }).problems).toEqual([
      `bootstrap:reviewAllUsers must be true or false, got ${JSON.stringify(reviewAllUsers)}`,
    ]);
  });
});

describe("federatedSubjects", () => {
  it("trusts the preview environment (pull requests, once admitted) for the preview identity, whatever the environments", () => {
    expect(federatedSubjects(byName("entra-tap-preview"), repository, ["dev", "prod"])).toEqual([
      { key: "github-preview", subject: "repo:contoso/entra-tap:environment:preview" },
    ]);
  });

  it("trusts the deployment environments for the policy identity and their -passes twins for the passes", () => {
    expect(federatedSubjects(byName("entra-tap-policy"), repository, ["dev", "prod"])).toEqual([
      { key: "github-dev", subject: "repo:contoso/entra-tap:environment:dev" },
      { key: "github-prod", subject: "repo:contoso/entra-tap:environment:prod" },
    ]);
    expect(federatedSubjects(byName("entra-tap-passes"), repository, ["prod"])).toEqual([
      { key: "github-prod-passes", subject: "repo:contoso/entra-tap:environment:prod-passes" },
    ]);
    expect(derivedEnvironmentSuffixes()).toEqual(["-passes"]);
  });

  it("names the repository as immutable subjects do, for each identity's jobs", () => {
    // GitHub's format for repositories created, renamed or transferred on or after 2026-07-15.
    const immutable = "contoso@5544123/entra-tap@821093847";
    expect(federatedSubjects(byName("entra-tap-preview"), immutable, ["dev"])).toEqual([
      { key: "github-preview", subject: "repo:contoso@5544123/entra-tap@821093847:environment:preview" },
    ]);
    expect(
      federatedSubjects(byName("entra-tap-policy"), immutable, ["dev", "prod"]).map((s) => s.subject),
    ).toEqual([
      "repo:contoso@5544123/entra-tap@821093847:environment:dev",
      "repo:contoso@5544123/entra-tap@821093847:environment:prod",
    ]);
    expect(federatedSubjects(byName("entra-tap-passes"), immutable, ["prod"]).map((s) => s.subject)).toEqual([
      "repo:contoso@5544123/entra-tap@821093847:environment:prod-passes",
    ]);
  });
});

describe("the identities' permissions", () => {
  it("lists each permission once per identity", () => {
    for (const identity of identities) {
      const values = identity.permissions.map((permission) => permission.value);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it("gives the preview identity read permissions only", () => {
    for (const { value } of byName("entra-tap-preview").permissions) {
      expect(value).not.toMatch(/Write|Revoke/);
      expect(value).toMatch(/\.Read(Basic)?\.[A-Za-z]+$/);
    }
  });

  it("lets both identities that read passes run the registration preflight (What If), the passes one at least privilege", () => {
    const values = (name: string) => byName(name).permissions.map((p) => p.value);
    expect(values("entra-tap-passes")).toContain("Policy.Read.ConditionalAccess");
    expect(values("entra-tap-passes")).not.toContain("Policy.Read.All");
    // Policy.Read.All is what What If names as the higher privilege; the preview identity holds it for the policy.
    expect(values("entra-tap-preview")).toContain("Policy.Read.All");
  });

  it("gives the passes identity PIM for Groups assignments, and AuditLog.Read.All only with bootstrap:reviewAllUsers", () => {
    const values = (reviewAllUsers: boolean, name: string) =>
      grantedPermissions(byName(name), { reviewAllUsers, reviewKnownIssuers: false }).map((p) => p.value);
    expect(values(false, "entra-tap-passes")).toContain(
      "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
    );
    expect(values(false, "entra-tap-passes")).not.toContain("AuditLog.Read.All");
    expect(values(true, "entra-tap-passes")).toEqual([
      ...values(false, "entra-tap-passes"),
      "AuditLog.Read.All",
    ]);
    // Known issuers need the same permission: either flag gives it.
    expect(
      grantedPermissions(byName("entra-tap-passes"), { reviewAllUsers: false, reviewKnownIssuers: true }).map(
        (p) => p.value,
      ),
    ).toContain("AuditLog.Read.All");
    // The flag gives nothing to the other identities, and no permission but the passes' is opt-in.
    for (const name of ["entra-tap-preview", "entra-tap-policy"]) {
      expect(values(true, name)).toEqual(values(false, name));
      expect(values(true, name)).toEqual(byName(name).permissions.map((p) => p.value));
    }
    expect(
      identities.flatMap((i) =>
        i.permissions.filter((p) => p.onlyWith).map((p) => [i.name, p.value, p.onlyWith]),
      ),
    ).toEqual([["entra-tap-passes", "AuditLog.Read.All", ["reviewAllUsers", "reviewKnownIssuers"]]]);
  });

  it("keeps the two tier-0 write permissions on different identities", () => {
    const holders = (value: string) =>
      identities.filter((identity) => identity.permissions.some((p) => p.value === value)).map((i) => i.name);
    expect(holders("Policy.ReadWrite.AuthenticationMethod")).toEqual(["entra-tap-policy"]);
    expect(holders("UserAuthenticationMethod.ReadWrite.All")).toEqual(["entra-tap-passes"]);
  });
});
