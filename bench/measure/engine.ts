// The real engine: `pulumi up`, `preview`, `preview --refresh` and `destroy` of the engine suite's program (entra-tap's
// provider plugin against the Graph emulator) beside the same commands on a floor program with as many custom
// resources of a provider that does nothing (bench/floor/engine), same CLI, same backend kind, the two interleaved
// command by command; and the state file each `up` leaves.
//
//   npx tsx bench/measure/engine.ts --grants <n> --repetitions <r>
// Prints one JSON line (EngineResult).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { declaredPolicy } from "../../test/engine/support/enginePolicy";
import { programDir, pulumiWorkspace, type PulumiWorkspace } from "../../test/engine/support/pulumiCli";
import { contractorsGroupId as group } from "../../test/support/fixtures";
import { GraphEmulator, microsoftDefaultTapPolicy } from "../../test/support/graphEmulator";
import { projectDir, runJsonChild } from "../support/processes";
import { summary, type Summary } from "../support/stats";
import { table, verdict } from "../support/table";

const engineCommands = ["up", "preview", "preview --refresh", "destroy"] as const;
type EngineCommand = (typeof engineCommands)[number];

export interface EngineResult {
  grants: number;
  /** Wall seconds of each command, entra-tap's program and the floor's. */
  seconds: Record<EngineCommand, { entraTap: Summary; floor: Summary }>;
  /** The state file's size after `up`, in bytes. */
  stateBytes: { entraTap: number; floor: number };
}

export function measureEngine(grants: number, repetitions: number): Promise<EngineResult> {
  return runJsonChild<EngineResult>("bench/measure/engine.ts", [
    "--grants",
    String(grants),
    "--repetitions",
    String(repetitions),
  ]);
}

const floorDir = path.join(projectDir, "bench/floor/engine");
const hour = 3_600_000;

/** A stack of `program` (its folder) in a fresh backend, with the engine suite's config for `grants` grants. */
async function stackOf(
  emulator: GraphEmulator,
  program: string,
  grants: Record<string, unknown>[],
): Promise<{ pulumi: PulumiWorkspace; run: (command: string) => Promise<number> }> {
  const pulumi = pulumiWorkspace(emulator.env());
  const run = async (command: string) => {
    const started = performance.now();
    // `up` and `destroy` without asking; `preview` has nothing to ask.
    const yes = command.startsWith("preview") ? [] : ["--yes"];
    const result = await pulumi.run([...command.split(" "), ...yes, "--stack", "bench"], { cwd: program });
    if (result.status !== 0)
      throw new Error(`${command} in ${program}: exit ${result.status}\n${result.stdout}\n${result.stderr}`);
    return (performance.now() - started) / 1000;
  };
  const inProgram = { cwd: program };
  await pulumi.run(["stack", "init", "bench"], inProgram);
  const config = {
    policy: declaredPolicy,
    includeTargets: [{ id: group, isRegistrationRequired: false }],
    excludeTargets: [],
    grants,
  };
  for (const [key, value] of Object.entries(config)) {
    await pulumi.run(["config", "set", "--stack", "bench", key, JSON.stringify(value)], inProgram);
  }
  return { pulumi, run };
}

function stateBytes(pulumi: PulumiWorkspace): number {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.includes(`${path.sep}stacks${path.sep}`) && file.endsWith("bench.json")) files.push(file);
    }
  };
  walk(pulumi.backendDir);
  return files.reduce((total, file) => total + fs.statSync(file).size, 0);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { grants: { type: "string", default: "10" }, repetitions: { type: "string", default: "2" } },
  });
  const count = Number(values.grants);
  const emulator = await GraphEmulator.start();
  emulator.policy = { ...microsoftDefaultTapPolicy(), state: "enabled" };
  const now = Date.now();
  const grants = Array.from({ length: count }, (_, i) => {
    const user = emulator.addUser({
      userPrincipalName: `bench.user${String(i).padStart(5, "0")}@contoso.example`,
    });
    emulator.addMember(group, user.id);
    return {
      name: `grant-${i}`,
      user: user.userPrincipalName,
      start: new Date(now - hour).toISOString(),
      expiry: new Date(now + 48 * hour).toISOString(),
      lifetimeInMinutes: 120,
      ticket: `CHG-${i}`,
    };
  });
  const entraTap = await stackOf(emulator, programDir, grants);
  const floor = await stackOf(emulator, floorDir, grants);
  const times = Object.fromEntries(
    engineCommands.map((c) => [c, { entraTap: [] as number[], floor: [] as number[] }]),
  );
  const sizes = { entraTap: 0, floor: 0 };
  for (let repetition = 0; repetition < Number(values.repetitions); repetition++) {
    for (const command of engineCommands) {
      // Interleaved, the order swapped each repetition: neither side always runs on a warmer machine.
      const order =
        repetition % 2 === 0 ? (["entraTap", "floor"] as const) : (["floor", "entraTap"] as const);
      for (const side of order) {
        const stack = side === "entraTap" ? entraTap : floor;
        times[command][side].push(await stack.run(command));
        if (command === "up") sizes[side] = stateBytes(stack.pulumi);
      }
    }
  }
  for (const stack of [entraTap, floor]) stack.pulumi.dispose();
  for (const dir of [programDir, floorDir]) fs.rmSync(path.join(dir, "Pulumi.bench.yaml"), { force: true });
  await emulator.stop();
  const result: EngineResult = {
    grants: count,
    seconds: Object.fromEntries(
      engineCommands.map((c) => [
        c,
        { entraTap: summary(times[c].entraTap), floor: summary(times[c].floor) },
      ]),
    ) as EngineResult["seconds"],
    stateBytes: sizes,
  };
  console.log(JSON.stringify(result));
}

if (require.main === module) void main();

/** Engine goals: each command within 1.3x of the floor, and no faster growth from the smallest size to the largest. */
const engineGoals = { ratio: 1.3 };

/**
 * The engine's table: per command and size, the median seconds of each side and their ratio; then each command's
 * growth from the smallest size to the largest against the floor's; then the state's size.
 */
export function engineTable(results: readonly EngineResult[]): string {
  const rows = table(["command", "grants", "entra-tap (s)", "floor (s)", "ratio", "goal"]);
  const fixed = (value: number) => value.toFixed(2);
  for (const command of engineCommands) {
    for (const r of results) {
      const { entraTap, floor } = r.seconds[command];
      const ratio = entraTap.median / floor.median;
      rows.push([
        command,
        String(r.grants),
        fixed(entraTap.median),
        fixed(floor.median),
        `${fixed(ratio)}x`,
        verdict(ratio <= engineGoals.ratio),
      ]);
    }
    const [first, last] = [results[0], results[results.length - 1]];
    if (first !== last) {
      const growth = (side: "entraTap" | "floor") =>
        last.seconds[command][side].median / first.seconds[command][side].median;
      rows.push([
        `${command}: growth ${first.grants} → ${last.grants}`,
        "",
        `${fixed(growth("entraTap"))}x`,
        `${fixed(growth("floor"))}x`,
        "",
        verdict(growth("entraTap") <= growth("floor")),
      ]);
    }
  }
  for (const r of results) {
    const ratio = r.stateBytes.entraTap / r.stateBytes.floor;
    rows.push([
      "state file (KB)",
      String(r.grants),
      fixed(r.stateBytes.entraTap / 1024),
      fixed(r.stateBytes.floor / 1024),
      `${fixed(ratio)}x`,
      verdict(ratio <= 2),
    ]);
  }
  return rows.toString();
}
