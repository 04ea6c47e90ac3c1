// `npm run bench`: the offline plan against its floor, policy evaluation, a no-change refresh's Graph requests, bulk
// issuance under throttling, the plan's peak memory, the real engine's commands against a floor (measure/engine.ts),
// and the fleet against its stacks run one at a time (measure/fleet.ts).
// Prints tables and writes bench/results.json; every figure compared with another was measured in the same run, the
// compared commands interleaved. docs/performance.md says
// what each figure means. `--only review` measures a review of a large targeted group instead (bench/measure/review.ts;
// not part of the default run).
//
//   npm run bench [-- --sizes 10,100,1000,5000] [--repetitions 3] [--large-repetitions 2] [--only plan,policy,...]
//                 [--review-members 1000,10000] [--engine-grants 10,100] [--engine-repetitions 2]
//                 [--fleet-tenants 10,50] [--fleet-concurrency <cores>] [--fleet-repetitions 1]
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { type EngineResult, engineTable, measureEngine } from "./measure/engine";
import { fleetTable, measureFleets } from "./measure/fleet";
import { defaultIssuance, type IssuanceResult, measureIssuance } from "./measure/issuance";
import { measurePlanVsFloor, type Runs, type SizeResult, writeFixedManifest } from "./measure/planVsFloor";
import { measurePolicyEval, type PolicyEvalResult } from "./measure/policyEval";
import { measureRefresh, type RefreshResult } from "./measure/refresh";
import { measureReview, type ReviewResult, reviewTable } from "./measure/review";
import { hasGnuTime, projectDir } from "./support/processes";
import type { Summary } from "./support/stats";
import { table, verdict } from "./support/table";

/** What a run measures unless `--only` says otherwise. */
const defaultSections = ["plan", "policy", "refresh", "issuance", "engine", "fleet"] as const;
type Section = (typeof defaultSections)[number] | "review";

/** Grants from which a size counts as large: fewer repetitions there, to keep the whole run under 10 minutes. */
const largeSize = 5000;

const goals = {
  planRatio: 1.5,
  growth: 5.2,
  rssRatio: 1.3,
  policyUsPerResource: 1000,
  issuanceRatio: 1.3,
};

function machine() {
  let commit: string | undefined;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: projectDir,
      encoding: "utf8",
    }).trim();
  } catch {
    commit = undefined;
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
    commit,
  };
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const ratio = (a: number, b: number) => `${fixed(a / b)}x`;

const minMedian = (s: Summary, digits = 2) => `${fixed(s.min, digits)} / ${fixed(s.median, digits)}`;
const ratios = (a: Summary, b: Summary) => `${ratio(a.min, b.min)} / ${ratio(a.median, b.median)}`;

/**
 * The goal is judged against floor*: the floor under the plan's runtime settings (the SDK's stack traces unmapped, as
 * the plan runs). The floor under tsx's defaults (source maps on) is shown for information: against it, part of the
 * plan's lead is the setting, not less work.
 */
function planTable(results: SizeResult[]): string {
  const t = table([
    "grants",
    "resources",
    "plan s",
    "floor* s",
    "plan ÷ floor*",
    "floor s (SDK default)",
    "plan ÷ floor",
    "ms per grant: plan / floor* / floor",
    `goal ≤ ${goals.planRatio}x floor*`,
  ]);
  results.forEach((r, i) => {
    const previous = results[i - 1];
    const perGrant = (now: Runs, before: Runs | undefined) =>
      before
        ? fixed(((now.seconds.median - before.seconds.median) * 1000) / (r.grants - previous!.grants), 1)
        : "";
    t.push([
      r.grants,
      r.resources,
      minMedian(r.plan.seconds),
      minMedian(r.floorUnmapped.seconds),
      ratios(r.plan.seconds, r.floorUnmapped.seconds),
      minMedian(r.floor.seconds),
      ratios(r.plan.seconds, r.floor.seconds),
      previous
        ? `${perGrant(r.plan, previous.plan)} / ${perGrant(r.floorUnmapped, previous.floorUnmapped)} / ${perGrant(r.floor, previous.floor)}`
        : "",
      verdict(r.plan.seconds.median / r.floorUnmapped.seconds.median <= goals.planRatio),
    ]);
  });
  return t.toString();
}

function growthOf(results: SizeResult[]) {
  const at = (grants: number) => results.find((r) => r.grants === grants);
  const small = at(1000);
  const large = at(5000);
  if (!small || !large) return undefined;
  const growth = (runs: (r: SizeResult) => Runs) => runs(large).seconds.median / runs(small).seconds.median;
  return {
    plan: growth((r) => r.plan),
    floor: growth((r) => r.floor),
    floorUnmapped: growth((r) => r.floorUnmapped),
  };
}

/** Peak RSS, judged against floor* as the time is (the floor under tsx's defaults for information). */
function rssTable(result: SizeResult): string {
  const t = table([
    "grants",
    "plan MB",
    "floor* MB",
    "plan ÷ floor*",
    "floor MB (SDK default)",
    "plan ÷ floor",
    `goal ≤ ${goals.rssRatio}x floor*`,
  ]);
  const plan = result.plan.peakRssMb!;
  const floor = result.floor.peakRssMb!;
  const unmapped = result.floorUnmapped.peakRssMb!;
  t.push([
    result.grants,
    minMedian(plan, 0),
    minMedian(unmapped, 0),
    ratios(plan, unmapped),
    minMedian(floor, 0),
    ratios(plan, floor),
    verdict(plan.median / unmapped.median <= goals.rssRatio),
  ]);
  return t.toString();
}

function policyTable(results: PolicyEvalResult[]): string {
  const t = table([
    "grants",
    "resources",
    "violations",
    "ms per run",
    "µs per resource",
    `goal < ${goals.policyUsPerResource} µs`,
  ]);
  for (const r of results) {
    t.push([
      r.grants,
      r.resources,
      r.violations,
      minMedian(r.runMs, 1),
      `${fixed(r.perResourceUs.min, 1)} / ${fixed(r.perResourceUs.median, 1)}`,
      verdict(r.perResourceUs.median < goals.policyUsPerResource),
    ]);
  }
  return t.toString();
}

function refreshTable(r: RefreshResult): string {
  const t = table([
    "passes",
    "Graph resources",
    "requests",
    "reads (least: one each)",
    "writes (least: 0)",
    "state changed",
    "goal",
  ]);
  t.push([
    r.passes,
    r.graphResources,
    Object.entries(r.requests)
      .map(([method, count]) => `${method} ${count}`)
      .join(", "),
    r.reads,
    r.writes,
    r.changed,
    verdict(r.reads === r.graphResources && r.writes === 0 && r.failures === 0),
  ]);
  return t.toString();
}

function issuanceTable(r: IssuanceResult): string {
  const t = table([
    "passes",
    "at once",
    "throttle",
    "random faults",
    "seconds",
    "floor s (POSTs)",
    "÷ floor",
    "failures",
    "issued twice",
    "requests",
    `goal ≤ ${goals.issuanceRatio}x, 0, 0`,
  ]);
  t.push([
    r.passes,
    r.concurrency,
    `${r.limit} per ${r.windowMs} ms`,
    `${fixed(r.faultRate * 100, 0)}% (429, 503)`,
    fixed(r.seconds, 1),
    fixed(r.floorSeconds.posts, 1),
    ratio(r.seconds, r.floorSeconds.posts),
    r.failures,
    r.duplicates + r.replaced,
    `POST ${r.requests.posts}, policy GET ${r.requests.policyReads}, pass GET ${r.requests.passReads}; 429 ${r.requests.throttled}, 503 ${r.requests.unavailable}`,
    verdict(
      r.failures === 0 &&
        r.duplicates + r.replaced === 0 &&
        r.seconds / r.floorSeconds.posts <= goals.issuanceRatio,
    ),
  ]);
  return t.toString();
}

/**
 * What the run prints of the plan against its floor: the table, the growth (when 1,000 and 5,000 grants were
 * measured), and peak RSS.
 */
function planReport(plan: SizeResult[], growth: ReturnType<typeof growthOf>): string[] {
  const lines = [
    "Offline plan against its floor (wall time per process, min / median; floor* = the floor with the SDK's " +
      "stack traces unmapped, as the plan runs: the goal; floor = under tsx's defaults, for information)",
    planTable(plan),
  ];
  if (growth) {
    lines.push(
      `Growth 1,000 → 5,000 grants (medians): plan ${fixed(growth.plan)}x, floor* ${fixed(growth.floorUnmapped)}x, ` +
        `floor ${fixed(growth.floor)}x (goal ≤ ${goals.growth}x: ${verdict(growth.plan <= goals.growth)})`,
    );
  }
  const largest = plan.at(-1)!;
  if (largest.plan.peakRssMb && largest.floor.peakRssMb) {
    lines.push("", "Peak RSS of the largest plan against its floor's", rssTable(largest));
  } else if (!hasGnuTime) {
    lines.push("", "Peak RSS: not measured (no /usr/bin/time on this machine).");
  }
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "10,100,1000,5000" },
      repetitions: { type: "string", default: "3" },
      "large-repetitions": { type: "string", default: "2" },
      only: { type: "string", default: defaultSections.join(",") },
      "review-members": { type: "string", default: "1000,10000" },
      "engine-grants": { type: "string", default: "10,100" },
      "engine-repetitions": { type: "string", default: "2" },
      "fleet-tenants": { type: "string", default: "10,50" },
      "fleet-concurrency": { type: "string", default: String(os.availableParallelism()) },
      "fleet-repetitions": { type: "string", default: "1" },
    },
  });
  const sizes = values.sizes.split(",").map(Number);
  const only = new Set(values.only.split(",") as Section[]);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-bench-"));
  const results: Record<string, unknown> = { machine: machine(), startedAt: new Date().toISOString() };
  const out: string[] = [];
  try {
    if (only.has("plan")) {
      log("The offline plan against its floor (interleaved, each in its own process)...");
      const manifest = await writeFixedManifest(dir);
      const plan: SizeResult[] = [];
      for (const grants of sizes) {
        const repetitions = Number(grants >= largeSize ? values["large-repetitions"] : values.repetitions);
        plan.push(await measurePlanVsFloor(dir, manifest.file, grants, repetitions, log));
      }
      const growth = growthOf(plan);
      results.plan = { fixedResources: manifest.count, sizes: plan, growth };
      out.push(...planReport(plan, growth));
    }
    if (only.has("policy")) {
      log("Policy evaluation per resource...");
      const policy: PolicyEvalResult[] = [];
      for (const grants of sizes) {
        const stack = `bench-${grants}`;
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        if (!fs.existsSync(file)) (await import("./stackOf")).writeStackFile(file, grants);
        policy.push(await measurePolicyEval(stack, file, grants, 5));
      }
      results.policy = policy;
      out.push(
        "",
        "Policy pack over the declared resources (5 runs each, in one process)",
        policyTable(policy),
      );
    }
    if (only.has("refresh")) {
      log("A no-change refresh through the providers...");
      const refresh = await measureRefresh(1000);
      results.refresh = refresh;
      out.push(
        "",
        "No-change refresh through the providers against the Graph emulator",
        refreshTable(refresh),
      );
    }
    if (only.has("issuance")) {
      log("Bulk issuance under throttling...");
      const issuance = await measureIssuance(defaultIssuance);
      results.issuance = issuance;
      out.push(
        "",
        "Bulk issuance through the provider against the throttling emulator",
        issuanceTable(issuance),
      );
    }
    if (only.has("engine")) {
      log("The real engine against its floor (interleaved command by command)...");
      const engine: EngineResult[] = [];
      for (const grants of values["engine-grants"].split(",").map(Number)) {
        engine.push(await measureEngine(grants, Number(values["engine-repetitions"])));
      }
      results.engine = engine;
      out.push(
        "",
        "The real Pulumi CLI against the Graph emulator, beside a provider that does nothing (medians)",
        engineTable(engine),
      );
    }
    if (only.has("fleet")) {
      log("The fleet against its stacks run one at a time (interleaved)...");
      const fleet = await measureFleets(
        values["fleet-tenants"].split(",").map(Number),
        Number(values["fleet-concurrency"]),
        Number(values["fleet-repetitions"]),
      );
      results.fleet = fleet;
      out.push(
        "",
        "npm run fleet, each tenant with its own Graph emulator (seconds, medians)",
        fleetTable(fleet),
      );
    }
    if (only.has("review")) {
      log("A review of a large targeted group, without and with throttling...");
      const review: ReviewResult[] = [];
      for (const members of values["review-members"].split(",").map(Number)) {
        for (const throttled of [false, true]) review.push(await measureReview(members, throttled));
      }
      results.review = review;
      out.push(
        "",
        "Review of a large targeted group against the Graph emulator (4 batches at a time)",
        reviewTable(review),
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  results.benchSeconds = seconds;
  out.push("", `Machine: ${JSON.stringify(results.machine)}`, `Bench wall time: ${fixed(seconds, 0)} s`);
  fs.writeFileSync(path.join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log(out.join("\n"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
