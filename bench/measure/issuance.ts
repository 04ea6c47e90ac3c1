// Bulk issuance: N passes issued through the provider's `create` (as `pulumi up` runs them, `--concurrency` at a time)
// against the Graph emulator throttling at a fixed rate (`--limit` requests per `--window-ms`, then 429 with a
// Retry-After until the window ends), plus random 429s and 503s (`--fault-rate`, seeded). Counts failures, passes
// issued twice (a second successful POST for the same user), and the time against the throttle's floor: the requests
// the issuance needs, at the throttle's rate.
//
//   npx tsx bench/measure/issuance.ts [--passes 500] [--concurrency 16] [--limit 25] [--window-ms 1000]
//                                     [--fault-rate 0.02] [--seed 11]
// Prints one JSON line (IssuanceResult).
import { parseArgs } from "node:util";
import {
  type UserTemporaryAccessPassOutputs,
  userTemporaryAccessPassLifecycle,
} from "../../components/userTemporaryAccessPass";
import { tapPolicyPath } from "../../components/graph/tapPolicy";
import { runJsonChild } from "../support/processes";
import { seededRandom } from "../support/stats";
import { benchTenant, inParallel } from "../support/tenant";

export interface IssuanceOptions {
  passes: number;
  concurrency: number;
  /** Requests the throttle lets through per window. */
  limit: number;
  windowMs: number;
  /** Share of requests answered 429 or 503 at random (half each). */
  faultRate: number;
  seed: number;
}

export interface IssuanceResult extends IssuanceOptions {
  seconds: number;
  failures: number;
  /** A few of the failures' messages. */
  failureSamples: string[];
  /** Passes issued more than once for the same user (a second successful POST). */
  duplicates: number;
  /** Users whose live pass is not the one the provider returned. */
  replaced: number;
  requests: {
    posts: number;
    policyReads: number;
    /** Reads of a user's pass after a POST whose answer was lost (a 503). */
    passReads: number;
    throttled: number;
    unavailable: number;
  };
  /** The least time the throttle allows: the POSTs alone, and the POSTs with the policy reads the provider makes. */
  floorSeconds: { posts: number; postsAndPolicyReads: number };
}

export const defaultIssuance: IssuanceOptions = {
  passes: 500,
  concurrency: 16,
  limit: 25,
  windowMs: 1000,
  faultRate: 0.02,
  seed: 11,
};

export function measureIssuance(options: IssuanceOptions): Promise<IssuanceResult> {
  return runJsonChild<IssuanceResult>("bench/measure/issuance.ts", [
    ...["--passes", String(options.passes), "--concurrency", String(options.concurrency)],
    ...["--limit", String(options.limit), "--window-ms", String(options.windowMs)],
    ...["--fault-rate", String(options.faultRate), "--seed", String(options.seed)],
  ]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      passes: { type: "string", default: String(defaultIssuance.passes) },
      concurrency: { type: "string", default: String(defaultIssuance.concurrency) },
      limit: { type: "string", default: String(defaultIssuance.limit) },
      "window-ms": { type: "string", default: String(defaultIssuance.windowMs) },
      "fault-rate": { type: "string", default: String(defaultIssuance.faultRate) },
      seed: { type: "string", default: String(defaultIssuance.seed) },
    },
  });
  const options: IssuanceOptions = {
    passes: Number(values.passes),
    concurrency: Number(values.concurrency),
    limit: Number(values.limit),
    windowMs: Number(values["window-ms"]),
    faultRate: Number(values["fault-rate"]),
    seed: Number(values.seed),
  };
  const { emulator, passes } = await benchTenant(options.passes);
  emulator.requests.length = 0;
  emulator.throttle = { limit: options.limit, windowMs: options.windowMs };
  emulator.randomFaults = {
    probability: options.faultRate,
    statuses: [429, 503],
    retryAfter: "1",
    random: seededRandom(options.seed),
  };

  const started = performance.now();
  const results = await inParallel(passes, options.concurrency, (inputs) =>
    userTemporaryAccessPassLifecycle.create!(inputs),
  );
  const seconds = (performance.now() - started) / 1000;

  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  const methodsPath = /^\/v1\.0\/users\/([^/]+)\/authentication\/temporaryAccessPassMethods$/;
  const issuedPerUser = new Map<string, number>();
  for (const answer of emulator.answered) {
    const user = methodsPath.exec(answer.path)?.[1];
    if (answer.method === "POST" && answer.status === 201 && user) {
      const key = decodeURIComponent(user).toLowerCase();
      issuedPerUser.set(key, (issuedPerUser.get(key) ?? 0) + 1);
    }
  }
  const live = new Map(
    [...emulator.users.values()].map((u) => [u.userPrincipalName.toLowerCase(), u.tap?.id]),
  );
  const replaced = results.filter(
    (r) =>
      r.status === "fulfilled" &&
      live.get((r.value.outs as UserTemporaryAccessPassOutputs).user.toLowerCase()) !== r.value.id,
  ).length;
  const posts = emulator.requests.filter((r) => r.method === "POST").length;
  const policyReads = emulator.requests.filter(
    (r) => r.method === "GET" && r.path === `/v1.0${tapPolicyPath}`,
  ).length;
  const passReads = emulator.requests.filter((r) => r.method === "GET" && methodsPath.test(r.path)).length;
  const windows = (requests: number) => (requests / options.limit) * (options.windowMs / 1000);
  const result: IssuanceResult = {
    ...options,
    seconds,
    failures: failed.length,
    failureSamples: [...new Set(failed.map((f) => String((f.reason as Error)?.message ?? f.reason)))].slice(
      0,
      3,
    ),
    duplicates: [...issuedPerUser.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    replaced,
    requests: {
      posts,
      policyReads,
      passReads,
      throttled: emulator.answered.filter((a) => a.status === 429).length,
      unavailable: emulator.answered.filter((a) => a.status === 503).length,
    },
    floorSeconds: {
      posts: windows(options.passes),
      postsAndPolicyReads: windows(options.passes * 2),
    },
  };
  await emulator.stop();
  console.log(JSON.stringify(result));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(2);
  });
}
