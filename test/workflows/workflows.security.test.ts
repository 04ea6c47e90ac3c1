// The workflows' least permissions per job, sign-in to Azure by OIDC without a secret, and pinned actions.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import {
  action,
  allJobs,
  calledWorkflow,
  type Job,
  type Mapping,
  type ParseResult,
  stepsUsing,
  useParsedWorkflows,
  identitiesTrusting,
  workflow,
  workflowFiles,
  workflowsDir,
} from "./workflows.support";
import { previewEnvironment } from "../../bootstrap/identities";

const projectDir = path.resolve(__dirname, "../..");

let parsed: ParseResult[];
useParsedWorkflows((results) => (parsed = results));

describe("permissions", () => {
  it("grants nothing at the workflow level", () => {
    for (const result of parsed)
      expect([result.file, result.workflow?.permissions]).toEqual([result.file, {}]);
  });

  it("gives every job explicit permissions: only what its steps use, and a caller what its called jobs use", () => {
    /** What a job's steps use; for a job that calls a workflow, what that workflow's jobs use, together. */
    const needed = (job: Job): Mapping => {
      const called = calledWorkflow(job);
      if (called)
        return Object.assign(
          {},
          ...Object.values(workflow(called).jobs).map((j) => needed({ ...j, steps: j.steps ?? [] })),
        );
      const expected: Mapping = {};
      // Checkout reads the repository's contents.
      if (stepsUsing(job, "actions/checkout").length > 0) expected.contents = "read";
      // azure/login exchanges the job's OIDC token.
      if (stepsUsing(job, "azure/login").length > 0) expected["id-token"] = "write";
      // The preview's comment on the pull request.
      if (stepsUsing(job, "pulumi/actions").some((step) => step.with?.["comment-on-pr"] === "true")) {
        expected["pull-requests"] = "write";
      }
      // The GitHub CLI reads this workflow's runs (the due check's --since).
      if (job.steps.some((step) => /\bgh run list\b/.test(step.run ?? ""))) expected.actions = "read";
      return expected;
    };
    for (const { file, id, job } of allJobs())
      expect([file, id, job.permissions]).toEqual([file, id, needed(job)]);
  });
});

describe("signing in to Azure", () => {
  it("has no client secret anywhere", () => {
    for (const file of workflowFiles) {
      expect(fs.readFileSync(file, "utf8")).not.toMatch(/AZURE_CLIENT_SECRET|client-secret|creds:/i);
    }
  });

  it("uses OIDC with the environment's client id and the stack's tenant and subscription, right before Pulumi", () => {
    const logins = allJobs().flatMap(({ file, id, job }) =>
      job.steps
        .map((step, index) => ({ file, id, job, step, index }))
        .filter(({ step }) => action(step) === "azure/login"),
    );
    expect(logins.length).toBeGreaterThan(0);
    for (const { file, id, job, step, index } of logins) {
      expect([file, id, step.with]).toEqual([
        file,
        id,
        {
          "client-id": "${{ vars.AZURE_CLIENT_ID }}",
          // The stack file's, through the matrix or the called workflow's inputs (never an environment's variable).
          "tenant-id": expect.stringMatching(/^\$\{\{ (matrix\.tenant\.tenantId|inputs\.tenant-id) \}\}$/),
          "subscription-id": expect.stringMatching(
            /^\$\{\{ (matrix\.tenant\.subscriptionId|inputs\.subscription-id) \}\}$/,
          ),
        },
      ]);
      expect([file, id, typeof job.environment]).toEqual([file, id, "string"]);
      expect(action(job.steps[index + 1])).toBe("pulumi/actions");
    }
  });

  it("signs each run's Graph client and Azure providers in with a fresh GitHub OIDC token, as the job's identity", () => {
    const signingIn = allJobs().filter(({ job }) => stepsUsing(job, "azure/login").length > 0);
    expect(signingIn.length).toBeGreaterThan(0);
    for (const { file, id, job } of signingIn) {
      const login = stepsUsing(job, "azure/login")[0].with!;
      expect([file, id, (job.permissions as Mapping | undefined)?.["id-token"]]).toEqual([file, id, "write"]);
      expect([file, id, job.env]).toEqual([
        file,
        id,
        expect.objectContaining({
          AZURE_CLIENT_ID: "${{ vars.AZURE_CLIENT_ID }}",
          AZURE_TENANT_ID: login["tenant-id"],
          ARM_USE_OIDC: "true",
          ARM_CLIENT_ID: "${{ vars.AZURE_CLIENT_ID }}",
          ARM_TENANT_ID: login["tenant-id"],
          ARM_SUBSCRIPTION_ID: login["subscription-id"],
        }),
      ]);
    }
  });

  it("gives a pull request's code the passphrase and an identity only in the preview environment, behind its reviewers", () => {
    const jobs = allJobs().filter(({ file }) => /pull-request(-stacks)?\.yml$/.test(file));
    const holding = jobs.filter(
      ({ job }) =>
        job.env?.PULUMI_CONFIG_PASSPHRASE !== undefined || stepsUsing(job, "azure/login").length > 0,
    );
    expect(holding.length).toBeGreaterThan(0);
    for (const { id, job } of holding) expect([id, job.environment]).toEqual([id, previewEnvironment]);
    // The jobs that hold nothing (the test suite, the stacks' list, the callers) run in no environment, so they
    // need no approval.
    for (const { id, job } of jobs.filter((j) => !holding.includes(j)))
      expect([id, job.environment, job.env?.PULUMI_CONFIG_PASSPHRASE]).toEqual([id, undefined, undefined]);
    expect(identitiesTrusting(previewEnvironment, ["dev"])).toEqual(["entra-tap-preview"]);
  });
});

describe("actions", () => {
  /** Every `uses:` line of the workflows as written (the parser drops the comment that names the version). */
  const usesLines = () =>
    fs
      .readdirSync(workflowsDir)
      .filter((name) => name.endsWith(".yml"))
      .flatMap((name) =>
        fs
          .readFileSync(path.join(workflowsDir, name), "utf8")
          .split("\n")
          .filter((line) => /^\s*(- )?uses: /.test(line) && !line.includes("uses: ./.github/workflows/"))
          .map((line) => ({ name, line: line.replace(/^\s*(- )?uses: /, "") })),
      );

  it("are GitHub's, Azure's and Pulumi's, each pinned to a full commit SHA with its version in a comment", () => {
    const allowed = ["actions/checkout", "actions/setup-node", "azure/login", "pulumi/actions"];
    const pinned = /^([\w-]+\/[\w-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/;
    const shaOf = new Map<string, string>();
    for (const { name, line } of usesLines()) {
      const match = pinned.exec(line);
      expect([name, line, match !== null]).toEqual([name, line, true]);
      const [, action, sha, version] = match!;
      expect([name, action, allowed.includes(action)]).toEqual([name, action, true]);
      // One release of each action everywhere: an update bumps them all.
      expect([action, shaOf.get(action) ?? `${sha} ${version}`]).toEqual([action, `${sha} ${version}`]);
      shaOf.set(action, `${sha} ${version}`);
    }
    expect([...shaOf.keys()].sort()).toEqual(allowed);
    for (const { file, id, job } of allJobs()) {
      const setupNode = stepsUsing(job, "actions/setup-node");
      for (const step of setupNode)
        expect([file, id, step.with]).toEqual([file, id, { "node-version": "22", cache: "npm" }]);
      // Checkout leaves no token behind for the steps that follow.
      for (const step of stepsUsing(job, "actions/checkout"))
        expect(step.with?.["persist-credentials"]).toBe("false");
    }
  });

  it("run the Pulumi CLI release the engine suite runs, in every pulumi/actions step", () => {
    const script = fs.readFileSync(path.join(projectDir, "scripts", "pulumi-cli.sh"), "utf8");
    const pinnedVersion = /^PINNED_VERSION=(\S+)$/m.exec(script)?.[1];
    expect(pinnedVersion).toMatch(/^\d+\.\d+\.\d+$/);
    const steps = allJobs().flatMap(({ file, id, job }) =>
      stepsUsing(job, "pulumi/actions").map((step) => ({ file, id, version: step.with?.["pulumi-version"] })),
    );
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(step).toEqual({ ...step, version: pinnedVersion });
  });

  it("are kept current by Dependabot: the actions, and the project's and the policy pack's npm packages", () => {
    const config = parseYaml(fs.readFileSync(path.join(projectDir, ".github", "dependabot.yml"), "utf8")) as {
      version: number;
      updates: { "package-ecosystem": string; directory: string }[];
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => `${u["package-ecosystem"]} ${u.directory}`).sort()).toEqual([
      "github-actions /",
      "npm /",
      "npm /policies",
    ]);
  });
});
