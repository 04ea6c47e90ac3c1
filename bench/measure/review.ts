// Measures a review of a large targeted group against the emulator: HTTP requests and wall time, next to the floor
// (pages of members + ceil(members / 20) batches of pass reads), with and without throttling.
//
//   npx tsx bench/measure/review.ts [members...]     e.g. 1000 10000 (the default): each size without and with
//                                                     throttling, one JSON line each, then a table
//   npx tsx bench/measure/review.ts --members <n> [--throttled] [--concurrency 4]
//                                                     one case; prints one JSON line (ReviewResult), as bench/run.ts
//                                                     runs it
//
// Throttling: Graph's limits for these endpoints are not published per endpoint; the emulator allows 1,000 requests
// per 5 s window (each request of a batch counted on its own) and answers 429 with a Retry-After until the window
// ends, the way Graph's identity throttling answers.
import { parseArgs } from "node:util";
import { runReview } from "../../scripts/review";
import { GraphEmulator } from "../../test/support/graphEmulator";
import {
  sampleGroups,
  sampleStackConfig,
  seedSamplePolicy,
  writeStackFile,
} from "../../test/support/sampleTenant";
import { removeTempDirs } from "../../test/support/tempDirs";
import { runJsonChild } from "../support/processes";
import { table } from "../support/table";

const throttle = { limit: 1_000, windowMs: 5_000 };

export interface ReviewResult {
  members: number;
  throttled: boolean;
  concurrency: number;
  /** The review's exit status. */
  exit: number;
  requests: number;
  /** The least requests: pages of members + one batch of pass reads per 20 members. */
  floor: number;
  memberPages: number;
  /** The policy, the other (small) groups' member pages, and one batch each for group names and look-ups by name. */
  otherRequests: number;
  batches: number;
  passReads: number;
  /** Pass reads sent again after a 429 inside a batch's answer. */
  readsSentAgain: number;
  seconds: number;
}

/** One case, in a child process of its own (as bench/run.ts measures). */
export function measureReview(members: number, throttled: boolean, concurrency = 4): Promise<ReviewResult> {
  return runJsonChild<ReviewResult>("bench/measure/review.ts", [
    "--members",
    String(members),
    "--concurrency",
    String(concurrency),
    ...(throttled ? ["--throttled"] : []),
  ]);
}

async function measure(members: number, throttled: boolean, concurrency: number): Promise<ReviewResult> {
  const emulator = await GraphEmulator.start();
  try {
    seedSamplePolicy(emulator);
    for (let i = 0; i < members; i++) {
      const user = emulator.addUser({ userPrincipalName: `member${i}@contoso.com` });
      emulator.addMember(sampleGroups.contractors.id, user.id);
      if (i % 50 === 0) {
        emulator.addPass(user.id, { startDateTime: new Date().toISOString(), lifetimeInMinutes: 60 });
      }
    }
    if (throttled) emulator.throttle = throttle;
    const file = writeStackFile(sampleStackConfig([]));
    const started = Date.now();
    const code = await runReview(
      ["--stack", "bench", "--config-file", file, "--json", "--concurrency", String(concurrency)],
      {
        stdout: () => undefined,
        stderr: (text) => process.stderr.write(text),
        stdinIsTTY: false,
        confirm: async () => false,
        env: emulator.env(),
      },
    );
    const seconds = (Date.now() - started) / 1000;
    const pages = emulator.requests.filter((r) =>
      r.path.includes(`/groups/${sampleGroups.contractors.id}/transitiveMembers/`),
    ).length;
    const memberPages = Math.ceil(members / 999);
    const batches = emulator.requests.filter((r) => r.path === "/v1.0/$batch").length;
    const reads = emulator.batchRequests.filter((r) => r.path.endsWith("/authentication/methods")).length;
    return {
      members,
      throttled,
      concurrency,
      exit: code,
      requests: emulator.requests.length,
      floor: memberPages + Math.ceil(members / 20),
      memberPages: pages,
      otherRequests: emulator.requests.length - pages - batches,
      batches,
      passReads: reads,
      readsSentAgain: reads - members,
      seconds,
    };
  } finally {
    await emulator.stop();
    removeTempDirs();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      members: { type: "string" },
      throttled: { type: "boolean", default: false },
      concurrency: { type: "string", default: "4" },
    },
  });
  const concurrency = Number(values.concurrency);
  if (values.members !== undefined) {
    console.log(JSON.stringify(await measure(Number(values.members), values.throttled, concurrency)));
    return;
  }
  const sizes = positionals.map(Number);
  const rows = [];
  for (const members of sizes.length > 0 ? sizes : [1_000, 10_000]) {
    for (const throttled of [false, true]) {
      const row = await measure(members, throttled, concurrency);
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  console.table(rows);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(2);
  });
}

/** The review's table: per size, with and without throttling, its Graph requests against their floor. */
export function reviewTable(results: readonly ReviewResult[]): string {
  const t = table([
    "members",
    "throttled",
    "requests",
    "floor (member pages + batches)",
    "÷ floor",
    "batches",
    "pass reads sent again",
    "seconds",
    "exit",
  ]);
  for (const r of results) {
    t.push([
      r.members,
      r.throttled ? "yes" : "no",
      r.requests,
      r.floor,
      `${(r.requests / r.floor).toFixed(2)}x`,
      r.batches,
      r.readsSentAgain,
      r.seconds.toFixed(1),
      r.exit,
    ]);
  }
  return t.toString();
}
