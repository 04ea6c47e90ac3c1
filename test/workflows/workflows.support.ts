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
export const allJobs = () =>
  parsed.flatMap((r) =>
    Object.entries(r.workflow?.jobs ?? {}).map(([id, job]) => ({ file: r.file, id, job })),
  );

export const action = (step: Step) => step.uses?.split("@")[0];
export const stepsUsing = (job: Job, name: string) => job.steps.filter((step) => action(step) === name);
export const pulumiCommand = (job: Job, command: string) =>
  stepsUsing(job, "pulumi/actions").filter((step) => step.with?.command === command);

/** The stacks a job works on: its pulumi/actions stack name, expanded over the job's matrix. */
export function stacksOf(job: Job): string[] {
  const names = stepsUsing(job, "pulumi/actions").map((step) => step.with?.["stack-name"] ?? "");
  return [...new Set(names.flatMap((name) => expandMatrix(job, name)))];
}

/** Each value `text` takes over the job's `matrix.stack` (just `text` when it does not use it). */
export function expandMatrix(job: Job, text: string): string[] {
  if (!text.includes("${{ matrix.stack }}")) return [text];
  const stacks = job.strategy?.matrix?.stack;
  if (!Array.isArray(stacks)) throw new Error(`uses matrix.stack without a matrix of stacks: ${text}`);
  return stacks.map((stack) => text.split("${{ matrix.stack }}").join(String(stack)));
}

export const needsOf = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat());

/** The jobs `id` waits for, directly or through others. */
export function upstreamOf(jobs: Record<string, Job>, id: string, found = new Set<string>()): Set<string> {
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
export function identitiesTrusting(environment: string): string[] {
  const repository = "contoso/entra-tap";
  return identities
    .filter((identity) =>
      federatedSubjects(identity, repository, ["dev", "prod"]).some(
        ({ subject }) => subject === `repo:${repository}:environment:${environment}`,
      ),
    )
    .map((identity) => identity.name);
}
