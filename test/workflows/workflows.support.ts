// What the workflow tests share: .github/workflows/ parsed by GitHub's own parser, and what they read from them.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { federatedSubjects, identities } from "../../bootstrap/identities";
import { grantsUrnGlob } from "../../scripts/grantTargets";

const projectDir = path.resolve(__dirname, "../..");
export const workflowsDir = path.join(projectDir, ".github", "workflows");

/** A workflow as plain data: the parser's tokens, expressions given as written (`${{ ... }}`). */
type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
export type Mapping = { [key: string]: Value };

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

export interface Job {
  name?: string;
  "runs-on"?: Value;
  needs?: string | string[];
  if?: string;
  permissions?: Value;
  concurrency?: Value;
  environment?: Value;
  strategy?: { "fail-fast"?: boolean; matrix?: Mapping };
  env?: Record<string, string>;
  /** A job that calls a reusable workflow (`./.github/workflows/<file>`) has `uses` and `with`, and no steps. */
  uses?: string;
  with?: Record<string, string>;
  steps: Step[];
}

export interface Workflow {
  name?: string;
  on: Mapping;
  permissions?: Value;
  jobs: Record<string, Job>;
}

export interface ParseResult {
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
export function parseWorkflows(files: string[]): ParseResult[] {
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

export const workflowFiles = fs
  .readdirSync(workflowsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => path.join(workflowsDir, name));

// This file's workflows, parsed by useParsedWorkflows (each test file has its own copy of this module).
let parsed: ParseResult[];

/** Parses the project's workflows before the test file's tests, and hands the results to `use`. */
export function useParsedWorkflows(use?: (results: ParseResult[]) => void): void {
  beforeAll(() => {
    parsed = parseWorkflows(workflowFiles);
    use?.(parsed);
  });
}

export const workflow = (name: string): Workflow => {
  const result = parsed.find((r) => r.file === path.join(".github", "workflows", name));
  if (!result?.workflow) throw new Error(`${name} did not parse`);
  return result.workflow;
};
/** Every job of every workflow as written; a job that calls a workflow has no steps. */
export const allJobs = () =>
  parsed.flatMap((r) =>
    Object.entries(r.workflow?.jobs ?? {}).map(([id, job]) => ({
      file: r.file,
      id,
      job: { ...job, steps: job.steps ?? [] },
    })),
  );

/** The workflow file a job calls (`./.github/workflows/<name>`), by its name; undefined for a job of steps. */
export const calledWorkflow = (job: Job) =>
  job.uses?.startsWith("./.github/workflows/") ? path.basename(job.uses) : undefined;

export const action = (step: Step) => step.uses?.split("@")[0];
export const stepsUsing = (job: Job, name: string) => job.steps.filter((step) => action(step) === name);
export const pulumiCommand = (job: Job, command: string) =>
  stepsUsing(job, "pulumi/actions").filter((step) => step.with?.command === command);

/**
 * The values of the expressions a workflow passes along: contexts (`inputs`, `matrix`, `needs`) as objects. The
 * workflows pass only paths, through `fromJSON` and `toJSON`, which is all `resolve` evaluates; any other expression
 * (`vars.*`, `secrets.*`, `github.*`, a comparison) stays as written, for the tests to read. (GitHub's own evaluator,
 * @actions/expressions, is ES modules only, which jest's CommonJS runtime cannot load.)
 */
type Contexts = Record<string, unknown>;

function evaluate(expression: string, contexts: Contexts): { value: unknown } | undefined {
  const call = /^(fromJSON|toJSON)\((.+)\)$/.exec(expression);
  if (call) {
    const inner = evaluate(call[2].trim(), contexts);
    if (!inner) return undefined;
    return { value: call[1] === "toJSON" ? JSON.stringify(inner.value) : JSON.parse(String(inner.value)) };
  }
  if (!/^[\w-]+(\.[\w-]+)*$/.test(expression)) return undefined;
  const [root, ...keys] = expression.split(".");
  if (!(root in contexts)) return undefined;
  let value: unknown = contexts[root];
  for (const key of keys) {
    if (value === null || typeof value !== "object" || !(key in value))
      throw new Error(`${expression}: no ${key} in ${JSON.stringify(value)}`);
    value = (value as Record<string, unknown>)[key];
  }
  return { value };
}

/** `value` with every expression the contexts answer replaced by its value (a whole `${{ }}` keeps its type). */
function resolve(value: unknown, contexts: Contexts): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(value);
    if (whole) {
      const result = evaluate(whole[1], contexts);
      return result ? result.value : value;
    }
    return value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (text, expression: string) => {
      const result = evaluate(expression, contexts);
      return result ? String(result.value) : text;
    });
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, contexts));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, contexts)]));
  }
  return value;
}

/** One job as it runs for one stack: the workflow file and id it is written in, and the calls that led to it. */
export interface FleetJob {
  file: string;
  id: string;
  /** The job with the stack's values in place of the expressions that carry them (the matrix, the inputs). */
  job: Job;
  /** The caller jobs, from the workflow that was triggered down: `<file>#<id>`. */
  calledFrom: string[];
  stack?: string;
}

/**
 * The jobs of workflow `name` as they run when the fleet's stacks job answers `outputs` (the lines of
 * `npm run fleet-matrix`, parsed): each matrix expanded, each call of a workflow followed with its inputs. A matrix
 * over nothing runs no job, as GitHub skips it.
 */
export function fleetJobs(
  name: string,
  outputs: Record<string, unknown>,
  contexts: Contexts = {},
  calledFrom: string[] = [],
): FleetJob[] {
  const { jobs } = workflow(name);
  const file = path.join(".github", "workflows", name);
  const stacksJob = { stacks: { result: "success", outputs: mapValues(outputs, (v) => JSON.stringify(v)) } };
  return Object.entries(jobs).flatMap(([id, written]) => {
    if (calledWorkflow(written) === "fleet-stacks.yml") return [];
    const base = { ...contexts, needs: stacksJob };
    const matrix = resolve(written.strategy?.matrix ?? {}, base) as Record<string, unknown>;
    const entries = Object.entries(matrix).filter(([key]) => key !== "include" && key !== "exclude");
    if (entries.length > 1) throw new Error(`${file} ${id}: a matrix of more than one key`);
    const rows =
      entries.length === 0
        ? [base]
        : (entries[0][1] as unknown[]).map((item) => ({ ...base, matrix: { [entries[0][0]]: item } }));
    return rows.flatMap((row) => {
      const job = resolve({ ...written, steps: written.steps ?? [] }, row) as Job;
      const called = calledWorkflow(written);
      if (called)
        return fleetJobs(called, outputs, { inputs: job.with ?? {} }, [...calledFrom, `${file}#${id}`]);
      const stack = [
        job.env?.STACK,
        ...stepsUsing(job, "pulumi/actions").map((s) => s.with?.["stack-name"]),
      ].find((name) => name !== undefined && !name.includes("${{"));
      return [{ file, id, job, calledFrom, stack }];
    });
  });
}

const mapValues = (object: Record<string, unknown>, f: (value: unknown) => unknown) =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [key, f(value)]));

export const needsOf = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat());

/**
 * Which part of a stack a job's `pulumi up` applies: `policy`, everything but the grants (excluded, with what depends
 * on them), or `grants`, the grants only (targeted, with what depends on them); both by the glob of
 * scripts/grantTargets.ts. Anything else (no targeting, another glob, both, one job doing both parts) is an error.
 */
export function partOf(job: Job): "policy" | "grants" {
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
export function identitiesTrusting(environment: string, stacks: readonly string[]): string[] {
  const repository = "contoso/entra-tap";
  return identities
    .filter((identity) =>
      federatedSubjects(identity, repository, stacks).some(
        ({ subject }) => subject === `repo:${repository}:environment:${environment}`,
      ),
    )
    .map((identity) => identity.name);
}

/** The outputs of the workflows' stacks job for a fleet: `npm run fleet-matrix`'s lines, parsed. */
export function parseGithubOutput(lines: string): Record<string, unknown> {
  return Object.fromEntries(
    lines
      .trim()
      .split("\n")
      .map((line) => {
        const at = line.indexOf("=");
        return [line.slice(0, at), JSON.parse(line.slice(at + 1))];
      }),
  );
}

/**
 * A fleet for the tests, as the stacks job would list it: dev (the canary), prod and 300 more tenants, so every wave
 * but the canary's runs in more than one chunk (more than 256 stacks).
 */
export const sampleFleetStacks = [
  { stack: "dev", wave: "canary" as const },
  { stack: "prod", wave: "rest" as const },
  ...Array.from({ length: 300 }, (_, i) => ({
    stack: `tenant-${String(i + 1).padStart(3, "0")}`,
    wave: "rest" as const,
  })),
].map((s, i) => ({
  ...s,
  tenantId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  subscriptionId: `11111111-0000-4000-8000-${String(i).padStart(12, "0")}`,
}));
