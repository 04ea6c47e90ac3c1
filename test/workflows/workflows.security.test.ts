// The workflows' least permissions per job, sign-in to Azure by OIDC without a secret, and pinned actions.
import * as fs from "node:fs";
import {
  action,
  allJobs,
  type Mapping,
  type ParseResult,
  stepsUsing,
  useParsedWorkflows,
  workflowFiles,
} from "./workflows.support";

let parsed: ParseResult[];
useParsedWorkflows((results) => (parsed = results));

describe("permissions", () => {
  it("grants nothing at the workflow level", () => {
    for (const result of parsed)
      expect([result.file, result.workflow?.permissions]).toEqual([result.file, {}]);
  });

  it("gives every job explicit permissions: contents read, and only what its steps use", () => {
    for (const { file, id, job } of allJobs()) {
      const expected: Mapping = { contents: "read" };
      // azure/login exchanges the job's OIDC token.
      if (stepsUsing(job, "azure/login").length > 0) expected["id-token"] = "write";
      // The preview's comment on the pull request.
      if (stepsUsing(job, "pulumi/actions").some((step) => step.with?.["comment-on-pr"] === "true")) {
        expected["pull-requests"] = "write";
      }
      expect([file, id, job.permissions]).toEqual([file, id, expected]);
    }
  });
});

describe("signing in to Azure", () => {
  it("has no client secret anywhere", () => {
    for (const file of workflowFiles) {
      expect(fs.readFileSync(file, "utf8")).not.toMatch(/AZURE_CLIENT_SECRET|client-secret|creds:/i);
    }
  });

  it("uses OIDC with a client id, tenant id and subscription id from variables, right before Pulumi", () => {
    const logins = allJobs().flatMap(({ file, id, job }) =>
      job.steps
        .map((step, index) => ({ file, id, job, step, index }))
        .filter(({ step }) => action(step) === "azure/login"),
    );
    expect(logins.length).toBeGreaterThan(0);
    for (const { file, id, job, step, index } of logins) {
      expect([file, id, Object.keys(step.with ?? {}).sort()]).toEqual([
        file,
        id,
        ["client-id", "subscription-id", "tenant-id"],
      ]);
      for (const value of Object.values(step.with ?? {}))
        expect(value).toMatch(/^\$\{\{ vars\.AZURE_[A-Z_]+ \}\}$/);
      expect(action(job.steps[index + 1])).toBe("pulumi/actions");
    }
  });

  it("signs pull requests in as the preview identity, and jobs in an environment as the environment's", () => {
    for (const { file, job } of allJobs()) {
      for (const step of stepsUsing(job, "azure/login")) {
        expect([file, step.with?.["client-id"]]).toEqual([
          file,
          job.environment ? "${{ vars.AZURE_CLIENT_ID }}" : "${{ vars.AZURE_CLIENT_ID_PREVIEW }}",
        ]);
      }
    }
  });
});

describe("actions", () => {
  it("are GitHub's, Azure's and Pulumi's, pinned to a major version", () => {
    const allowed = ["actions/checkout@v4", "actions/setup-node@v4", "azure/login@v2", "pulumi/actions@v6"];
    for (const { file, id, job } of allJobs()) {
      for (const step of job.steps.filter((s) => s.uses)) {
        expect([file, id, allowed.includes(step.uses!)]).toEqual([file, id, true]);
      }
      const setupNode = stepsUsing(job, "actions/setup-node");
      for (const step of setupNode) expect(step.with).toEqual({ "node-version": "22", cache: "npm" });
      // Checkout leaves no token behind for the steps that follow.
      for (const step of stepsUsing(job, "actions/checkout"))
        expect(step.with?.["persist-credentials"]).toBe("false");
    }
  });
});
