// pulumi up per stack: one at a time, split between two identities; the pull request's checks. The schedule is in
// workflows.schedule.test.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { grantsUrnGlob } from "../../scripts/grantTargets";
import {
  action,
  allJobs,
  expandMatrix,
  identitiesTrusting,
  type Mapping,
  needsOf,
  partOf,
  pulumiCommand,
  stacksOf,
  stepsUsing,
  upstreamOf,
  useParsedWorkflows,
  workflow,
  workflowsDir,
} from "./workflows.support";

useParsedWorkflows();

describe("pulumi up", () => {
  const upJobs = () => allJobs().filter(({ job }) => pulumiCommand(job, "up").length > 0);

  it("runs in deploy.yml and schedule.yml only, never on a pull request", () => {
    expect([...new Set(upJobs().map(({ file }) => path.basename(file)))].sort()).toEqual([
      "deploy.yml",
      "schedule.yml",
    ]);
    expect(Object.keys(workflow("pull-request.yml").on)).toEqual(["pull_request"]);
  });

  it("holds two concurrency groups per stack, the schedule's never that of a job behind reviewers, never cancelled", () => {
    const groups = new Map<string, Set<string>>();
    /** Each group's jobs, with their environment: a job waiting for reviewers holds its group meanwhile. */
    const members = new Map<string, { file: string; environment: string }[]>();
    for (const { file, id, job } of upJobs()) {
      const concurrency = job.concurrency as Mapping | undefined;
      expect([file, id, concurrency?.["cancel-in-progress"]]).toEqual([file, id, false]);
      const stacks = stacksOf(job);
      const expanded = expandMatrix(job, String(concurrency?.group ?? ""));
      const environments = expandMatrix(job, String(job.environment ?? ""));
      expect(expanded).toHaveLength(stacks.length);
      stacks.forEach((stack, index) => {
        expect(expanded[index]).toContain(stack);
        groups.set(stack, new Set([...(groups.get(stack) ?? []), expanded[index]]));
        const environment = environments[index] ?? environments[0];
        members.set(expanded[index], [...(members.get(expanded[index]) ?? []), { file, environment }]);
      });
    }
    expect(Object.fromEntries([...groups].map(([stack, names]) => [stack, [...names].sort()]))).toEqual({
      dev: ["pulumi-up-dev", "pulumi-up-dev-passes"],
      prod: ["pulumi-up-prod", "pulumi-up-prod-passes"],
    });
    // The schedule shares its groups only with jobs in a <stack>-passes environment, which has no reviewers.
    for (const [group, jobs] of members) {
      if (!jobs.some((j) => j.file.endsWith("schedule.yml"))) continue;
      expect([group, jobs.map((j) => j.environment).filter((e) => !e.endsWith("-passes"))]).toEqual([
        group,
        [],
      ]);
    }
  });

  it("deploys dev, then prod behind the prod environment, each as a policy job then a grants job", () => {
    const { jobs } = workflow("deploy.yml");
    expect(workflow("deploy.yml").on).toMatchObject({ push: { branches: ["main"] } });
    expect(Object.keys(jobs).sort()).toEqual(["grants-dev", "grants-prod", "policy-dev", "policy-prod"]);
    for (const stack of ["dev", "prod"]) {
      const policy = jobs[`policy-${stack}`];
      const grants = jobs[`grants-${stack}`];
      expect([stacksOf(policy), partOf(policy), policy.environment]).toEqual([[stack], "policy", stack]);
      expect([stacksOf(grants), partOf(grants), grants.environment]).toEqual([
        [stack],
        "grants",
        `${stack}-passes`,
      ]);
      // The grants against the policy and groups just applied: the grants job waits for its stack's policy job.
      expect(needsOf(grants)).toContain(`policy-${stack}`);
    }
    // prod's jobs only after both of dev's; prod's grants only after prod's policy job, which waits for the prod
    // environment's reviewers, so after the approval.
    for (const id of ["policy-prod", "grants-prod"]) {
      expect([id, [...upstreamOf(jobs, id)].sort()]).toEqual([
        id,
        id === "policy-prod" ? ["grants-dev", "policy-dev"] : ["grants-dev", "policy-dev", "policy-prod"],
      ]);
    }
    expect(needsOf(jobs["policy-dev"])).toEqual([]);
  });

  it("runs the strict policy pack with every preview and update", () => {
    const runs = allJobs().flatMap(({ job }) => [
      ...pulumiCommand(job, "up"),
      ...pulumiCommand(job, "preview"),
    ]);
    expect(runs.length).toBeGreaterThan(0);
    for (const step of runs) {
      expect(step.with).toMatchObject({
        policyPacks: "policies",
        policyPackConfigs: "policies/config/strict.json",
      });
    }
  });

  it("runs the offline plan with the pack config its job's preview or update enforces", () => {
    // A pull request from a fork gets only the plan: it must be held to the same config as the preview.
    const planned = allJobs().filter(({ job }) =>
      job.steps.some((step) => step.run?.includes("npm run plan")),
    );
    expect(planned.length).toBeGreaterThan(0);
    for (const { file, id, job } of planned) {
      const plan = job.steps.find((step) => step.run?.includes("npm run plan"))!;
      const packConfigs = new Set(
        [...pulumiCommand(job, "up"), ...pulumiCommand(job, "preview")].map(
          (step) => step.with?.policyPackConfigs,
        ),
      );
      expect([file, id, packConfigs.size]).toEqual([file, id, 1]);
      expect([file, id, plan.run?.match(/--policy-config (\S+)/)?.[1]]).toEqual([
        file,
        id,
        [...packConfigs][0],
      ]);
    }
  });

  it("takes the backend from a variable and the passphrase from a secret", () => {
    for (const { file, id, job } of allJobs().filter(
      ({ job }) => stepsUsing(job, "pulumi/actions").length > 0,
    )) {
      expect([file, id, job.env?.PULUMI_BACKEND_URL, job.env?.PULUMI_CONFIG_PASSPHRASE]).toEqual([
        file,
        id,
        "${{ vars.PULUMI_BACKEND_URL }}",
        "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      ]);
      // The policy pack's own dependencies are installed before Pulumi runs it.
      const install = job.steps.findIndex((step) => step.run === "(cd policies && npm ci)");
      const pulumi = job.steps.findIndex((step) => action(step) === "pulumi/actions");
      expect([file, id, install >= 0 && install < pulumi]).toEqual([file, id, true]);
    }
  });
});

describe("each pulumi up, split between two identities by resource targeting", () => {
  const upJobs = () => allJobs().filter(({ job }) => pulumiCommand(job, "up").length > 0);

  it("excludes the grants or targets them, with the one glob of scripts/grantTargets.ts, never neither", () => {
    const parts = upJobs().map(({ file, id, job }) => [path.basename(file), id, partOf(job)]);
    expect(parts.sort()).toEqual([
      ["deploy.yml", "grants-dev", "grants"],
      ["deploy.yml", "grants-prod", "grants"],
      ["deploy.yml", "policy-dev", "policy"],
      ["deploy.yml", "policy-prod", "policy"],
      ["schedule.yml", "up-and-review", "grants"],
    ]);
    // The glob as the workflows spell it, quoted, so a reader finds the same text as in scripts/grantTargets.ts.
    for (const name of ["deploy.yml", "schedule.yml"]) {
      const text = fs.readFileSync(path.join(workflowsDir, name), "utf8");
      expect(text).toContain(`"${grantsUrnGlob}"`);
    }
  });

  it("signs the policy part in as entra-tap-policy and the grants part as entra-tap-passes", () => {
    const expected = { policy: ["entra-tap-policy"], grants: ["entra-tap-passes"] };
    for (const { file, id, job } of upJobs()) {
      const environments = expandMatrix(job, String(job.environment ?? ""));
      expect(environments).toEqual(stacksOf(job).map((stack) => expect.stringContaining(stack)));
      for (const environment of environments) {
        expect([file, id, environment, identitiesTrusting(environment)]).toEqual([
          file,
          id,
          environment,
          expected[partOf(job)],
        ]);
      }
    }
  });
});

describe("the pull request workflow", () => {
  it("runs npm test, then the offline plan and the commented preview of every stack", () => {
    const { jobs } = workflow("pull-request.yml");
    expect(Object.values(jobs).some((job) => job.steps.some((step) => step.run === "npm test"))).toBe(true);
    const stackJobs = Object.values(jobs).filter((job) => pulumiCommand(job, "preview").length > 0);
    expect(stackJobs.flatMap(stacksOf).sort()).toEqual(["dev", "prod"]);
    for (const job of stackJobs) {
      expect(job.needs).toBe("test");
      const plan = job.steps.find((step) => step.run?.startsWith("npm run plan"));
      expect(plan?.run).toBe(
        "npm run plan -- --stack ${{ matrix.stack }} --policy-config policies/config/strict.json",
      );
      expect(pulumiCommand(job, "preview")[0].with).toMatchObject({
        "comment-on-pr": "true",
        refresh: "true",
      });
    }
  });
});
