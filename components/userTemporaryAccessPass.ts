// One user's Temporary Access Pass, issued through Graph by a dynamic provider. The passcode exists only in Graph's
// answer to the POST: it is kept as a secret output, and never re-read.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { GraphClient, GraphCloud, GraphRequestError } from "./graphClient";
import * as graphClient from "./graphClient";
import type { TapPolicySettings } from "./tapPolicySettings";
import * as tapPolicySettings from "./tapPolicySettings";
import * as tapPolicyProvider from "./temporaryAccessPassPolicyProvider";
import * as validation from "./validation";

// The provider's code is serialized by Pulumi, which takes each function and value it reaches. Bound here, the
// provider reaches these functions alone; reached through their modules (as a named import is compiled by tsx, a
// getter over the whole module), it would take every export of every module it imports.
const { graphClientFromEnvironment, graphCloudNames, isGraphRequestError, sleep } = graphClient;
const { tapLifetime } = tapPolicySettings;
const { tapPolicyPath, tapPolicySettingsFromGraph } = tapPolicyProvider;
const { checkInputs, dynamicTypeModule, integerInRange, isoDateTime, oneOf, strictObject, withOutputSeeds } =
  validation;

/** What the last `read` found, so drift shows in `pulumi refresh` without the next `up` re-issuing a pass. */
export const tapStatuses = [
  "issued",
  "revokedOutOfBand",
  "replacedOutOfBand",
  "userNotFound",
  "ended",
] as const;
export type TapStatus = (typeof tapStatuses)[number];

/** Refusal Graph gives for a user not (yet) in scope of the TAP policy; seen in the field, matched on its text. */
const notInScopeText = "does not allow creating or updating this authentication method";

export function userTemporaryAccessPassSchema() {
  const isoDate = isoDateTime();
  return strictObject({
    cloud: oneOf(graphCloudNames as [GraphCloud, ...GraphCloud[]]).default("global"),
    user: z
      .string({ error: "a user principal name or object id" })
      .min(1, { error: "a user principal name or object id" }),
    startDateTime: isoDate,
    lifetimeInMinutes: tapLifetime(),
    isUsableOnce: z.boolean({ error: "true or false" }),
    grantExpiry: isoDate,
    /** Set by the program once the grant's expiry has passed: the pass is deleted, never re-issued. */
    expired: z.boolean({ error: "true or false" }).default(false),
    /** Bump to issue a new pass (after one was used, revoked or replaced out of band). */
    reissue: z.int({ error: "an integer from 0" }).min(0, { error: "an integer from 0" }).default(0),
    revokeSessionsOnDelete: z.boolean({ error: "true or false" }).default(true),
    /** How long a "not in scope" refusal is retried: a new group membership takes minutes to replicate. */
    scopeRetrySeconds: integerInRange(0, 3600).default(600),
    /** The grant's record (why, which ticket, who asked, who approved): kept in the state, read by the policy pack. */
    justification: strictObject({
      reason: z.string({ error: "text" }),
      ticket: z.string({ error: "text" }),
      requestedBy: z.string({ error: "text" }),
      approvedBy: z.string({ error: "text" }),
    }).optional(),
  });
}

export type UserTemporaryAccessPassInputs = z.output<ReturnType<typeof userTemporaryAccessPassSchema>>;

/**
 * Where the schema is kept once built: on `globalThis`, for every later check of the process (the offline plan checks
 * every pass of the stack, and building the schema took most of a check). Not in a module variable: Pulumi serializes
 * the value a module variable holds into the provider's code, and a built zod schema cannot be serialized, so a check
 * made before the first pass is declared would break the program.
 */
const schemaKey = "entra-tap:userTemporaryAccessPassSchema";

function passSchema(): ReturnType<typeof userTemporaryAccessPassSchema> {
  const cache = globalThis as unknown as Record<string, ReturnType<typeof userTemporaryAccessPassSchema>>;
  return (cache[schemaKey] ??= userTemporaryAccessPassSchema());
}

export interface UserTemporaryAccessPassOutputs extends UserTemporaryAccessPassInputs {
  methodId: string;
  /** The passcode, from the POST answer only. Secret. */
  temporaryAccessPass: string | null;
  createdDateTime: string;
  /** When the pass actually starts and ends (a grant already under way starts its pass when it is issued). */
  passStartDateTime: string;
  passEndDateTime: string;
  isUsable: boolean;
  methodUsabilityReason: string | null;
  status: TapStatus;
}

interface GraphTap {
  id: string;
  temporaryAccessPass: string | null;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: string;
}

export function passMethodsPath(user: string): string {
  return `/users/${encodeURIComponent(user)}/authentication/temporaryAccessPassMethods`;
}

/** When a pass ends: its start plus its lifetime (Graph gives no end of its own). */
export function passEndDateTime(tap: Pick<GraphTap, "startDateTime" | "lifetimeInMinutes">): string {
  return new Date(Date.parse(tap.startDateTime) + tap.lifetimeInMinutes * 60_000).toISOString();
}

/**
 * Refuses, before any POST, a pass the live TAP policy would refuse for a known reason: a disabled policy, a lifetime
 * outside its minimum..maximum, a reusable pass under a one-time policy. Graph's own refusal would say less.
 */
export function passRefusedByPolicy(
  inputs: Pick<UserTemporaryAccessPassInputs, "lifetimeInMinutes" | "isUsableOnce">,
  policy: TapPolicySettings,
): string | undefined {
  if (policy.state !== "enabled") {
    return "the tenant's TAP policy is disabled (state: disabled), so Graph issues no pass; enable it in entra-tap:policy.state";
  }
  const { minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max } = policy;
  if (inputs.lifetimeInMinutes < min || inputs.lifetimeInMinutes > max) {
    return `lifetimeInMinutes ${inputs.lifetimeInMinutes} is outside the tenant's TAP policy range ${min}..${max}`;
  }
  if (!inputs.isUsableOnce && policy.isUsableOnce) {
    return "isUsableOnce false: the tenant's TAP policy allows one-time passes only (isUsableOnce: true)";
  }
  return undefined;
}

/**
 * A refusal of the request itself: a 4xx but 429 (throttling, which the client waits out). Graph's status for the
 * "not in scope" refusal is undocumented (400 is seen, 403 is as plausible), so that refusal is told by its wording.
 */
function isClientRefusal(error: unknown): error is GraphRequestError {
  return (
    isGraphRequestError(error) &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 429
  );
}

/** Graph's refusal for a user not (yet) in scope: a 4xx whose message has the known wording (no code of its own). */
export function isNotInScopeRefusal(error: unknown): boolean {
  return isClientRefusal(error) && error.graphMessage.includes(notInScopeText);
}

/** A POST whose answer is lost is read back at most this many times before entra-tap gives up. */
const maxLostAnswers = 2;
/** Clock difference allowed between this machine and Graph when telling a pass just issued from an older one. */
const clockSkewMs = 5 * 60_000;

/**
 * The TAP policy reads in flight, by cloud. A pass issued while another pass's read is still waiting for Graph's answer
 * takes that answer rather than asking again: under throttling, an onboarding wave of passes reads the policy once per
 * wait rather than once per pass (half its requests). Passes issued one after another each read it. A plain object,
 * emptied as each read settles: Pulumi serializes it with the provider (empty then, as no pass is issued while the
 * program runs).
 */
const policyReadsInFlight: Partial<Record<GraphCloud, Promise<TapPolicySettings>>> = {};

/** The live policy, and whether it came from another pass's read. */
async function livePolicy(
  graph: GraphClient,
  inputs: UserTemporaryAccessPassInputs,
  share: boolean,
): Promise<{ policy: TapPolicySettings; shared: boolean }> {
  const inFlight = share ? policyReadsInFlight[inputs.cloud] : undefined;
  if (inFlight) {
    try {
      return { policy: await inFlight, shared: true };
    } catch {
      // Its failure is the other pass's to report: this one reads for itself.
    }
  }
  const read = graph
    .get<unknown>(`Read the TemporaryAccessPass policy before issuing to ${inputs.user}`, tapPolicyPath)
    .then((response) => tapPolicySettingsFromGraph(response.body));
  policyReadsInFlight[inputs.cloud] ??= read;
  try {
    return { policy: await read, shared: false };
  } finally {
    if (policyReadsInFlight[inputs.cloud] === read) delete policyReadsInFlight[inputs.cloud];
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
async function issue(graph: GraphClient, inputs: UserTemporaryAccessPassInputs): Promise<GraphTap> {
  const operation = `Issue a Temporary Access Pass to ${inputs.user}`;
  const startedAt = Date.now();
  const start = Date.parse(inputs.startDateTime);
  const endIfIssuedNow = Math.max(start, startedAt) + inputs.lifetimeInMinutes * 60_000;
  if (endIfIssuedNow > Date.parse(inputs.grantExpiry)) {
    throw new Error(
      `${operation} refused by entra-tap: issued now, the pass would end ${new Date(endIfIssuedNow).toISOString()}, ` +
        `after the grant's expiry ${inputs.grantExpiry}; shorten lifetimeInMinutes or extend the grant`,
    );
  }
  const live = await livePolicy(graph, inputs, true);
  // A refusal is judged on a read of this pass's own, never on another pass's.
  const policy =
    live.shared && passRefusedByPolicy(inputs, live.policy)
      ? (await livePolicy(graph, inputs, false)).policy
      : live.policy;
  const refusal = passRefusedByPolicy(inputs, policy);
  if (refusal) throw new Error(`${operation} refused by entra-tap: ${refusal}`);

  const body = {
    // A grant already under way gets a pass starting now; Graph is not asked to start one in the past.
    ...(start > startedAt ? { startDateTime: inputs.startDateTime } : {}),
    lifetimeInMinutes: inputs.lifetimeInMinutes,
    isUsableOnce: inputs.isUsableOnce,
  };
  const deadline = startedAt + inputs.scopeRetrySeconds * 1000;
  let wait = Math.min(15_000, Math.max(250, inputs.scopeRetrySeconds * 50));
  let lostAnswers = 0;
  // Not before this instant does the next POST go: the end of the Retry-After of the last answer that carried one.
  let notBefore = 0;
  for (;;) {
    // Counted from the answer, so a read-back in between is part of the wait (a timer may fire a little early).
    while (Date.now() < notBefore) await sleep(notBefore - Date.now());
    const attemptedAt = Date.now();
    try {
      const response = await graph.post<GraphTap>(operation, passMethodsPath(inputs.user), body);
      return response.body as GraphTap;
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
              `${inputs.scopeRetrySeconds}: is ${inputs.user} a member of a group the TAP policy includes, and of ` +
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
      const current = await currentPass(graph, inputs.user);
      const issuedWithoutAnswer =
        current !== undefined && Date.parse(current.createdDateTime) >= attemptedAt - clockSkewMs;
      if (lostAnswers > maxLostAnswers) {
        if (issuedWithoutAnswer) {
          // Its passcode was never seen: delete it, so no pass stays usable that nobody can hand over.
          await graph.delete(
            `Delete the pass issued to ${inputs.user} without an answer`,
            `${passMethodsPath(inputs.user)}/${current.id}`,
          );
        }
        throw new Error(
          `${operation}: Graph's answer was lost ${lostAnswers} times (last: ${(error as Error).message}); ` +
            (issuedWithoutAnswer
              ? "the pass issued without an answer was deleted. "
              : "Graph shows no pass issued by these attempts. ") +
            "Nothing is recorded in the state: run pulumi up again.",
          { cause: error },
        );
      }
      // Issued or not, POST again: a pass issued without an answer has no usable passcode, and the new one replaces it.
    }
  }
}

/** The user's pass as Graph shows it now (at most one), or undefined. */
async function currentPass(graph: GraphClient, user: string): Promise<GraphTap | undefined> {
  const response = await graph.get<{ value: GraphTap[] }>(
    `Read the Temporary Access Pass of ${user}`,
    passMethodsPath(user),
  );
  return response.body?.value?.[0];
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

/** Deletes the pass (one already gone is fine) and, if asked, ends the user's sessions. */
async function removePass(graph: GraphClient, props: UserTemporaryAccessPassOutputs): Promise<void> {
  if (props.status === "issued" && props.methodId) await deletePass(graph, props.user, props.methodId);
  if (props.revokeSessionsOnDelete && props.status !== "userNotFound")
    await revokeSessions(graph, props.user);
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

/** Inputs whose change needs a new pass: Graph cannot change a pass once issued. */
const reissueKeys = [
  "cloud",
  "user",
  "startDateTime",
  "lifetimeInMinutes",
  "isUsableOnce",
  "reissue",
] as const;
const updateKeys = ["expired", "grantExpiry", "revokeSessionsOnDelete", "scopeRetrySeconds"] as const;

export const userTemporaryAccessPassProvider: pulumi.dynamic.ResourceProvider = {
  async check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.CheckResult> {
    const checked = checkInputs(passSchema(), news, "temporaryAccessPass");
    // A pass for a grant that has already ended is refused when added; one already issued is let go by update.
    if (checked.inputs?.expired && olds.user === undefined) {
      const expiry = JSON.stringify(checked.inputs.grantExpiry);
      return {
        failures: [
          {
            property: "grantExpiry",
            reason: `temporaryAccessPass.grantExpiry: ${expiry} has passed; a new grant must end in the future`,
          },
        ],
      };
    }
    return checked;
  },

  async diff(_id: string, olds: UserTemporaryAccessPassOutputs, news: UserTemporaryAccessPassInputs) {
    const replaces = reissueKeys.filter((key) => olds[key] !== news[key]);
    const changes: string[] = updateKeys.filter((key) => olds[key] !== news[key]);
    if (JSON.stringify(olds.justification) !== JSON.stringify(news.justification))
      changes.push("justification");
    return { changes: replaces.length + changes.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: UserTemporaryAccessPassInputs): Promise<pulumi.dynamic.CreateResult> {
    const tap = await issue(graphClientFromEnvironment(inputs.cloud), inputs);
    const outs: UserTemporaryAccessPassOutputs = {
      ...inputs,
      methodId: tap.id,
      temporaryAccessPass: tap.temporaryAccessPass,
      createdDateTime: tap.createdDateTime,
      passStartDateTime: tap.startDateTime,
      passEndDateTime: passEndDateTime(tap),
      isUsable: tap.isUsable,
      methodUsabilityReason: tap.methodUsabilityReason,
      status: "issued",
    };
    return { id: tap.id, outs };
  },

  // The passcode comes back from the state unchanged (Graph never returns it again). The engine copies secretness from
  // the prior state onto what a provider that cannot take secrets returns, so it stays encrypted after a refresh.
  async read(id: string, props: UserTemporaryAccessPassOutputs): Promise<pulumi.dynamic.ReadResult> {
    if (props.status === "ended") return { id, props };
    const graph = graphClientFromEnvironment(props.cloud);
    let current: GraphTap | undefined;
    try {
      current = await currentPass(graph, props.user);
    } catch (error) {
      if (isGraphRequestError(error) && error.status === 404) {
        return { id, props: { ...props, status: "userNotFound", isUsable: false } };
      }
      throw error;
    }
    if (!current) return { id, props: { ...props, status: "revokedOutOfBand", isUsable: false } };
    if (current.id !== props.methodId)
      return { id, props: { ...props, status: "replacedOutOfBand", isUsable: false } };
    return {
      id,
      props: {
        ...props,
        status: "issued",
        isUsable: current.isUsable,
        methodUsabilityReason: current.methodUsabilityReason,
        passStartDateTime: current.startDateTime,
        passEndDateTime: passEndDateTime(current),
      },
    };
  },

  async update(_id: string, olds: UserTemporaryAccessPassOutputs, news: UserTemporaryAccessPassInputs) {
    if (news.expired && !olds.expired) {
      // The grant ended: the pass goes, and with it the sessions it may have opened.
      await removePass(graphClientFromEnvironment(olds.cloud), {
        ...olds,
        revokeSessionsOnDelete: news.revokeSessionsOnDelete,
      });
      return { outs: { ...olds, ...news, status: "ended", isUsable: false, temporaryAccessPass: null } };
    }
    return { outs: { ...olds, ...news } };
  },

  async delete(_id: string, props: UserTemporaryAccessPassOutputs): Promise<void> {
    if (props.status === "ended") return;
    await removePass(graphClientFromEnvironment(props.cloud), props);
  },
};

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };
export type UserTemporaryAccessPassArgs = Inputs<
  Pick<
    UserTemporaryAccessPassInputs,
    "user" | "startDateTime" | "lifetimeInMinutes" | "isUsableOnce" | "grantExpiry"
  >
> &
  Partial<
    Inputs<
      Omit<
        UserTemporaryAccessPassInputs,
        "user" | "startDateTime" | "lifetimeInMinutes" | "isUsableOnce" | "grantExpiry"
      >
    >
  >;

const outputKeys = [
  "methodId",
  "temporaryAccessPass",
  "createdDateTime",
  "passStartDateTime",
  "passEndDateTime",
  "isUsable",
  "methodUsabilityReason",
  "status",
] as const;

/** The dynamic resource's type token, as Pulumi builds it from the module and the name given below. */
export const userTemporaryAccessPassType = `pulumi-nodejs:dynamic/${dynamicTypeModule}:UserTemporaryAccessPass`;

/** A user's pass, type `pulumi-nodejs:dynamic/entra:UserTemporaryAccessPass`; the passcode is a secret output. */
export class UserTemporaryAccessPass extends pulumi.dynamic.Resource {
  declare readonly methodId: pulumi.Output<string>;
  declare readonly temporaryAccessPass: pulumi.Output<string | null>;
  declare readonly passStartDateTime: pulumi.Output<string>;
  declare readonly passEndDateTime: pulumi.Output<string>;
  declare readonly isUsable: pulumi.Output<boolean>;
  declare readonly methodUsabilityReason: pulumi.Output<string | null>;
  declare readonly status: pulumi.Output<TapStatus>;

  constructor(name: string, args: UserTemporaryAccessPassArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      userTemporaryAccessPassProvider,
      name,
      withOutputSeeds(outputKeys, args),
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["temporaryAccessPass"] }),
      dynamicTypeModule,
      "UserTemporaryAccessPass",
    );
  }
}
