// Measures a review of a large targeted group against the emulator: HTTP requests and wall time, next to the floor
// (pages of members + ceil(members / 20) batches of pass reads), with and without throttling.
//
//   npx tsx test/scripts/review/bench.ts [members...]     e.g. 1000 10000 (the default)
//
// Throttling: Graph's limits for these endpoints are not published per endpoint; the emulator allows 1,000 requests
// per 5 s window (each request of a batch counted on its own) and answers 429 with a Retry-After until the window
// ends, the way Graph's identity throttling answers.
import { runReview } from "../../../scripts/review";
import { GraphEmulator } from "../../support/graphEmulator";
import {
  sampleGroups,
  sampleStackConfig,
  seedSamplePolicy,
  writeStackFile,
} from "../../support/sampleTenant";

const throttle = { limit: 1_000, windowMs: 5_000 };

async function measure(members: number, throttled: boolean, concurrency: number) {
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
    const reads = emulator.batchRequests.filter((r) => r.path.endsWith("/temporaryAccessPassMethods")).length;
    return {
      members,
      throttled,
      concurrency,
      exit: code,
      requests: emulator.requests.length,
      floor: memberPages + Math.ceil(members / 20),
      memberPages: pages,
      // The policy, the other (small) groups' member pages, and one batch each for group names and look-ups by name.
      otherRequests: emulator.requests.length - pages - batches,
      batches,
      passReads: reads,
      readsSentAgain: reads - members,
      seconds,
    };
  } finally {
    await emulator.stop();
  }
}

async function main() {
  const sizes = process.argv.slice(2).map(Number);
  const rows = [];
  for (const members of sizes.length > 0 ? sizes : [1_000, 10_000]) {
    for (const throttled of [false, true]) {
      const row = await measure(members, throttled, 4);
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  console.table(rows);
}

void main();
