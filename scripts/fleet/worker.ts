// One tenant's part of `npm run fleet`, in a process of its own (the Automation API is not safe for parallel stacks
// in one Node.js process): the offline plan, `pulumi preview` or `pulumi up` through the Automation API, or the review,
// for one stack; its result written as JSON to the file it is given. Run by scripts/fleet.ts:
//   node --import tsx scripts/fleet/worker.ts <plan|preview|up|review> <stack> <result file> <log file> <pack config>
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { Review } from "../review/classify";
import { projectDir } from "../stackFile";
import type { FleetCommand, TenantResult, Violations } from "./result";

/** What a command printed, kept rather than shown: the worker's output is its result file. */
function capture() {
  let stdout = "";
  let stderr = "";
  return {
    io: {
      stdout: (text: string) => void (stdout += text),
      stderr: (text: string) => void (stderr += text),
      env: process.env,
    },
    out: () => stdout,
    err: () => stderr,
  };
}

function violationsOf(
  list: { enforcementLevel: string; policy?: string; policyName?: string; message: string }[],
) {
  const counted: Violations = { mandatory: 0, advisory: 0, messages: [] };
  for (const v of list) {
    if (v.enforcementLevel === "mandatory") counted.mandatory++;
    else counted.advisory++;
    counted.messages.push(`[${v.enforcementLevel}] ${v.policy ?? v.policyName}: ${v.message}`);
  }
  return counted;
}

async function plan(stack: string, packConfig: string): Promise<Omit<TenantResult, "stack" | "seconds">> {
  const { runPlan } = await import("../plan");
  const { io, out, err } = capture();
  const code = await runPlan(["--stack", stack, "--json", "--policy-config", packConfig], io);
  if (code === 2 || !out().trim()) return { status: "failed", error: err().trim() || out().trim() };
  const planned = JSON.parse(out()) as {
    resources: unknown[];
    violations: { enforcementLevel: string; policy: string; message: string }[];
    errors?: string[];
  };
  if (planned.errors?.length) return { status: "failed", error: planned.errors.join("; ") };
  const violations = violationsOf(planned.violations);
  return {
    status: violations.mandatory > 0 ? "attention" : "ok",
    changes: { declared: planned.resources.length },
    violations,
  };
}

async function engine(
  command: "preview" | "up",
  stackName: string,
  logFile: string,
  packConfig: string,
): Promise<Omit<TenantResult, "stack" | "seconds">> {
  // Loaded here, not at the top: the plan and the review need none of it (it is most of a worker's start, 0.9 s here).
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const stack = await LocalWorkspace.selectStack({ stackName, workDir: projectDir });
  const events: { enforcementLevel: string; policyName: string; message: string }[] = [];
  const onEvent = (event: EngineEvent) => {
    if (event.policyEvent) events.push(event.policyEvent);
  };
  const log = fs.createWriteStream(logFile);
  const policy = {
    policyPacks: [path.join(projectDir, "policies")],
    policyPackConfigs: [packConfig],
    onEvent,
    onOutput: (text: string) => log.write(text),
  };
  try {
    const changes =
      command === "preview"
        ? (await stack.preview(policy)).changeSummary
        : (await stack.up(policy)).summary.resourceChanges;
    const violations = violationsOf(events);
    return { status: violations.advisory > 0 ? "attention" : "ok", changes: changes ?? {}, violations };
  } catch (error) {
    const violations = violationsOf(events);
    // A mandatory policy stopped it: what the standard refuses in this tenant, not a failure of the run.
    if (violations.mandatory > 0) return { status: "attention", violations };
    return { status: "failed", error: error instanceof Error ? error.message : String(error) };
  } finally {
    log.end();
  }
}

async function review(stack: string): Promise<Omit<TenantResult, "stack" | "seconds">> {
  const { runReview } = await import("../review");
  const { io, out, err } = capture();
  const code = await runReview(["--stack", stack, "--json"], {
    ...io,
    stdinIsTTY: false,
    confirm: async () => false,
  });
  if ((code !== 0 && code !== 3) || !out().trim()) return { status: "failed", error: err().trim() };
  const found = JSON.parse(out()) as Review;
  const kinds = (kind: string) => found.passes.filter((p) => p.explanation.kind === kind).length;
  return {
    status: found.needsAttention ? "attention" : "ok",
    review: {
      passes: found.passes.length,
      declared: kinds("grant") + kinds("endedGrant"),
      knownIssuer: kinds("knownIssuer"),
      undeclared: kinds("undeclared"),
      endedGrantsLeft: found.endedGrants.length,
      unexplainedMembers: found.unexplainedMembers.length,
    },
  };
}

async function main(): Promise<void> {
  const [command, stack, resultFile, logFile, packConfig] = process.argv.slice(2) as [
    FleetCommand,
    string,
    string,
    string,
    string,
  ];
  const started = Date.now();
  let result: Omit<TenantResult, "stack" | "seconds">;
  try {
    result =
      command === "plan"
        ? await plan(stack, packConfig)
        : command === "review"
          ? await review(stack)
          : await engine(command, stack, logFile, packConfig);
  } catch (error) {
    result = { status: "failed", error: error instanceof Error ? error.message : String(error) };
  }
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  fs.writeFileSync(resultFile, JSON.stringify({ stack, seconds, ...result }));
}

void main();
