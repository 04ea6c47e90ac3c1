// The schedule: the due check every 15 minutes and `pulumi up` of the grants only when something is due; the daily
// update and review. The due step's own script is run in bash, with `gh` and `npm` played by small scripts, so what it
// decides for each answer is what a run would decide.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fleetMatrices } from "../../scripts/fleet/matrix";
import {
  fleetJobs,
  parseGithubOutput,
  partOf,
  pulumiCommand,
  sampleFleetStacks,
  useParsedWorkflows,
  workflow,
} from "./workflows.support";

useParsedWorkflows();

const schedule = () => workflow("schedule.yml");
/** The job of schedule-stacks.yml as written: one per stack, over its chunk's matrix. */
const upJobs = () =>
  Object.values(workflow("schedule-stacks.yml").jobs).filter((job) => pulumiCommand(job, "up").length > 0);
/** The schedule's jobs as they run over the tests' fleet, each with its stack. */
const scheduledJobs = () =>
  fleetJobs(
    "schedule.yml",
    parseGithubOutput(
      Object.entries(fleetMatrices(sampleFleetStacks))
        .map(([name, chunks]) => `${name}=${JSON.stringify(chunks)}`)
        .join("\n"),
    ),
  );
const dailyCron = () => String((schedule().on.schedule as { cron: string }[])[1].cron);

describe("the schedule", () => {
  it("checks what is due four times an hour, and updates and reviews once a day", () => {
    expect(schedule().on.schedule).toEqual([
      { cron: expect.stringMatching(/^\d+,\d+,\d+,\d+ \* \* \* \*$/) },
      { cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) },
    ]);
    const [quarters] = (schedule().on.schedule as { cron: string }[]).map((s) => s.cron);
    const minutes = quarters.split(" ")[0].split(",").map(Number);
    // Evenly, at most 15 minutes apart: the interval the README's figure (What is due) counts on.
    expect(minutes.map((m, i) => (minutes[(i + 1) % 4] - m + 60) % 60)).toEqual([15, 15, 15, 15]);
    // The daily run is told by its own cron, spelt as the trigger spells it.
    for (const job of upJobs()) {
      expect(job.env?.DAILY).toBe(
        `\${{ github.event_name != 'schedule' || github.event.schedule == '${dailyCron()}' }}`,
      );
    }
  });

  it("updates every stack's grants only, and only when the due step says so", () => {
    expect(scheduledJobs().map((j) => j.stack)).toEqual(sampleFleetStacks.map((s) => s.stack));
    for (const job of upJobs()) {
      expect(partOf(job)).toBe("grants");
      const due = job.steps.findIndex((step) => step.id === "due");
      const signIn = job.steps.findIndex((step) => step.uses?.startsWith("azure/login@"));
      const up = job.steps.findIndex((step) => step.with?.command === "up");
      expect(due).toBeGreaterThan(-1);
      expect(signIn).toBeGreaterThan(due);
      // Nothing signs in or installs the pack when nothing is due.
      for (const step of job.steps.slice(due + 1, up + 1)) {
        expect([step.name ?? step.uses, step.if]).toEqual([
          step.name ?? step.uses,
          "steps.due.outputs.up == 'true'",
        ]);
      }
    }
  });

  it("writes the review as markdown to the daily run's summary, keeping its exit status", () => {
    for (const job of upJobs()) {
      const up = job.steps.findIndex((step) => step.with?.command === "up");
      const review = job.steps.findIndex((step) => /\bnpm run (--silent )?review\b/.test(step.run ?? ""));
      expect(review).toBeGreaterThan(up);
      const step = job.steps[review];
      const script = step.run!;
      expect(script).toMatch(
        /npm run (--silent )?review -- --stack "\$STACK" --markdown >> "\$GITHUB_STEP_SUMMARY"/,
      );
      expect(job.env?.STACK).toBe("${{ matrix.tenant.stack }}");
      // Exit 3 (needs attention) must fail the job: nothing may swallow the status.
      expect(script).toMatch(/set -o pipefail/);
      expect(script).toMatch(/\|\| status=\$\?/);
      expect(script.trim().split("\n").pop()).toBe('exit "$status"');
      expect(step.shell).toBe("bash");
      // Daily, and still when the update failed; never every 15 minutes.
      expect(step.if).toBe("${{ !cancelled() && env.DAILY == 'true' }}");
    }
  });

  it("runs each stack in its -passes environment, without waiting for the rollout's reviewers", () => {
    for (const { job, stack } of scheduledJobs()) expect(job.environment).toBe(`${stack}-passes`);
  });
});

describe("the due step", () => {
  let bin: string;
  let calls: string;

  /** `gh` and `npm` as scripts that log their arguments and answer as told. */
  function play(tool: string, script: string): void {
    const file = path.join(bin, tool);
    fs.writeFileSync(file, `#!/usr/bin/env bash\necho "${tool} $*" >> "${calls}"\n${script}\n`);
    fs.chmodSync(file, 0o755);
  }

  /** Runs the step's script as the runner would (bash, the job's and step's env), and what it wrote to GITHUB_OUTPUT. */
  function runDueStep(env: { DAILY: string; lastSuccess: string; dueStatus: number }) {
    const job = upJobs()[0];
    const step = job.steps.find((s) => s.id === "due")!;
    play("gh", `printf '%s\\n' "${env.lastSuccess}"`);
    play("npm", `echo "due says ${env.dueStatus}"; exit ${env.dueStatus}`);
    const output = path.join(bin, "output");
    fs.writeFileSync(output, "");
    fs.writeFileSync(calls, "");
    const result = spawnSync("bash", ["-e", "-o", "pipefail", "-c", step.run!], {
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        GITHUB_OUTPUT: output,
        STACK: "dev",
        DAILY: env.DAILY,
      },
    });
    return {
      status: result.status,
      stdout: result.stdout,
      outputs: fs.readFileSync(output, "utf8"),
      calls: fs.readFileSync(calls, "utf8").trim().split("\n").filter(Boolean),
    };
  }

  beforeEach(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-due-step-"));
    calls = path.join(bin, "calls");
  });
  afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));

  it("updates on the daily run without asking anything", () => {
    const run = runDueStep({ DAILY: "true", lastSuccess: "", dueStatus: 0 });
    expect(run).toMatchObject({ status: 0, outputs: "up=true\n", calls: [] });
  });

  it("asks due from the start of this workflow's last successful run, and skips the update when nothing is due", () => {
    const run = runDueStep({ DAILY: "false", lastSuccess: "2026-12-04T09:07:12Z", dueStatus: 0 });
    expect(run).toMatchObject({ status: 0, outputs: "up=false\n" });
    expect(run.calls).toEqual([
      expect.stringMatching(
        /^gh run list --workflow schedule\.yml --status success --limit 1 --json startedAt /,
      ),
      "npm run --silent due -- --stack dev --since 2026-12-04T09:07:12Z",
    ]);
  });

  it("updates when due says something is due (exit 3)", () => {
    const run = runDueStep({ DAILY: "false", lastSuccess: "2026-12-04T09:07:12Z", dueStatus: 3 });
    expect(run).toMatchObject({ status: 0, outputs: "up=true\n" });
  });

  it("updates when no run has succeeded yet, without asking due", () => {
    const run = runDueStep({ DAILY: "false", lastSuccess: "", dueStatus: 0 });
    expect(run).toMatchObject({ status: 0, outputs: "up=true\n" });
    expect(run.calls).toHaveLength(1);
  });

  it.each([1, 2])("fails the run when due fails (exit %i), deciding nothing", (status) => {
    const run = runDueStep({ DAILY: "false", lastSuccess: "2026-12-04T09:07:12Z", dueStatus: status });
    expect(run).toMatchObject({ status, outputs: "" });
  });
});
