// Every workflow parsed and validated by GitHub's own parser (@actions/workflow-parser), which catches broken ones.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type ParseResult, parseWorkflows, useParsedWorkflows, workflowFiles } from "./workflows.support";

let parsed: ParseResult[];
useParsedWorkflows((results) => (parsed = results));

describe("the workflows, by GitHub's parser", () => {
  it("finds the three workflows and the ones they call", () => {
    expect(workflowFiles.map((file) => path.basename(file))).toEqual([
      "deploy-stack.yml",
      "deploy-stacks.yml",
      "deploy.yml",
      "fleet-stacks.yml",
      "pull-request-stacks.yml",
      "pull-request.yml",
      "schedule-stacks.yml",
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
