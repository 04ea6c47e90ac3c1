// One user's Temporary Access Pass, a resource of entra-tap's provider plugin: its lifecycle. The passcode exists only
// in Graph's answer to the POST: the lifecycle seals it at once to its recipients' public keys (handover.ts), and the
// state keeps that ciphertext; the plaintext is kept (as a Pulumi secret) only when the stack opts in. How a pass is
// issued, read and deleted in Graph, and what Graph refuses, is graph/userPasses.ts's.
import { z } from "zod";
import { type GraphClient, graphClientFromEnvironment } from "./graph/client";
import { isGraphRequestError } from "./graph/errors";
import {
  currentPass,
  deletePass,
  type GraphTemporaryAccessPass,
  issuePass,
  passEndDateTime,
  revokeSessions,
} from "./graph/userPasses";
import { registrationPreflight } from "./graph/registrationPreflight";
import { grantUser, justificationSchema } from "./grant";
import { type HandoverRecipient, handoverRecipientSchema, passcodeSealer } from "./handover";
import type { CheckResult, CreateResult, ReadResult } from "@pulumi/pulumi/provider";
import { grantPurposes } from "./passBootstrap";
import {
  checkInputs,
  graphResourceType,
  graphScopeShape,
  type ResourceLifecycle,
  tenantMoveFailures,
} from "./providerInputs";
import { tapLifetime } from "./tapPolicySettings";
import { integerInRange, isoDateTime, oneOf, strictObject } from "./validation";

/** What the last `read` found, so drift shows in `pulumi refresh` without the next `up` re-issuing a pass. */
export type TapStatus = "issued" | "revokedOutOfBand" | "replacedOutOfBand" | "userNotFound" | "ended";

function userTemporaryAccessPassSchema() {
  const isoDate = isoDateTime();
  return strictObject({
    ...graphScopeShape(),
    user: grantUser(),
    startDateTime: isoDate,
    lifetimeInMinutes: tapLifetime(),
    isUsableOnce: z.boolean({ error: "true or false" }),
    grantExpiry: isoDate,
    /** Set by the program once the grant's expiry has passed: the pass is deleted, never re-issued. */
    grantEnded: z.boolean({ error: "true or false" }).default(false),
    /** Bump to issue a new pass (after one was used, revoked or replaced out of band). */
    reissue: z.int({ error: "an integer from 0" }).min(0, { error: "an integer from 0" }).default(0),
    revokeSessionsOnDelete: z.boolean({ error: "true or false" }).default(true),
    /** How long a "not in scope" refusal is retried: a new group membership takes minutes to replicate. */
    scopeRetrySeconds: integerInRange(0, 3600).default(600),
    /** The grant's record (why, which ticket, who asked, who approved): kept in the state, read by the policy pack. */
    justification: justificationSchema().optional(),
    /** Who hands the pass over: the passcode is sealed to each one's public key, and only they can open it. */
    sealTo: z.array(handoverRecipientSchema(), { error: "a list of recipients" }).default([]),
    /** Keep the plaintext passcode in the state too, as a Pulumi secret (an opt-in the policy pack flags). */
    keepPasscodeInState: z.boolean({ error: "true or false" }).default(false),
    /** What the pass is for (the grant's purpose): an onboarding is told when its user already has such a method. */
    purpose: oneOf(grantPurposes).optional(),
  });
}

export type UserTemporaryAccessPassInputs = z.output<ReturnType<typeof userTemporaryAccessPassSchema>>;

/** The schema, built once per process: the offline plan checks every pass of the stack, and building it took most of a check. */
let builtSchema: ReturnType<typeof userTemporaryAccessPassSchema> | undefined;

function passSchema(): ReturnType<typeof userTemporaryAccessPassSchema> {
  return (builtSchema ??= userTemporaryAccessPassSchema());
}

export interface UserTemporaryAccessPassOutputs extends UserTemporaryAccessPassInputs {
  methodId: string;
  /** The passcode, from the POST answer only, when keepPasscodeInState; otherwise null. Secret. */
  temporaryAccessPass: string | null;
  /** The passcode sealed to `sealedTo` (an ASCII-armored age file); null once the pass ended. */
  sealedPasscode: string | null;
  /** Whom the passcode was sealed to when the pass was issued (a later change of sealTo cannot re-seal it). */
  sealedTo: HandoverRecipient[];
  createdDateTime: string;
  /** When the pass actually starts and ends (a grant already under way starts its pass when it is issued). */
  passStartDateTime: string;
  passEndDateTime: string;
  isUsable: boolean;
  methodUsabilityReason: string | null;
  status: TapStatus;
  /** Why, as far as Graph tells, the pass could not do what it is for (registrationPreflight); [] when nothing. */
  registrationWarnings: string[];
}

/**
 * The preflight of a pass that can still be used, never failing the operation it runs in: a pass issued (or read)
 * stays recorded whatever the preflight meets, and what it could not check is said as a warning.
 */
async function preflightWarnings(
  graph: GraphClient,
  inputs: Pick<UserTemporaryAccessPassInputs, "user" | "isUsableOnce" | "purpose">,
  passStart: string,
): Promise<string[]> {
  try {
    return await registrationPreflight(graph, {
      user: inputs.user,
      isUsableOnce: inputs.isUsableOnce,
      purpose: inputs.purpose,
      passStart,
    });
  } catch (error) {
    return [
      `the registration path was not checked: ${error instanceof Error ? error.message : String(error)}`,
    ];
  }
}

/**
 * The passcode Graph answered with, sealed; if sealing fails, the pass is deleted before the error goes on: a live pass
 * whose passcode nobody holds is never left behind.
 */
async function sealOrDelete(
  graph: GraphClient,
  user: string,
  tap: GraphTemporaryAccessPass,
  seal: ((passcode: string) => Promise<string>) | undefined,
): Promise<string | null> {
  if (!seal || tap.temporaryAccessPass === null) return null;
  try {
    return await seal(tap.temporaryAccessPass);
  } catch (error) {
    await deletePass(graph, user, tap.id);
    throw new Error(
      `the pass issued to ${JSON.stringify(user)} could not be sealed (${error instanceof Error ? error.message : String(error)}); it was deleted`,
      { cause: error },
    );
  }
}

/**
 * A pass issued before passcodes were sealed holds its plaintext passcode in the state: it is sealed now, to the
 * recipients declared today, so that the next checkpoint holds only ciphertext (the backend's history still holds the
 * plaintext: docs/permissions.md). A pass already sealed keeps its seal: a change of recipients cannot re-seal it.
 */
async function sealedFromBefore(
  olds: UserTemporaryAccessPassOutputs,
  news: UserTemporaryAccessPassInputs,
): Promise<Pick<UserTemporaryAccessPassOutputs, "sealedPasscode" | "sealedTo">> {
  const issuedBeforeSealing = olds.sealedPasscode === undefined;
  if (issuedBeforeSealing && typeof olds.temporaryAccessPass === "string" && news.sealTo.length > 0) {
    return {
      sealedPasscode: await passcodeSealer(news.sealTo)(olds.temporaryAccessPass),
      sealedTo: news.sealTo,
    };
  }
  return { sealedPasscode: olds.sealedPasscode ?? null, sealedTo: olds.sealedTo ?? [] };
}

/** Deletes the pass (one already gone is fine) and, if asked, ends the user's sessions. */
async function removePass(graph: GraphClient, props: UserTemporaryAccessPassOutputs): Promise<void> {
  if (props.status === "issued" && props.methodId) await deletePass(graph, props.user, props.methodId);
  if (props.revokeSessionsOnDelete && props.status !== "userNotFound")
    await revokeSessions(graph, props.user);
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
const updateKeys = [
  "grantEnded",
  "grantExpiry",
  "revokeSessionsOnDelete",
  "scopeRetrySeconds",
  "keepPasscodeInState",
] as const;
/** Inputs compared as JSON: a change updates the state, never the pass. */
const recordKeys = ["justification", "sealTo", "purpose", "tenantId"] as const;

/** Nobody could open the passcode of a pass issued with these inputs. */
function isSealedToNobody(inputs: UserTemporaryAccessPassInputs): boolean {
  return inputs.sealTo.length === 0 && !inputs.keepPasscodeInState;
}

export const userTemporaryAccessPassLifecycle: ResourceLifecycle = {
  inputSchema: passSchema,
  outputs: {
    methodId: { type: "string", description: "The pass's id in Graph (its authentication method id)." },
    temporaryAccessPass: {
      type: "string",
      description:
        "The passcode, from Graph's answer when the pass was issued, only when keepPasscodeInState; null otherwise.",
      secret: true,
    },
    sealedPasscode: {
      type: "string",
      description:
        "The passcode sealed with age to the recipients in sealedTo (ASCII-armored); null once it ended.",
    },
    sealedTo: { type: "object", description: "The recipients (name and age public key) it was sealed to." },
    createdDateTime: { type: "string", description: "When Graph issued the pass." },
    passStartDateTime: { type: "string", description: "When the pass starts, as Graph holds it." },
    passEndDateTime: { type: "string", description: "When the pass ends: its start plus its lifetime." },
    isUsable: { type: "boolean", description: "Whether the pass can be used, at the last read." },
    methodUsabilityReason: {
      type: "string",
      description: "Graph's reason for isUsable (Expired, OneTimeUsed, ...).",
    },
    status: {
      type: "string",
      description:
        "What the last read found: issued, revokedOutOfBand, replacedOutOfBand, userNotFound or ended.",
    },
    registrationWarnings: {
      type: "object",
      description:
        "Why, as far as Graph tells, the pass could not register the method it is for (a Conditional Access policy on " +
        "registering security info that excludes it; an onboarding user who already has a phishing-resistant method).",
    },
  },

  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult> {
    const moved = tenantMoveFailures(olds, news);
    if (moved.length > 0) return { failures: moved };
    const checked = checkInputs(passSchema(), news, "temporaryAccessPass");
    // An ended grant's pass is only deleted: it needs no recipient any more.
    if (checked.inputs && !checked.inputs.grantEnded && isSealedToNobody(checked.inputs)) {
      return {
        failures: [
          {
            property: "sealTo",
            reason:
              "temporaryAccessPass.sealTo: [] is not allowed; expected at least one recipient (entra-tap:handover." +
              "recipients), or keepPasscodeInState true: a pass sealed to nobody has a passcode nobody can hand over",
          },
        ],
      };
    }
    // A pass for a grant that has already ended is refused when added; one already issued is let go by update.
    if (checked.inputs?.grantEnded && olds.user === undefined) {
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
    const changes: string[] = [
      ...updateKeys.filter((key) => olds[key] !== news[key]),
      ...recordKeys.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key])),
    ];
    return { changes: replaces.length + changes.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: UserTemporaryAccessPassInputs): Promise<CreateResult> {
    // Ready before the POST: once Graph answers, sealing is only computation.
    const seal = inputs.sealTo.length > 0 ? passcodeSealer(inputs.sealTo) : undefined;
    const graph = graphClientFromEnvironment(inputs);
    const tap = await issuePass(graph, inputs);
    const sealedPasscode = await sealOrDelete(graph, inputs.user, tap, seal);
    const registrationWarnings = await preflightWarnings(graph, inputs, tap.startDateTime);
    const outs: UserTemporaryAccessPassOutputs = {
      ...inputs,
      methodId: tap.id,
      temporaryAccessPass: inputs.keepPasscodeInState ? tap.temporaryAccessPass : null,
      sealedPasscode,
      sealedTo: seal ? inputs.sealTo : [],
      createdDateTime: tap.createdDateTime,
      passStartDateTime: tap.startDateTime,
      passEndDateTime: passEndDateTime(tap),
      isUsable: tap.isUsable,
      methodUsabilityReason: tap.methodUsabilityReason,
      status: "issued",
      registrationWarnings,
    };
    return { id: tap.id, outs };
  },

  // The passcode comes back from the state unchanged (Graph never returns it again). The engine copies secretness from
  // the prior state onto what a provider that cannot take secrets returns, so it stays encrypted after a refresh.
  async read(id: string, props: UserTemporaryAccessPassOutputs): Promise<ReadResult> {
    if (props.status === "ended") return { id, props };
    const graph = graphClientFromEnvironment(props);
    let current: GraphTemporaryAccessPass | undefined;
    try {
      current = await currentPass(graph, props.user);
    } catch (error) {
      if (isGraphRequestError(error) && error.status === 404) {
        return { id, props: { ...props, status: "userNotFound", isUsable: false } };
      }
      throw error;
    }
    const gone = { registrationWarnings: [], isUsable: false };
    if (!current) return { id, props: { ...props, ...gone, status: "revokedOutOfBand" } };
    if (current.id !== props.methodId)
      return { id, props: { ...props, ...gone, status: "replacedOutOfBand" } };
    // Only a pass that can still be used is worth a preflight: one used or expired has nothing left to register.
    const canStillBeUsed = current.isUsable || current.methodUsabilityReason === "NotYetValid";
    return {
      id,
      props: {
        ...props,
        status: "issued",
        isUsable: current.isUsable,
        methodUsabilityReason: current.methodUsabilityReason,
        passStartDateTime: current.startDateTime,
        passEndDateTime: passEndDateTime(current),
        registrationWarnings: canStillBeUsed
          ? await preflightWarnings(graph, props, current.startDateTime)
          : [],
      },
    };
  },

  async update(_id: string, olds: UserTemporaryAccessPassOutputs, news: UserTemporaryAccessPassInputs) {
    if (news.grantEnded && !olds.grantEnded) {
      // The grant ended: the pass goes, and with it the sessions it may have opened.
      await removePass(graphClientFromEnvironment(olds), {
        ...olds,
        revokeSessionsOnDelete: news.revokeSessionsOnDelete,
      });
      return {
        outs: {
          ...olds,
          ...news,
          status: "ended",
          isUsable: false,
          registrationWarnings: [],
          temporaryAccessPass: null,
          sealedPasscode: null,
        },
      };
    }
    return {
      outs: {
        ...olds,
        ...news,
        ...(await sealedFromBefore(olds, news)),
        temporaryAccessPass: news.keepPasscodeInState ? olds.temporaryAccessPass : null,
      },
    };
  },

  async delete(_id: string, props: UserTemporaryAccessPassOutputs): Promise<void> {
    if (props.status === "ended") return;
    await removePass(graphClientFromEnvironment(props), props);
  },
};

/** The resource's type token: a resource of entra-tap's provider plugin. */
export const userTemporaryAccessPassType = graphResourceType("UserTemporaryAccessPass");
