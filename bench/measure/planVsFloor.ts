// The offline plan against its floor: `npm run plan` of a stack with N generated grants, and the bare program of
// bench/floor registering the same resources, each in its own process, interleaved plan/floor/plan/floor. A second
// floor leaves the SDK's stack traces unmapped, as the plan does: the plan's own cost is measured against that one.
import * as fs from "node:fs";
import * as path from "node:path";
import type { FixedResource } from "../floor";
import { writeStackFile } from "../stackOf";
import { measureTsx, type Measured } from "../support/processes";
import { summary, type Summary } from "../support/stats";

export interface SizeResult {
  grants: number;
  /** Resources each side registered (the plan's count plus its root stack; the floor's count). */
  resources: number;
  plan: Runs;
  /** The bare program under tsx's defaults. */
  floor: Runs;
  /** The same program with the SDK's stack traces left unmapped, as the plan runs. */
  floorUnmapped: Runs;
}

export interface Runs {
  seconds: Summary;
  peakRssMb: Summary | undefined;
}

function planArgs(dir: string, grants: number): string[] {
  const stack = `bench-${grants}`;
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) writeStackFile(file, grants);
  return ["--stack", stack, "--config-file", file];
}

function check(what: string, run: Measured): Measured {
  if (run.status !== 0) throw new Error(`${what} failed (exit ${run.status}):\n${run.stderr.slice(-2000)}`);
  return run;
}

/**
 * The fixed part of every stack (policy, audience, monitoring) as the plan of a stack without grants declares it: the
 * floor registers the same resources.
 */
export async function writeFixedManifest(dir: string): Promise<{ file: string; count: number }> {
  const run = check(
    "the plan of a stack without grants",
    await measureTsx("scripts/plan.ts", [...planArgs(dir, 0), "--json"]),
  );
  const resources = (JSON.parse(run.stdout) as { resources: FixedResource[] }).resources;
  const file = path.join(dir, "fixed-resources.json");
  fs.writeFileSync(file, JSON.stringify(resources));
  return { file, count: resources.length };
}

/** The last line of the text plan: `<n> resources, <m> policy violations.` */
function plannedCount(run: Measured): number {
  const match = /(\d+) resources, \d+ policy violations\.\s*$/.exec(run.stdout);
  if (!match) throw new Error(`the plan printed no resource count:\n${run.stdout.slice(-500)}`);
  return Number(match[1]);
}

function floorCount(run: Measured): number {
  const match = /(\d+) resources registered/.exec(run.stdout);
  if (!match) throw new Error(`the floor printed no resource count:\n${run.stdout.slice(-500)}`);
  return Number(match[1]);
}

export async function measurePlanVsFloor(
  dir: string,
  fixedManifest: string,
  grants: number,
  repetitions: number,
  log: (line: string) => void,
): Promise<SizeResult> {
  const args = planArgs(dir, grants);
  const floorArgs = ["--grants", String(grants), "--fixed", fixedManifest];
  const plans: Measured[] = [];
  const floors: Measured[] = [];
  const unmappedFloors: Measured[] = [];
  let resources = 0;
  const seconds = (run: Measured) => `${(run.wallMs / 1000).toFixed(2)} s`;
  for (let i = 0; i < repetitions; i++) {
    const plan = check(`the plan of ${grants} grants`, await measureTsx("scripts/plan.ts", args));
    const floor = check(`the floor of ${grants} grants`, await measureTsx("bench/floor/index.ts", floorArgs));
    const unmapped = check(
      `the floor of ${grants} grants, stacks unmapped`,
      await measureTsx("bench/floor/index.ts", [...floorArgs, "--unmapped-stacks"]),
    );
    // The plan lists the program's resources; the floor counts its root stack too.
    if (plannedCount(plan) + 1 !== floorCount(floor)) {
      throw new Error(
        `the plan declared ${plannedCount(plan)} resources and the floor ${floorCount(floor)} (with its stack)`,
      );
    }
    resources = floorCount(floor);
    plans.push(plan);
    floors.push(floor);
    unmappedFloors.push(unmapped);
    log(
      `  ${grants} grants, run ${i + 1}/${repetitions}: plan ${seconds(plan)}, floor ${seconds(floor)}, ` +
        `floor with stacks unmapped ${seconds(unmapped)}`,
    );
  }
  return {
    grants,
    resources,
    plan: runsOf(plans),
    floor: runsOf(floors),
    floorUnmapped: runsOf(unmappedFloors),
  };
}

function runsOf(runs: Measured[]): Runs {
  return {
    seconds: summary(runs.map((r) => r.wallMs / 1000)),
    peakRssMb: runs.every((r) => r.peakRssMb !== undefined)
      ? summary(runs.map((r) => r.peakRssMb!))
      : undefined,
  };
}
