// A tenant in the Graph emulator for the provider measurements: the TAP policy enabled for one group, and N users in it,
// each with a pass's declared inputs as the program would declare them (checked by the provider, as the engine does).
import type { UserTemporaryAccessPassInputs } from "../../components/userTemporaryAccessPass";
import { userTemporaryAccessPassLifecycle } from "../../components/userTemporaryAccessPass";
import { approverRecipientKeys, contractorsGroupId as group } from "../../test/support/fixtures";
import { GraphEmulator, microsoftDefaultTapPolicy } from "../../test/support/graphEmulator";

const hour = 3_600_000;

export async function benchTenant(users: number): Promise<{
  emulator: GraphEmulator;
  passes: UserTemporaryAccessPassInputs[];
}> {
  const emulator = await GraphEmulator.start();
  // The providers read their Graph endpoint and token from the environment, as under the engine.
  Object.assign(process.env, emulator.env());
  emulator.policy = {
    ...microsoftDefaultTapPolicy(),
    state: "enabled",
    isUsableOnce: true,
    includeTargets: [{ id: group, targetType: "group", isRegistrationRequired: false }],
  };
  const passes: UserTemporaryAccessPassInputs[] = [];
  for (let i = 0; i < users; i++) {
    const userPrincipalName = `bench.user${String(i).padStart(5, "0")}@contoso.example`;
    const user = emulator.addUser({ userPrincipalName });
    emulator.addMember(group, user.id);
    const checked = await userTemporaryAccessPassLifecycle.check!(
      {},
      {
        user: userPrincipalName,
        startDateTime: new Date(Date.now() + hour).toISOString(),
        lifetimeInMinutes: 60,
        isUsableOnce: true,
        grantExpiry: new Date(Date.now() + 24 * hour).toISOString(),
        // Sealed as the program seals a pass: to its approver's public key.
        sealTo: [{ name: "tom.becker@contoso.com", key: approverRecipientKeys["tom.becker@contoso.com"] }],
      },
    );
    if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
    passes.push(checked.inputs as UserTemporaryAccessPassInputs);
  }
  return { emulator, passes };
}

/** Runs `work` over `items` with at most `concurrency` at once (as the engine runs resource operations). */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await work(items[index], index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Requests the emulator received, by method. */
export function requestsByMethod(emulator: GraphEmulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of emulator.requests) counts[request.method] = (counts[request.method] ?? 0) + 1;
  return counts;
}
