// The Graph requests of a no-change refresh: a stack of N passes and the TAP policy, created through the providers
// against the Graph emulator, then read back as `pulumi refresh` reads every resource (16 at a time). The least it can
// take is one read per Graph resource (N + 1 GETs) and no write.
//
//   npx tsx bench/measure/refresh.ts --passes <n>
// Prints one JSON line (RefreshResult).
import { parseArgs } from "node:util";
import {
  temporaryAccessPassPolicyLifecycle,
  type TemporaryAccessPassPolicyDeclaration,
} from "../../components/temporaryAccessPassPolicyConfiguration";
import { userTemporaryAccessPassLifecycle } from "../../components/userTemporaryAccessPass";
import { runJsonChild } from "../support/processes";
import { benchTenant, inParallel, requestsByMethod } from "../support/tenant";

export interface RefreshResult {
  passes: number;
  graphResources: number;
  /** Requests of the refresh alone, by method. */
  requests: Record<string, number>;
  reads: number;
  writes: number;
  /** Resources whose refreshed state differs from the state before (none: nothing changed in the tenant). */
  changed: number;
  failures: number;
  seconds: number;
}

export function measureRefresh(passes: number): Promise<RefreshResult> {
  return runJsonChild<RefreshResult>("bench/measure/refresh.ts", ["--passes", String(passes)]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { passes: { type: "string", default: "1000" } } });
  const count = Number(values.passes);
  const { emulator, passes } = await benchTenant(count);
  const policyInputs = (
    await temporaryAccessPassPolicyLifecycle.check!(
      {},
      {
        state: "enabled",
        isUsableOnce: true,
        includeTargets: emulator.policy.includeTargets.map(({ id }) => ({ id })),
        excludeTargets: [],
      },
    )
  ).inputs as TemporaryAccessPassPolicyDeclaration;
  const policy = await temporaryAccessPassPolicyLifecycle.create!(policyInputs);
  const created = await inParallel(passes, 16, (inputs) => userTemporaryAccessPassLifecycle.create!(inputs));
  const states = created.map((result) => {
    if (result.status === "rejected") throw result.reason;
    return result.value;
  });

  emulator.requests.length = 0;
  const started = performance.now();
  const reads = await inParallel(
    [{ id: policy.id, outs: policy.outs, provider: temporaryAccessPassPolicyLifecycle }].concat(
      states.map((s) => ({ id: s.id, outs: s.outs, provider: userTemporaryAccessPassLifecycle })),
    ),
    16,
    async ({ id, outs, provider }) => ({ before: outs, after: (await provider.read!(id, outs)).props }),
  );
  const seconds = (performance.now() - started) / 1000;
  const requests = requestsByMethod(emulator);
  const result: RefreshResult = {
    passes: count,
    graphResources: count + 1,
    requests,
    reads: requests.GET ?? 0,
    writes: emulator.writes().length,
    changed: reads.filter(
      (r) => r.status === "fulfilled" && JSON.stringify(r.value.before) !== JSON.stringify(r.value.after),
    ).length,
    failures: reads.filter((r) => r.status === "rejected").length,
    seconds,
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
