// .github/workflows/: every workflow parsed and validated by GitHub's own parser (@actions/workflow-parser, the
// one behind GitHub's Actions language service), then the properties people rely on: least permissions per job,
// one `pulumi up` per stack at a time, each `pulumi up` split by resource targeting between entra-tap-policy (the
// grants excluded) and entra-tap-passes (the grants only) with the glob of scripts/grantTargets.ts, sign-in by OIDC
// without a client secret, prod behind its environment, and the schedule's review written to the run's summary with
// its exit status kept.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { federatedSubjects, identities } from "../../bootstrap/identities";
import { grantsUrnGlob } from "../../scripts/grantTargets";

const projectDir = path.resolve(__dirname, "../..");
const workflowsDir = path.join(projectDir, ".github", "workflows");

/** A workflow as plain data: the parser's tokens, expressions given as written (`${{ ... }}`). */
type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
type Mapping = { [key: string]: Value };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  with?: Record<string, string>;
}

interface Job {
  name?: string;
  "runs-on"?: Value;
  needs?: string | string[];
  permissions?: Value;
  concurrency?: Value;
  environment?: Value;
  strategy?: { matrix?: Mapping };
  env?: Record<string, string>;
  steps: Step[];
}

interface Workflow {
  name?: string;
  on: Mapping;
  permissions?: Value;
  jobs: Record<string, Job>;
}

interface ParseResult {
  file: string;
  /** The parser's errors, each as it prints them: `<file> (Line: n, Col: n): <message>`. */
  errors: string[];
  workflow: Workflow | null;
}

/**
 * What runs in the child process below. @actions/workflow-parser is ESM only and imports its JSON schema without
 * an import attribute (actions/languageservices#387): neither jest's CommonJS runtime nor plain Node can load it,
 * so it runs in Node with tsx's loader (already a dev dependency, the one `npm run plan` uses).
 * `parseWorkflow` reads and validates the YAML against GitHub's workflow schema (keys, types, expressions and the
 * contexts each key allows); `convertWorkflowTemplate` then adds the errors found when building the model (cron
 * syntax, `needs` cycles and unknown jobs, matrix, ...) to the same list.
 */
const parserScript = `
import { readFileSync } from "node:fs";
import {
  convertWorkflowTemplate, isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString,
  NoOperationTraceWriter, parseWorkflow,
} from "@actions/workflow-parser";

const plain = (token) => {
  if (isMapping(token)) {
    const object = {};
    for (const { key, value } of token) object[key.toString()] = plain(value);
    return object;
  }
  if (isSequence(token)) return [...token].map(plain);
  if (isBasicExpression(token)) return token.source ?? "\${{ " + token.expression + " }}";
  if (isString(token) || isNumber(token) || isBoolean(token)) return token.value;
  return null;
};

const results = [];
for (const { file, name } of JSON.parse(readFileSync(0, "utf8"))) {
  const parsed = parseWorkflow({ name, content: readFileSync(file, "utf8") }, new NoOperationTraceWriter());
  if (parsed.value) await convertWorkflowTemplate(parsed.context, parsed.value);
  results.push({
    file: name,
    errors: parsed.context.errors.getErrors().map((error) => error.message),
    workflow: parsed.value ? plain(parsed.value) : null,
  });
}
process.stdout.write(JSON.stringify(results));
`;

/** A file's name in the parser's messages: relative to the project when inside it. */
function displayName(file: string): string {
  const relative = path.relative(projectDir, file);
  return relative.startsWith("..") ? file : relative;
}

/** Parses workflow files with GitHub's parser. */
function parseWorkflows(files: string[]): ParseResult[] {
  const output = execFileSync(
    process.execPath,
    ["--import", "tsx/esm", "--input-type=module", "--eval", parserScript],
    {
      cwd: projectDir,
      encoding: "utf8",
      input: JSON.stringify(files.map((file) => ({ file, name: displayName(file) }))),
      timeout: 60_000,
    },
  );
  return JSON.parse(output) as ParseResult[];
}

const workflowFiles = fs
  .readdirSync(workflowsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => path.join(workflowsDir, name));

let parsed: ParseResult[];
beforeAll(() => {
  parsed = parseWorkflows(workflowFiles);
});

const workflow = (name: string): Workflow => {
  const result = parsed.find((r) => r.file === path.join(".github", "workflows", name));
  if (!result?.workflow) throw new Error(`${name} did not parse`);
  return result.workflow;
};
const allJobs = () =>
  parsed.flatMap((r) =>
    Object.entries(r.workflow?.jobs ?? {}).map(([id, job]) => ({ file: r.file, id, job })),
  );

const action = (step: Step) => step.uses?.split("@")[0];
const stepsUsing = (job: Job, name: string) => job.steps.filter((step) => action(step) === name);
const pulumiCommand = (job: Job, command: string) =>
  stepsUsing(job, "pulumi/actions").filter((step) => step.with?.command === command);

/** The stacks a job works on: its pulumi/actions stack name, expanded over the job's matrix. */
function stacksOf(job: Job): string[] {
  const names = stepsUsing(job, "pulumi/actions").map((step) => step.with?.["stack-name"] ?? "");
  return [...new Set(names.flatMap((name) => expandMatrix(job, name)))];
}

/** Each value `text` takes over the job's `matrix.stack` (just `text` when it does not use it). */
function expandMatrix(job: Job, text: string): string[] {
  if (!text.includes("${{ matrix.stack }}")) return [text];
  const stacks = job.strategy?.matrix?.stack;
  if (!Array.isArray(stacks)) throw new Error(`uses matrix.stack without a matrix of stacks: ${text}`);
  return stacks.map((stack) => text.split("${{ matrix.stack }}").join(String(stack)));
}

const needsOf = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat());

/** The jobs `id` waits for, directly or through others. */
function upstreamOf(jobs: Record<string, Job>, id: string, found = new Set<string>()): Set<string> {
  for (const need of needsOf(jobs[id])) {
    if (!found.has(need)) upstreamOf(jobs, need, found.add(need));
  }
  return found;
}

/**
 * Which part of a stack a job's `pulumi up` applies: `policy`, everything but the grants (excluded, with what depends
 * on them), or `grants`, the grants only (targeted, with what depends on them); both by the glob of
 * scripts/grantTargets.ts. Anything else (no targeting, another glob, both, one job doing both parts) is an error.
 */
function partOf(job: Job): "policy" | "grants" {
  const steps = pulumiCommand(job, "up");
  if (steps.length !== 1) throw new Error(`expected one pulumi up in the job, found ${steps.length}`);
  const { target, exclude, ...rest } = steps[0].with ?? {};
  const dependents = { target: rest["target-dependents"], exclude: rest["exclude-dependents"] };
  if (
    exclude === grantsUrnGlob &&
    target === undefined &&
    dependents.exclude === "true" &&
    !dependents.target
  )
    return "policy";
  if (
    target === grantsUrnGlob &&
    exclude === undefined &&
    dependents.target === "true" &&
    !dependents.exclude
  )
    return "grants";
  throw new Error(
    `pulumi up must either exclude or target ${grantsUrnGlob} with its dependents, got ${JSON.stringify(steps[0].with)}`,
  );
}

/** The bootstrap identities whose federated credentials trust a job in GitHub environment `environment`. */
function identitiesTrusting(environment: string): string[] {
  const repository = "contoso/entra-tap";
  return identities
    .filter((identity) =>
      federatedSubjects(identity, repository, ["dev", "prod"]).some(
        ({ subject }) => subject === `repo:${repository}:environment:${environment}`,
      ),
    )
    .map((identity) => identity.name);
}

describe("the workflows, by GitHub's parser", () => {
  it("finds the three workflows", () => {
    expect(workflowFiles.map((file) => path.basename(file))).toEqual([
      "deploy.yml",
      "pull-request.yml",
      "schedule.yml",
    ]);
  });

  it.each(workflowFiles.map((file) => path.basename(file)))("%s has no error", (name) => {
    const result = parsed.find((r) => r.file.endsWith(name))!;
    expect(result.errors).toEqual([]);
    expect(result.workflow).not.toBeNull();
  });
});

describe("a broken workflow", () => {
  const valid = [
    "on: push",
    "permissions: {}",
    "jobs:",
    "  build:",
    "    runs-on: ubuntu-latest",
    "    permissions:",
    "      contents: read",
    "    steps:",
    "      - run: echo ok",
    "",
  ].join("\n");

  const broken: Record<string, { content: string; error: RegExp }> = {
    "unknown-top-level-key.yml": {
      content: valid.replace("permissions: {}", "permisions: {}"),
      error: /unknown-top-level-key\.yml \(Line: 2, Col: 1\): Unexpected value 'permisions'/,
    },
    "job-without-runs-on.yml": {
      content: valid.replace("    runs-on: ubuntu-latest\n", ""),
      error: /job-without-runs-on\.yml \(Line: 5, Col: 5\): Required property is missing: runs-on/,
    },
    "unknown-permission.yml": {
      content: valid.replace("contents: read", "id-tokens: write"),
      error: /Unexpected value 'id-tokens'/,
    },
    "unknown-context.yml": {
      content: valid.replace("echo ok", "echo ${{ secret.AZURE_CLIENT_ID }}"),
      error: /Unrecognized named-value: 'secret'/,
    },
    "bad-cron.yml": {
      content: valid.replace("on: push", 'on:\n  schedule:\n    - cron: "0 25 * * *"'),
      error: /Invalid cron expression/,
    },
    "needs-unknown-job.yml": {
      content: `${valid}  deploy:\n    needs: tests\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo ok\n`,
      error: /Job 'deploy' depends on unknown job 'tests'/,
    },
  };
  let dir: string;
  let results: ParseResult[];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-workflows-"));
    fs.writeFileSync(path.join(dir, "valid.yml"), valid);
    for (const [name, { content }] of Object.entries(broken)) fs.writeFileSync(path.join(dir, name), content);
    results = parseWorkflows([
      path.join(dir, "valid.yml"),
      ...Object.keys(broken).map((name) => path.join(dir, name)),
    ]);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is told apart from the same workflow intact", () => {
    expect(results.find((r) => r.file.endsWith("valid.yml"))!.errors).toEqual([]);
  });

  it.each(Object.keys(broken))("%s is reported as an error", (name) => {
    const { errors } = results.find((r) => r.file.endsWith(name))!;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join("\n")).toMatch(broken[name].error);
  });
});

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

describe("pulumi up", () => {
  const upJobs = () => allJobs().filter(({ job }) => pulumiCommand(job, "up").length > 0);

  it("runs in deploy.yml and schedule.yml only, never on a pull request", () => {
    expect([...new Set(upJobs().map(({ file }) => path.basename(file)))].sort()).toEqual([
      "deploy.yml",
      "schedule.yml",
    ]);
    expect(Object.keys(workflow("pull-request.yml").on)).toEqual(["pull_request"]);
  });

  it("holds a concurrency group per stack, shared by both workflows, and never cancels a running update", () => {
    const groups = new Map<string, Set<string>>();
    for (const { file, id, job } of upJobs()) {
      const concurrency = job.concurrency as Mapping | undefined;
      expect([file, id, concurrency?.["cancel-in-progress"]]).toEqual([file, id, false]);
      const stacks = stacksOf(job);
      const group = String(concurrency?.group ?? "");
      const expanded = expandMatrix(job, group);
      expect(expanded).toHaveLength(stacks.length);
      stacks.forEach((stack, index) => {
        expect(expanded[index]).toContain(stack);
        groups.set(stack, new Set([...(groups.get(stack) ?? []), expanded[index]]));
      });
    }
    expect(Object.fromEntries([...groups].map(([stack, names]) => [stack, [...names]]))).toEqual({
      dev: ["pulumi-up-dev"],
      prod: ["pulumi-up-prod"],
    });
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

describe("the pull request workflow", () => {
  it("runs npm test, then the offline plan and the commented preview of every stack", () => {
    const { jobs } = workflow("pull-request.yml");
    expect(Object.values(jobs).some((job) => job.steps.some((step) => step.run === "npm test"))).toBe(true);
    const stackJobs = Object.values(jobs).filter((job) => pulumiCommand(job, "preview").length > 0);
    expect(stackJobs.flatMap(stacksOf).sort()).toEqual(["dev", "prod"]);
    for (const job of stackJobs) {
      expect(job.needs).toBe("test");
      const plan = job.steps.find((step) => step.run?.startsWith("npm run plan"));
      expect(plan?.run).toBe("npm run plan -- --stack ${{ matrix.stack }}");
      expect(pulumiCommand(job, "preview")[0].with).toMatchObject({
        "comment-on-pr": "true",
        refresh: "true",
      });
    }
  });
});

describe("the schedule", () => {
  it("runs daily", () => {
    expect(workflow("schedule.yml").on.schedule).toEqual([
      { cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) },
    ]);
  });

  it("updates every stack, then writes the review as markdown to the run's summary, keeping its exit status", () => {
    const upJobs = Object.values(workflow("schedule.yml").jobs).filter(
      (job) => pulumiCommand(job, "up").length > 0,
    );
    expect(upJobs.flatMap(stacksOf).sort()).toEqual(["dev", "prod"]);
    for (const job of upJobs) {
      const up = job.steps.findIndex((step) => step.with?.command === "up");
      const review = job.steps.findIndex((step) => /\bnpm run (--silent )?review\b/.test(step.run ?? ""));
      expect(review).toBeGreaterThan(up);
      const step = job.steps[review];
      const script = step.run!;
      expect(script).toMatch(
        /npm run (--silent )?review -- --stack "\$STACK" --markdown >> "\$GITHUB_STEP_SUMMARY"/,
      );
      expect(job.env?.STACK).toBe("${{ matrix.stack }}");
      // Exit 3 (needs attention) must fail the job: nothing may swallow the status.
      expect(script).toMatch(/set -o pipefail/);
      expect(script).toMatch(/\|\| status=\$\?/);
      expect(script.trim().split("\n").pop()).toBe('exit "$status"');
      expect(step.shell).toBe("bash");
      // The review still runs when the update failed.
      expect(step.if).toBe("${{ !cancelled() }}");
    }
  });

  it("runs each stack in its -passes environment, without waiting for prod's reviewers", () => {
    for (const job of Object.values(workflow("schedule.yml").jobs)) {
      expect(expandMatrix(job, String(job.environment))).toEqual(stacksOf(job).map((s) => `${s}-passes`));
    }
  });

  it("updates the grants only, so a policy change on main that deploy.yml has not applied waits for it", () => {
    const upJobs = Object.values(workflow("schedule.yml").jobs).filter(
      (job) => pulumiCommand(job, "up").length > 0,
    );
    expect(upJobs.length).toBeGreaterThan(0);
    for (const job of upJobs) expect(partOf(job)).toBe("grants");
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
