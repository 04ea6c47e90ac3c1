// Policy-pack evaluation per resource: the program of a stack with N grants is evaluated once (as the plan does), then
// the plan's policy runner goes over its resources `--repeat` times; each run is timed on its own.
//
//   npx tsx bench/measure/policyEval.ts --stack <name> --config-file <path> [--repeat 5]
// Prints one JSON line: { resources, violations, runsMs: [...] }.
import * as path from "node:path";
import { parseArgs } from "node:util";
import { policies } from "../../policies/policies";
import { evaluateProgram } from "../../scripts/planStack";
import { policyProps, runPolicies } from "../../scripts/policyRunner";
import { readStackFile } from "../../scripts/stackFile";
import { runJsonChild } from "../support/processes";
import { summary, type Summary } from "../support/stats";

export interface PolicyEvalResult {
  grants: number;
  resources: number;
  violations: number;
  /** Milliseconds per run over every resource. */
  runMs: Summary;
  /** Microseconds per resource (the minimum and median run, divided by the resources). */
  perResourceUs: { min: number; median: number };
}

export async function measurePolicyEval(
  stack: string,
  configFile: string,
  grants: number,
  repeat: number,
): Promise<PolicyEvalResult> {
  const child = await runJsonChild<{ resources: number; violations: number; runsMs: number[] }>(
    "bench/measure/policyEval.ts",
    ["--stack", stack, "--config-file", configFile, "--repeat", String(repeat)],
  );
  const runMs = summary(child.runsMs);
  return {
    grants,
    resources: child.resources,
    violations: child.violations,
    runMs,
    perResourceUs: {
      min: (runMs.min * 1000) / child.resources,
      median: (runMs.median * 1000) / child.resources,
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      "config-file": { type: "string" },
      repeat: { type: "string", default: "5" },
    },
  });
  const stackConfig = readStackFile(values["config-file"]!, "entra-tap");
  const declared = await evaluateProgram(path.resolve(__dirname, "../.."), values.stack!, stackConfig);
  const runsMs: number[] = [];
  let violations = 0;
  for (let i = 0; i < Number(values.repeat); i++) {
    const started = performance.now();
    // As the plan runs them: the props built from the declared inputs, then every policy over every resource.
    const checked = declared.map((r) => ({ type: r.type, name: r.name, props: policyProps(r.inputs) }));
    violations = (await runPolicies(policies, checked, {})).length;
    runsMs.push(performance.now() - started);
  }
  console.log(JSON.stringify({ resources: declared.length, violations, runsMs }));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(2);
  });
}
