// A user's Temporary Access Passes in Graph (`/users/{id}/authentication/temporaryAccessPassMethods`): their shape and
// end, the refusals Graph gives (a user not yet in the policy's scope, told by its wording) and those entra-tap makes
// first against the live policy, and issuing, reading and deleting a pass and revoking the user's sessions. The
// passcode exists only in Graph's answer to the POST.
import { clockSkewMs } from "../grant";
import { isLifetimeWithinPolicy, isUseAllowedByPolicy, type TapPolicySettings } from "../tapPolicySettings";
import { batchAll } from "./batch";
import type { GraphClient } from "./client";
import type { GraphCloud } from "./clouds";
import { batchFailure, isClientRefusal, isGraphRequestError } from "./errors";
import { sleep } from "./retry";
import { readTapPolicy } from "./tapPolicy";

/** A pass as Graph returns it; `temporaryAccessPass`, the passcode, only in the answer to the POST that issued it. */
export interface GraphTemporaryAccessPass {
  id: string;
  temporaryAccessPass: string | null;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: string | null;
}

/** What a pass is issued for: the user, when it starts and for how long, and the grant it must end within. */
export interface PassRequest {
  cloud: GraphCloud;
  /** User principal name or object id. */
  user: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  grantExpiry: string;
  /** How long a "not in scope" refusal is retried: a new group membership takes minutes to replicate. */
  scopeRetrySeconds: number;
}

function passMethodsPath(user: string): string {
  return `/users/${encodeURIComponent(user)}/authentication/temporaryAccessPassMethods`;
}

/** When a pass ends: its start plus its lifetime (Graph gives no end of its own). */
export function passEndDateTime(
  tap: Pick<GraphTemporaryAccessPass, "startDateTime" | "lifetimeInMinutes">,
): string {
  return new Date(Date.parse(tap.startDateTime) + tap.lifetimeInMinutes * 60_000).toISOString();
}

/**
 * Refuses, before any POST, a pass the live TAP policy would refuse for a known reason: a disabled policy, a lifetime
 * outside its minimum..maximum, a reusable pass under a one-time policy. Graph's own refusal would say less.
 */
function passRefusedByPolicy(
  request: Pick<PassRequest, "lifetimeInMinutes" | "isUsableOnce">,
  policy: TapPolicySettings,
): string | undefined {
  if (policy.state !== "enabled") {
    return "the tenant's TAP policy is disabled (state: disabled), so Graph issues no pass; enable it in entra-tap:policy.state";
  }
  if (!isLifetimeWithinPolicy(policy, request.lifetimeInMinutes)) {
    const { minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max } = policy;
    return `lifetimeInMinutes ${request.lifetimeInMinutes} is outside the tenant's TAP policy range ${min}..${max}`;
  }
  if (!isUseAllowedByPolicy(policy, request.isUsableOnce)) {
    return "isUsableOnce false: the tenant's TAP policy allows one-time passes only (isUsableOnce: true)";
  }
  return undefined;
}

/** Refusal Graph gives for a user not (yet) in scope of the TAP policy; seen in the field, matched on its text. */
const notInScopeText = "does not allow creating or updating this authentication method";

/**
 * Graph's refusal for a user not (yet) in scope: a 4xx whose message has the known wording (no code of its own). Its
 * status is undocumented (400 is seen, 403 is as plausible), so the refusal is told by its wording.
 */
export function isNotInScopeRefusal(error: unknown): boolean {
  return isClientRefusal(error) && error.graphMessage.includes(notInScopeText);
}

/**
 * A refusal (a 4xx but 429) that entra-tap does not know: if it is a user not yet in scope, Graph's wording has changed
 * and entra-tap no longer recognises it; say where to look.
 */
function withScopeHint(error: unknown): unknown {
  if (!isClientRefusal(error)) return error;
  const known = ["LifetimeInMinutes", "external guest", "one-time", "Self-service operations"];
  if (known.some((text) => error.graphMessage.includes(text))) return error;
  return new Error(
    `${error.message} (if the user is not in scope of the TAP policy yet, entra-tap retries only a refusal whose ` +
      `message contains "${notInScopeText}": Graph's wording may have changed)`,
    { cause: error },
  );
}

/** A POST whose answer is lost is read back at most this many times before entra-tap gives up. */
const maxLostAnswers = 2;

/**
 * The TAP policy reads in flight, by cloud. A pass issued while another pass's read is still waiting for Graph's answer
 * takes that answer rather than asking again: under throttling, an onboarding wave of passes reads the policy once per
 * wait rather than once per pass (half its requests). Passes issued one after another each read it. Emptied as
 * each read settles.
 */
const policyReadsInFlight: Partial<Record<GraphCloud, Promise<TapPolicySettings>>> = {};

/** The live policy, and whether it came from another pass's read. */
async function livePolicy(
  graph: GraphClient,
  request: PassRequest,
  share: boolean,
): Promise<{ policy: TapPolicySettings; shared: boolean }> {
  const inFlight = share ? policyReadsInFlight[request.cloud] : undefined;
  if (inFlight) {
    try {
      return { policy: await inFlight, shared: true };
    } catch {
      // Its failure is the other pass's to report: this one reads for itself.
    }
  }
  const read = readTapPolicy(graph, `Read the TemporaryAccessPass policy before issuing to ${request.user}`);
  policyReadsInFlight[request.cloud] ??= read;
  try {
    return { policy: await read, shared: false };
  } finally {
    if (policyReadsInFlight[request.cloud] === read) delete policyReadsInFlight[request.cloud];
  }
}

/**
 * Issues the pass. Checks it against the live policy first; retries Graph's "not in scope" refusal for
 * `scopeRetrySeconds` (membership replication); and never repeats a POST blindly: when its answer is lost, it reads
 * the user's pass to learn whether one was issued. A pass issued without an answer has a passcode no one knows, so
 * the next POST replaces it (Graph keeps one pass per user): a lost answer costs one replaced pass, never two live.
 * A Retry-After on a failed POST (a 503 whose outcome is unknown) holds the next POST until it has passed, counted from
 * the answer: the read-back goes at once and its time is part of the wait.
 */
export async function issuePass(graph: GraphClient, request: PassRequest): Promise<GraphTemporaryAccessPass> {
  const operation = `Issue a Temporary Access Pass to ${request.user}`;
  const startedAt = Date.now();
  const start = Date.parse(request.startDateTime);
  const endIfIssuedNow = Math.max(start, startedAt) + request.lifetimeInMinutes * 60_000;
  if (endIfIssuedNow > Date.parse(request.grantExpiry)) {
    throw new Error(
      `${operation} refused by entra-tap: issued now, the pass would end ${new Date(endIfIssuedNow).toISOString()}, ` +
        `after the grant's expiry ${request.grantExpiry}; shorten lifetimeInMinutes or extend the grant`,
    );
  }
  const refusal = passRefusedByPolicy(request, await policyJudgingPass(graph, request));
  if (refusal) throw new Error(`${operation} refused by entra-tap: ${refusal}`);

  const body = {
    // A grant already under way gets a pass starting now; Graph is not asked to start one in the past.
    ...(start > startedAt ? { startDateTime: request.startDateTime } : {}),
    lifetimeInMinutes: request.lifetimeInMinutes,
    isUsableOnce: request.isUsableOnce,
  };
  const deadline = startedAt + request.scopeRetrySeconds * 1000;
  let wait = Math.min(15_000, Math.max(250, request.scopeRetrySeconds * 50));
  let lostAnswers = 0;
  // Not before this instant does the next POST go: the end of the Retry-After of the last answer that carried one.
  let notBefore = 0;
  for (;;) {
    // Counted from the answer, so a read-back in between is part of the wait (a timer may fire a little early).
    while (Date.now() < notBefore) await sleep(notBefore - Date.now());
    const attemptedAt = Date.now();
    try {
      const response = await graph.post<GraphTemporaryAccessPass>(
        operation,
        passMethodsPath(request.user),
        body,
      );
      return response.body as GraphTemporaryAccessPass;
    } catch (error) {
      if (isGraphRequestError(error) && error.retryAfterInMs !== undefined) {
        notBefore = Date.now() + error.retryAfterInMs;
      }
      if (isNotInScopeRefusal(error)) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          const waited = Math.round((Date.now() - startedAt) / 1000);
          throw new Error(
            `${(error as Error).message} (still refused after ${waited} s of retries, scopeRetrySeconds ` +
              `${request.scopeRetrySeconds}: is ${request.user} a member of a group the TAP policy includes, and of ` +
              "none it excludes? A new membership can take minutes to replicate)",
            { cause: error },
          );
        }
        await sleep(Math.min(wait, remaining));
        wait = Math.min(wait * 2, 15_000);
        continue;
      }
      if (!(isGraphRequestError(error) && error.outcomeUnknown)) throw withScopeHint(error);
      lostAnswers += 1;
      const unanswered = await passIssuedWithoutAnswer(graph, request.user, attemptedAt);
      if (lostAnswers > maxLostAnswers) {
        throw await lostAnswersFailure(graph, operation, request.user, unanswered, lostAnswers, error);
      }
      // Issued or not, POST again: a pass issued without an answer has no usable passcode, and the new one replaces it.
    }
  }
}

/** The policy a pass is judged against: the live one, read anew when a shared read would refuse the pass. */
async function policyJudgingPass(graph: GraphClient, request: PassRequest): Promise<TapPolicySettings> {
  const live = await livePolicy(graph, request, true);
  // A refusal is judged on a read of this pass's own, never on another pass's.
  return live.shared && passRefusedByPolicy(request, live.policy)
    ? (await livePolicy(graph, request, false)).policy
    : live.policy;
}

/** The user's pass if the POST sent at `attemptedAt`, whose answer was lost, issued it; else undefined. */
async function passIssuedWithoutAnswer(
  graph: GraphClient,
  user: string,
  attemptedAt: number,
): Promise<GraphTemporaryAccessPass | undefined> {
  const current = await currentPass(graph, user);
  return current !== undefined && Date.parse(current.createdDateTime) >= attemptedAt - clockSkewMs
    ? current
    : undefined;
}

/**
 * The error once Graph's answer is lost too many times, after deleting the pass issued without an answer (if one
 * was): nothing is left for the state to record.
 */
async function lostAnswersFailure(
  graph: GraphClient,
  operation: string,
  user: string,
  unanswered: GraphTemporaryAccessPass | undefined,
  lostAnswers: number,
  lastError: unknown,
): Promise<Error> {
  if (unanswered) {
    // Its passcode was never seen: delete it, so no pass stays usable that nobody can hand over.
    await graph.delete(
      `Delete the pass issued to ${user} without an answer`,
      `${passMethodsPath(user)}/${unanswered.id}`,
    );
  }
  return new Error(
    `${operation}: Graph's answer was lost ${lostAnswers} times (last: ${(lastError as Error).message}); ` +
      (unanswered
        ? "the pass issued without an answer was deleted. "
        : "Graph shows no pass issued by these attempts. ") +
      "Nothing is recorded in the state: run pulumi up again.",
    { cause: lastError },
  );
}

/** The user's pass as Graph shows it now (at most one), or undefined. */
export async function currentPass(
  graph: GraphClient,
  user: string,
): Promise<GraphTemporaryAccessPass | undefined> {
  const response = await graph.get<{ value: GraphTemporaryAccessPass[] }>(
    `Read the Temporary Access Pass of ${user}`,
    passMethodsPath(user),
  );
  return response.body?.value?.[0];
}

/** The pass read for a user among many: `userFound` false when Graph has no such user (404). */
export interface UserPassRead {
  userFound: boolean;
  pass: GraphTemporaryAccessPass | undefined;
}

/**
 * The pass of each user (by object id), 20 users to a JSON batch, a few batches at a time; in the order of `users`.
 * Any answer but 200 or 404 fails the read, naming the user by `name`.
 */
export async function readUsersPasses(
  graph: GraphClient,
  users: readonly { id: string; name: string }[],
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<UserPassRead[]> {
  const answers = await batchAll<{ value?: GraphTemporaryAccessPass[] }>(
    graph,
    "Read the users' Temporary Access Passes",
    users.map((user, index) => ({ id: String(index), method: "GET", url: passMethodsPath(user.id) })),
    { concurrency: options.concurrency, onProgress: options.onProgress },
  );
  return answers.map((answer, index) => {
    if (answer.status === 404) return { userFound: false, pass: undefined };
    if (answer.status !== 200) {
      throw batchFailure(`Read the Temporary Access Pass of ${users[index].name}`, answer);
    }
    return { userFound: true, pass: answer.body?.value?.[0] };
  });
}

/**
 * Deletes one pass by its id; one already gone (deleted, or replaced by a newer pass) is fine, and says so. `user` is
 * the user principal name or object id in the request; `who` names the user in messages.
 */
export async function deletePass(
  graph: GraphClient,
  user: string,
  methodId: string,
  who: string = user,
): Promise<"deleted" | "already gone"> {
  try {
    await graph.delete(
      `Delete the Temporary Access Pass of ${who}`,
      `${passMethodsPath(user)}/${encodeURIComponent(methodId)}`,
    );
    return "deleted";
  } catch (error) {
    if (isGraphRequestError(error) && error.status === 404) return "already gone";
    throw error;
  }
}

/** Ends the user's sign-in sessions (a pass's expiry does not); a user already deleted is fine, and says so. */
export async function revokeSessions(
  graph: GraphClient,
  user: string,
  who: string = user,
): Promise<"revoked" | "user not found"> {
  try {
    // Revoking twice does no harm: safe to repeat when an answer is lost.
    await graph.post(
      `Revoke the sign-in sessions of ${who}`,
      `/users/${encodeURIComponent(user)}/revokeSignInSessions`,
      {},
      { idempotent: true },
    );
    return "revoked";
  } catch (error) {
    if (isGraphRequestError(error) && error.status === 404) return "user not found";
    throw error;
  }
}
