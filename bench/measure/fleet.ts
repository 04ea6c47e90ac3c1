// The fleet: `npm run fleet -- plan` and `-- preview` over N tenants' stacks (each its own Graph emulator, as the
// engine suite's fleet test makes them), against the same stacks run one at a time the way one runs a single stack
// (`npm run plan -- --stack <s>`, `pulumi preview --stack <s>` with the policy pack), that sum divided by the fleet's
// concurrency being what a perfect fleet would take; the two interleaved, the order swapped each repetition. Then the
// Graph requests of `fleet review` against its floor: the same reviews run one stack at a time.
//
//   npx tsx bench/measure/fleet.ts --tenants <n> --concurrency <c> --repetitions <r>
// Prints one JSON line (FleetResult).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  removeFleetTenants,
  startFleetTenant,
  writeFleetPackConfig,
} from "../../test/engine/support/fleetTenants";
import {
  pulumiWorkspace,
  type PulumiResult,
  type PulumiWorkspace,
  repoDir,
} from "../../test/engine/support/pulumiCli";
import type { GraphEmulator } from "../../test/support/graphEmulator";
import { testRecipient } from "../../test/support/handoverIdentities";
import { runJsonChild } from "../support/processes";
import { summary, type Summary } from "../support/stats";
import { table, verdict } from "../support/table";

const fleetCommands = ["plan", "preview"] as const;
type MeasuredCommand = (typeof fleetCommands)[number];

export interface FleetResult {
  tenants: number;
  concurrency: number;
  cores: number;
  /** Wall seconds: the fleet's run, and the sum of the single runs. */
  seconds: Record<MeasuredCommand, { fleet: Summary; singlesSum: Summary }>;
  /**
   * CPU seconds (user and system, of every process they started) of the fleet's run and of the single runs together:
   * a run that keeps more than one core busy cannot go `concurrency` times faster on `cores` cores.
   */
  cpuSeconds: Record<MeasuredCommand, { fleet: Summary; singlesSum: Summary }>;
  /** Graph requests of `fleet review`, and of the same reviews one stack at a time (the floor). */
  reviewRequests: { fleet: number; floor: number };
}

/** The fleet at each size, each in a child process of its own. */
export async function measureFleets(
  sizes: readonly number[],
  concurrency: number,
  repetitions: number,
): Promise<FleetResult[]> {
  const results: FleetResult[] = [];
  for (const tenants of sizes) {
    results.push(
      await runJsonChild<FleetResult>("bench/measure/fleet.ts", [
        "--tenants",
        String(tenants),
        "--concurrency",
        String(concurrency),
        "--repetitions",
        String(repetitions),
      ]),
    );
  }
  return results;
}

/** Runs `file args` in the project's folder with `env`; rejects on a non-zero exit other than `allowed`. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv, allowed: number[]): Promise<PulumiResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: repoDir, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      if (!allowed.includes(status))
        reject(new Error(`${path.basename(file)} ${args.join(" ")}: exit ${status}\n${stdout}\n${stderr}`));
      else resolve({ status, stdout, stderr });
    });
  });
}

/**
 * CPU seconds of this process's waited-for children, and theirs (Linux: /proc/self/stat's cutime and cstime, in the
 * kernel's clock ticks, 100 a second on Linux's every architecture but a few).
 */
function childrenCpuSeconds(): number {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  // After the command's name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

async function timed(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const [started, cpu] = [performance.now(), childrenCpuSeconds()];
  await work();
  return { wall: (performance.now() - started) / 1000, cpu: childrenCpuSeconds() - cpu };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenants: { type: "string", default: "10" },
      concurrency: { type: "string", default: String(os.availableParallelism()) },
      repetitions: { type: "string", default: "1" },
    },
  });
  const count = Number(values.tenants);
  const concurrency = Number(values.concurrency);
  const stacks = Array.from({ length: count }, (_, i) => `bench-fleet-${String(i + 1).padStart(3, "0")}`);
  const pulumi: PulumiWorkspace = pulumiWorkspace({});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-bench-fleet-"));
  const packConfig = path.join(dir, "pack-config.json");
  writeFleetPackConfig(packConfig);
  const emulators = new Map<string, GraphEmulator>();
  const tsx = path.join(repoDir, "node_modules", ".bin", "tsx");
  const pulumiCli = path.join(String(pulumi.env.PATH).split(path.delimiter)[0], "pulumi");
  const tenantEnv = (stack: string): NodeJS.ProcessEnv => ({
    ...pulumi.env,
    ...emulators.get(stack)!.env(),
    AZURE_TENANT_ID: emulators.get(stack)!.tenantId,
  });
  try {
    const approver = await testRecipient("tom.becker@contoso.com");
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    for (const stack of stacks) {
      emulators.set(stack, await startFleetTenant(pulumi, stack, dir, approver.key, minute));
    }
    const fleet = (command: string) =>
      run(
        tsx,
        [
          path.join(repoDir, "scripts", "fleet.ts"),
          command,
          "--stacks",
          "bench-fleet-*",
          "--concurrency",
          String(concurrency),
          "--stack-env",
          path.join(dir, "{stack}.env"),
          "--policy-config",
          packConfig,
          "--restart",
          "--json",
        ],
        pulumi.env,
        [0, 3],
      );
    /** The command one runs for a single stack, without the fleet. */
    const single: Record<MeasuredCommand, (stack: string) => Promise<PulumiResult>> = {
      plan: (stack) =>
        run(
          tsx,
          [
            path.join(repoDir, "scripts", "plan.ts"),
            "--stack",
            stack,
            "--json",
            "--policy-config",
            packConfig,
          ],
          tenantEnv(stack),
          [0],
        ),
      preview: (stack) =>
        run(
          pulumiCli,
          [
            "preview",
            "--stack",
            stack,
            "--policy-pack",
            path.join(repoDir, "policies"),
            "--policy-pack-config",
            packConfig,
            "--non-interactive",
          ],
          tenantEnv(stack),
          [0],
        ),
    };
    type Timed = { wall: number; cpu: number };
    const times = Object.fromEntries(
      fleetCommands.map((c) => [c, { fleet: [] as Timed[], singles: [] as Timed[] }]),
    );
    for (let repetition = 0; repetition < Number(values.repetitions); repetition++) {
      for (const command of fleetCommands) {
        const sides = {
          fleet: () => timed(() => fleet(command)),
          singles: async () => {
            const sum = { wall: 0, cpu: 0 };
            for (const stack of stacks) {
              const one = await timed(() => single[command](stack));
              sum.wall += one.wall;
              sum.cpu += one.cpu;
            }
            return sum;
          },
        };
        const order =
          repetition % 2 === 0 ? (["fleet", "singles"] as const) : (["singles", "fleet"] as const);
        for (const side of order) times[command][side].push(await sides[side]());
      }
    }
    const requests = () => [...emulators.values()].reduce((total, e) => total + e.requests.length, 0);
    let before = requests();
    for (const stack of stacks) {
      await run(
        tsx,
        [path.join(repoDir, "scripts", "review.ts"), "--stack", stack, "--json"],
        tenantEnv(stack),
        [0, 3],
      );
    }
    const floor = requests() - before;
    before = requests();
    await fleet("review");
    const summed = (of: keyof Timed) =>
      Object.fromEntries(
        fleetCommands.map((c) => [
          c,
          {
            fleet: summary(times[c].fleet.map((t) => t[of])),
            singlesSum: summary(times[c].singles.map((t) => t[of])),
          },
        ]),
      ) as FleetResult["seconds"];
    const result: FleetResult = {
      tenants: count,
      concurrency,
      cores: os.availableParallelism(),
      seconds: summed("wall"),
      cpuSeconds: summed("cpu"),
      reviewRequests: { fleet: requests() - before, floor },
    };
    console.log(JSON.stringify(result));
  } finally {
    removeFleetTenants(stacks);
    await Promise.all([...emulators.values()].map((emulator) => emulator.stop()));
    pulumi.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();

/** The fleet's goal: within 1.2x of the single runs' sum divided by the concurrency. */
const fleetGoal = 1.2;

/**
 * The fleet's table rows: per command and size, the medians of the fleet and of the single runs' sum, the ideal (the
 * sum divided by the concurrency) and the ratio to it, the goal; then the machine's own bound (the single runs' CPU
 * divided by the cores, when more than the ideal) and the ratio to that. Then a review's Graph requests, fleet and
 * one stack at a time.
 */
export function fleetTable(results: readonly FleetResult[]): string {
  const fixed = (value: number) => value.toFixed(2);
  const rows = table([
    "command",
    "tenants",
    "concurrency",
    "fleet",
    "one at a time, summed",
    "sum / concurrency",
    "ratio",
    `goal ≤ ${fleetGoal}x`,
    "CPU bound (ratio)",
  ]);
  for (const command of fleetCommands) {
    for (const r of results) {
      const { fleet, singlesSum } = r.seconds[command];
      const ideal = singlesSum.median / r.concurrency;
      const cpuBound = Math.max(ideal, r.cpuSeconds[command].singlesSum.median / r.cores);
      rows.push([
        `fleet ${command}`,
        String(r.tenants),
        String(r.concurrency),
        fixed(fleet.median),
        fixed(singlesSum.median),
        fixed(ideal),
        `${fixed(fleet.median / ideal)}x`,
        verdict(fleet.median / ideal <= fleetGoal),
        `${fixed(cpuBound)} (${fixed(fleet.median / cpuBound)}x)`,
      ]);
    }
  }
  for (const r of results) {
    const { fleet, floor } = r.reviewRequests;
    rows.push([
      "fleet review: Graph requests",
      String(r.tenants),
      String(r.concurrency),
      String(fleet),
      String(floor),
      String(floor),
      `${fixed(fleet / floor)}x`,
      verdict(fleet <= floor),
      "",
    ]);
  }
  return rows.toString();
}
