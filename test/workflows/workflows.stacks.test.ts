// The workflows over the fleet: every stack file's stack, as matrices that fleet-stacks.yml lists (more than 256 in
// chunks), each stack signed in to its own tenant; pulumi up in two waves, split between two identities; the pull
// request's checks in every tenant. The schedule is in workflows.schedule.test.ts.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { grantsUrnGlob } from "../../scripts/grantTargets";
import { fleetMatrices, matrixLimit } from "../../scripts/fleet/matrix";
import { runFleetMatrix } from "../../scripts/fleetMatrix";
import { makeTempDir } from "../support/tempDirs";
import {
  allJobs,
  calledWorkflow,
  type FleetJob,
  fleetJobs,
  identitiesTrusting,
  type Mapping,
  needsOf,
  parseGithubOutput,
  partOf,
  pulumiCommand,
  sampleFleetStacks,
  stepsUsing,
  useParsedWorkflows,
  workflow,
  workflowsDir,
} from "./workflows.support";

useParsedWorkflows();

const projectDir = path.resolve(__dirname, "../..");

const sampleOutputs = parseGithubOutput(
  Object.entries(fleetMatrices(sampleFleetStacks))
    .map(([name, chunks]) => `${name}=${JSON.stringify(chunks)}`)
    .join("\n"),
);
const sampleStackNames = sampleFleetStacks.map((s) => s.stack);
const sampleOf = (stack: string) => sampleFleetStacks.find((s) => s.stack === stack)!;
const triggered = ["deploy.yml", "pull-request.yml", "schedule.yml"];
const upJobs = (jobs: FleetJob[]) => jobs.filter(({ job }) => pulumiCommand(job, "up").length > 0);
const stacksOf = (jobs: FleetJob[]) => jobs.map((j) => j.stack!).sort();

describe("the fleet's stacks", () => {
  it("are listed by fleet-stacks.yml with npm run fleet-matrix, holding nothing but a read of the contents", () => {
    const listing = workflow("fleet-stacks.yml");
    expect(Object.keys(listing.on)).toEqual(["workflow_call"]);
    const { stacks } = listing.jobs;
    expect(stacks.steps.find((step) => step.id === "matrix")?.run).toBe(
      'npm run --silent fleet-matrix >> "$GITHUB_OUTPUT"',
    );
    const outputs = (listing.on.workflow_call as { outputs: Record<string, { value: string }> }).outputs;
    for (const name of ["all", "canary", "rest"]) {
      expect(outputs[name].value).toBe(`\${{ jobs.stacks.outputs.${name} }}`);
      expect((stacks as unknown as Mapping).outputs).toMatchObject({
        [name]: `\${{ steps.matrix.outputs.${name} }}`,
      });
    }
    expect([stacks.environment, stacks.env, stacks.permissions]).toEqual([
      undefined,
      undefined,
      { contents: "read" },
    ]);
  });

  it("are what npm run fleet-matrix lists from the repository's stack files: dev, the canary, in its own tenant", async () => {
    // The committed ones, as a clone holds them (not the stacks the engine suite or the bench write while they run).
    const checkout = makeTempDir("entra-tap-checkout-");
    const committed = execFileSync("git", ["ls-files", "Pulumi.yaml", "Pulumi.*.yaml"], {
      cwd: projectDir,
      encoding: "utf8",
    });
    for (const file of committed.trim().split("\n"))
      fs.copyFileSync(path.join(projectDir, file), path.join(checkout, file));
    let printed = "";
    const code = await runFleetMatrix([], {
      stdout: (text) => (printed += text),
      stderr: () => undefined,
      env: {},
      projectDir: checkout,
    });
    expect(code).toBe(0);
    const jobs = fleetJobs("deploy.yml", parseGithubOutput(printed));
    expect([...new Set(stacksOf(jobs))]).toEqual(["dev"]);
    for (const { job } of upJobs(jobs)) {
      expect(job.env).toMatchObject({
        AZURE_TENANT_ID: "5b1f2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        ARM_SUBSCRIPTION_ID: "0c4e2d1a-7b6f-4e5d-9c3b-1a2f3e4d5c6b",
      });
    }
  });

  it.each(triggered)(
    "%s runs every stack of a fleet larger than one matrix, in chunks a matrix can hold",
    (name) => {
      const jobs = fleetJobs(name, sampleOutputs).filter((j) => j.stack !== undefined);
      const perStack = new Map<string, number>();
      for (const { stack } of jobs) perStack.set(stack!, (perStack.get(stack!) ?? 0) + 1);
      expect([...perStack.keys()].sort()).toEqual([...sampleStackNames].sort());
      // The same jobs in every stack: none twice, none left out.
      expect(new Set(perStack.values()).size).toBe(1);
      for (const chunks of Object.values(sampleOutputs) as unknown[][]) {
        for (const chunk of chunks) expect((chunk as unknown[]).length).toBeLessThanOrEqual(matrixLimit);
      }
      expect((sampleOutputs.all as unknown[]).length).toBe(2);
    },
  );

  it("never stops one tenant's jobs for another's failure (fail-fast: false on every matrix)", () => {
    const matrixJobs = allJobs().filter(({ job }) => job.strategy?.matrix !== undefined);
    expect(matrixJobs.length).toBeGreaterThan(0);
    for (const { file, id, job } of matrixJobs)
      expect([file, id, job.strategy?.["fail-fast"]]).toEqual([file, id, false]);
  });

  it("signs each stack's jobs in to its own stack file's tenant and subscription", () => {
    const signingIn = triggered
      .flatMap((name) => fleetJobs(name, sampleOutputs))
      .filter(({ job }) => stepsUsing(job, "azure/login").length > 0);
    expect(new Set(signingIn.map((j) => j.stack)).size).toBe(sampleStackNames.length);
    for (const { file, id, job, stack } of signingIn) {
      const { tenantId, subscriptionId } = sampleOf(stack!);
      expect([file, id, stack, job.env]).toEqual([
        file,
        id,
        stack,
        expect.objectContaining({
          AZURE_TENANT_ID: tenantId,
          ARM_TENANT_ID: tenantId,
          ARM_SUBSCRIPTION_ID: subscriptionId,
        }),
      ]);
      expect(stepsUsing(job, "azure/login")[0].with).toMatchObject({
        "tenant-id": tenantId,
        "subscription-id": subscriptionId,
      });
    }
  });
});

describe("pulumi up", () => {
  it("runs in deploy.yml's and schedule.yml's stacks only, never on a pull request", () => {
    const upFiles = (name: string) =>
      [...new Set(upJobs(fleetJobs(name, sampleOutputs)).map(({ file }) => path.basename(file)))].sort();
    expect(upFiles("deploy.yml")).toEqual(["deploy-stack.yml"]);
    expect(upFiles("schedule.yml")).toEqual(["schedule-stacks.yml"]);
    expect(upFiles("pull-request.yml")).toEqual([]);
    expect(Object.keys(workflow("pull-request.yml").on)).toEqual(["pull_request"]);
    for (const name of ["deploy-stack.yml", "schedule-stacks.yml"])
      expect(Object.keys(workflow(name).on)).toEqual(["workflow_call"]);
  });

  it("holds two concurrency groups per stack, the schedule's never that of a job that may wait for reviewers, never cancelled", () => {
    const groups = new Map<string, Set<string>>();
    /** Each group's jobs, with their environment: a job waiting for reviewers holds its group meanwhile. */
    const members = new Map<string, { file: string; environment: string }[]>();
    for (const { file, id, job, stack } of upJobs([
      ...fleetJobs("deploy.yml", sampleOutputs),
      ...fleetJobs("schedule.yml", sampleOutputs),
    ])) {
      const concurrency = job.concurrency as Mapping;
      expect([file, id, concurrency["cancel-in-progress"]]).toEqual([file, id, false]);
      const group = String(concurrency.group);
      groups.set(stack!, new Set([...(groups.get(stack!) ?? []), group]));
      members.set(group, [...(members.get(group) ?? []), { file, environment: String(job.environment) }]);
    }
    expect([...groups.keys()].sort()).toEqual([...sampleStackNames].sort());
    for (const [stack, names] of groups)
      expect([...names].sort()).toEqual([`pulumi-up-${stack}`, `pulumi-up-${stack}-passes`]);
    // The schedule shares its groups only with jobs in a <stack>-passes environment, which has no reviewers.
    for (const [group, jobs] of members) {
      if (!jobs.some((j) => j.file.endsWith("schedule-stacks.yml"))) continue;
      expect([group, jobs.map((j) => j.environment).filter((e) => !e.endsWith("-passes"))]).toEqual([
        group,
        [],
      ]);
    }
  });

  it("deploys the canary wave, then the rest only after the rollout approval, each stack a policy job then a grants job", () => {
    const { jobs } = workflow("deploy.yml");
    expect(workflow("deploy.yml").on).toMatchObject({ push: { branches: ["main"] } });
    expect(Object.keys(jobs).sort()).toEqual(["approval", "canary", "rest", "stacks"]);
    expect(jobs.canary.strategy?.matrix?.chunk).toBe("${{ fromJSON(needs.stacks.outputs.canary) }}");
    expect(jobs.rest.strategy?.matrix?.chunk).toBe("${{ fromJSON(needs.stacks.outputs.rest) }}");
    // The approval waits for every canary (a wave without stacks is skipped, and does not block it).
    expect(needsOf(jobs.approval).sort()).toEqual(["canary", "stacks"]);
    expect(jobs.approval.environment).toBe("rollout");
    expect(jobs.approval.if).toContain(
      "(needs.canary.result == 'success' || needs.canary.result == 'skipped')",
    );
    expect(jobs.approval.if).toContain("needs.stacks.outputs.rest != '[]'");
    expect(jobs.approval.if).toMatch(/^!cancelled\(\)/);
    // The rest with the default condition: only when the approval succeeded.
    expect([needsOf(jobs.rest).sort(), jobs.rest.if]).toEqual([["approval", "stacks"], undefined]);

    const deployed = fleetJobs("deploy.yml", sampleOutputs);
    const wave = (caller: string) =>
      [
        ...new Set(deployed.filter((j) => j.calledFrom[0]?.endsWith(`#${caller}`)).map((j) => j.stack!)),
      ].sort();
    expect(wave("canary")).toEqual(["dev"]);
    expect(wave("rest")).toEqual(sampleStackNames.filter((s) => s !== "dev").sort());

    const stack = workflow("deploy-stack.yml").jobs;
    expect(Object.keys(stack).sort()).toEqual(["grants", "policy"]);
    // The grants against the policy and groups just applied: the grants job waits for its stack's policy job.
    expect([needsOf(stack.policy), needsOf(stack.grants)]).toEqual([[], ["policy"]]);
    for (const { id, job, stack: name } of upJobs(deployed)) {
      expect([name, id, partOf(job), job.environment]).toEqual([
        name,
        id,
        id,
        id === "policy" ? name : `${name}-passes`,
      ]);
    }
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

  it("runs the offline plan of the job's own stack, with the pack config its preview or update enforces", () => {
    // A pull request from a fork gets only the plan: it must be held to the same config as the preview.
    const planned = triggered
      .flatMap((name) => fleetJobs(name, sampleOutputs))
      .filter(({ job }) => job.steps.some((step) => step.run?.includes("npm run plan")));
    expect(planned.length).toBeGreaterThan(0);
    for (const { file, id, job, stack } of planned) {
      const plan = job.steps.find((step) => step.run?.includes("npm run plan"))!;
      const packConfigs = new Set(
        [...pulumiCommand(job, "up"), ...pulumiCommand(job, "preview")].map(
          (step) => step.with?.policyPackConfigs,
        ),
      );
      expect([file, id, packConfigs.size]).toEqual([file, id, 1]);
      // The stack through the environment, never spliced into the script.
      expect([file, id, plan.run]).toEqual([
        file,
        id,
        `npm run plan -- --stack "$STACK" --policy-config ${[...packConfigs][0]}`,
      ]);
      expect([file, id, job.env?.STACK]).toEqual([file, id, stack]);
      for (const step of pulumiCommand(job, "up").concat(pulumiCommand(job, "preview")))
        expect(step.with?.["stack-name"]).toBe(stack);
    }
  });

  it("takes the backend from a variable and the passphrase from a secret of the job's environment", () => {
    for (const { file, id, job } of allJobs().filter(
      ({ job }) => stepsUsing(job, "pulumi/actions").length > 0,
    )) {
      expect([file, id, job.env?.PULUMI_BACKEND_URL, job.env?.PULUMI_CONFIG_PASSPHRASE]).toEqual([
        file,
        id,
        "${{ vars.PULUMI_BACKEND_URL }}",
        "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      ]);
      expect([file, id, typeof job.environment]).toEqual([file, id, "string"]);
      // The policy pack's own dependencies are installed before Pulumi runs it.
      const install = job.steps.findIndex((step) => step.run === "(cd policies && npm ci)");
      const pulumi = job.steps.findIndex((step) => step.uses?.startsWith("pulumi/actions@"));
      expect([file, id, install >= 0 && install < pulumi]).toEqual([file, id, true]);
    }
    // No secret is handed to a called workflow: each job has its environment's own.
    for (const { file, id, job } of allJobs())
      expect([file, id, (job as unknown as Mapping).secrets]).toEqual([file, id, undefined]);
  });
});

describe("each pulumi up, split between two identities by resource targeting", () => {
  it("excludes the grants or targets them, with the one glob of scripts/grantTargets.ts, never neither", () => {
    const parts = allJobs()
      .filter(({ job }) => pulumiCommand(job, "up").length > 0)
      .map(({ file, id, job }) => [path.basename(file), id, partOf(job)]);
    expect(parts.sort()).toEqual([
      ["deploy-stack.yml", "grants", "grants"],
      ["deploy-stack.yml", "policy", "policy"],
      ["schedule-stacks.yml", "up-and-review", "grants"],
    ]);
    // The glob as the workflows spell it, quoted, so a reader finds the same text as in scripts/grantTargets.ts.
    for (const name of ["deploy-stack.yml", "schedule-stacks.yml"]) {
      const text = fs.readFileSync(path.join(workflowsDir, name), "utf8");
      expect(text).toContain(`"${grantsUrnGlob}"`);
    }
  });

  it("signs the policy part in as entra-tap-policy and the grants part as entra-tap-passes, in every stack", () => {
    const expected = { policy: ["entra-tap-policy"], grants: ["entra-tap-passes"] };
    const jobs = upJobs([
      ...fleetJobs("deploy.yml", sampleOutputs),
      ...fleetJobs("schedule.yml", sampleOutputs),
    ]);
    expect(new Set(jobs.map((j) => j.stack)).size).toBe(sampleStackNames.length);
    for (const { file, id, job, stack } of jobs) {
      const environment = String(job.environment);
      expect(environment).toContain(stack);
      expect([file, id, environment, identitiesTrusting(environment, sampleStackNames)]).toEqual([
        file,
        id,
        environment,
        expected[partOf(job)],
      ]);
    }
  });
});

describe("the pull request workflow", () => {
  it("runs npm test, then the offline plan and the commented preview of every stack of the fleet", () => {
    const { jobs } = workflow("pull-request.yml");
    expect(jobs.test.steps.some((step) => step.run === "npm test")).toBe(true);
    expect([calledWorkflow(jobs.preview), needsOf(jobs.preview).sort()]).toEqual([
      "pull-request-stacks.yml",
      ["stacks", "test"],
    ]);
    const previews = fleetJobs("pull-request.yml", sampleOutputs).filter(
      ({ job }) => pulumiCommand(job, "preview").length > 0,
    );
    expect(stacksOf(previews)).toEqual([...sampleStackNames].sort());
    for (const { job } of previews) {
      expect(pulumiCommand(job, "preview")[0].with).toMatchObject({
        "comment-on-pr": "true",
        refresh: "true",
      });
    }
  });
});
