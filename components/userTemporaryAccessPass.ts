// One user's Temporary Access Pass, issued through Graph by a dynamic provider. The passcode exists only in Graph's
// answer to the POST: it is kept as a secret output, and never re-read.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  type GraphClient,
  graphClientFromEnvironment,
  type GraphCloud,
  graphCloudNames,
  isGraphRequestError,
} from "./graphClient";
import { tapLifetime } from "./tapPolicySettings";
import { checkInputs, integerInRange, oneOf, strictObject } from "./validation";

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
  const isoDate = z.iso.datetime({
    offset: true,
    error: "an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z",
  });
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

function methodsPath(user: string): string {
  return `/users/${encodeURIComponent(user)}/authentication/temporaryAccessPassMethods`;
}

function passEnd(tap: GraphTap): string {
  return new Date(Date.parse(tap.startDateTime) + tap.lifetimeInMinutes * 60_000).toISOString();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Issues the pass, retrying Graph's "not in scope" refusal for a bounded time (membership replication). */
async function issue(graph: GraphClient, inputs: UserTemporaryAccessPassInputs): Promise<GraphTap> {
  const operation = `Issue a Temporary Access Pass to ${inputs.user}`;
  const now = Date.now();
  const start = Date.parse(inputs.startDateTime);
  const endIfIssuedNow = Math.max(start, now) + inputs.lifetimeInMinutes * 60_000;
  if (endIfIssuedNow > Date.parse(inputs.grantExpiry)) {
    throw new Error(
      `${operation} refused by entra-tap: issued now, the pass would end ${new Date(endIfIssuedNow).toISOString()}, ` +
        `after the grant's expiry ${inputs.grantExpiry}; shorten lifetimeInMinutes or extend the grant`,
    );
  }
  const body = {
    // A grant already under way gets a pass starting now; Graph is not asked to start one in the past.
    ...(start > now ? { startDateTime: inputs.startDateTime } : {}),
    lifetimeInMinutes: inputs.lifetimeInMinutes,
    isUsableOnce: inputs.isUsableOnce,
  };
  const deadline = now + inputs.scopeRetrySeconds * 1000;
  let wait = Math.min(15_000, Math.max(250, inputs.scopeRetrySeconds * 50));
  for (;;) {
    try {
      const response = await graph.post<GraphTap>(operation, methodsPath(inputs.user), body);
      return response.body as GraphTap;
    } catch (error) {
      const notInScope = isGraphRequestError(error) && error.graphMessage.includes(notInScopeText);
      if (!notInScope) throw error;
      if (Date.now() + wait > deadline) {
        throw new Error(
          `${(error as Error).message} (refused for ${inputs.scopeRetrySeconds} s: is ${inputs.user} in a group ` +
            "the TAP policy includes, and in none it excludes?)",
          { cause: error },
        );
      }
      await sleep(wait);
      wait = Math.min(wait * 2, 15_000);
    }
  }
}

/** Deletes the pass (one already gone is fine) and, if asked, ends the user's sessions. */
async function removePass(graph: GraphClient, props: UserTemporaryAccessPassOutputs): Promise<void> {
  if (props.status === "issued" && props.methodId) {
    try {
      await graph.delete(
        `Delete the Temporary Access Pass of ${props.user}`,
        `${methodsPath(props.user)}/${props.methodId}`,
      );
    } catch (error) {
      if (!(isGraphRequestError(error) && error.status === 404)) throw error;
    }
  }
  if (props.revokeSessionsOnDelete && props.status !== "userNotFound") {
    try {
      await graph.post(
        `Revoke the sign-in sessions of ${props.user}`,
        `/users/${encodeURIComponent(props.user)}/revokeSignInSessions`,
      );
    } catch (error) {
      if (!(isGraphRequestError(error) && error.status === 404)) throw error;
    }
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
    const checked = checkInputs(userTemporaryAccessPassSchema(), news, "temporaryAccessPass");
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
      passEndDateTime: passEnd(tap),
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
      const response = await graph.get<{ value: GraphTap[] }>(
        `Read the Temporary Access Pass of ${props.user}`,
        methodsPath(props.user),
      );
      current = response.body?.value?.[0];
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
        passEndDateTime: passEnd(current),
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
    const outputSeeds = Object.fromEntries(outputKeys.map((key) => [key, undefined]));
    super(
      userTemporaryAccessPassProvider,
      name,
      { ...outputSeeds, ...args },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["temporaryAccessPass"] }),
      "entra",
      "UserTemporaryAccessPass",
    );
  }
}
