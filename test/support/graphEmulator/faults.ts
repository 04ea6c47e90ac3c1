// Faults the emulator answers with instead of Graph's answer: injected ones (by method, path and where the request
// came), and random ones for the benchmark's bulk issuance.
import { type CapturedAnswer, errorAnswer, GraphHttpError } from "./http";

/**
 * A fault applied to the next `times` requests that match `method` and `path`. By default it matches requests sent on
 * their own and requests inside a JSON batch alike (Graph throttles each request of a batch on its own).
 */
export interface Fault {
  method?: string;
  path?: string | RegExp;
  times?: number;
  /** Which requests it matches: `request` (sent on its own), `batchItem` (inside a batch) or `any` (default). */
  scope?: "any" | "request" | "batchItem";
  /** Answer with this status and a Graph error body instead of handling the request. */
  status?: number;
  /** Graph error code for the fault's status (defaults to Graph's code for that status). */
  code?: string;
  retryAfter?: string;
  /** Wait this long before answering (or before the fault's status). */
  delayMs?: number;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Carry out the request first, then apply the fault: Graph did the work and the answer is lost. */
  afterHandling?: boolean;
}

/** An injected fault and how many more requests it applies to. */
export type PendingFault = Fault & { remaining: number };

/** Faults at random (see `GraphEmulator.randomFaults`). */
export interface RandomFaults {
  /** The share of requests answered with a fault, 0 to 1. */
  probability: number;
  /** The statuses to answer with, picked at random (e.g. 429 and 503). */
  statuses: readonly number[];
  /** Retry-After sent with a 429, in seconds (none by default). */
  retryAfter?: string;
  /** A number in [0, 1): `Math.random`, or a seeded generator for a repeatable run. */
  random: () => number;
}

const faultCodes: Record<number, string> = {
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

/** The fault for a request: the first pending one that matches it (used up by one), else perhaps a random one. */
export function takeFault(
  pending: PendingFault[],
  chaos: RandomFaults | undefined,
  request: { method: string; path: string },
  scope: "request" | "batchItem",
): Fault | undefined {
  const { method, path } = request;
  const fault = pending.find(
    (f) =>
      f.remaining > 0 &&
      (f.scope ?? "any") !== (scope === "request" ? "batchItem" : "request") &&
      (!f.method || f.method === method) &&
      (!f.path || (typeof f.path === "string" ? f.path === path : f.path.test(path))),
  );
  if (fault) fault.remaining -= 1;
  return fault ?? randomFault(chaos);
}

function randomFault(chaos: RandomFaults | undefined): Fault | undefined {
  if (!chaos || chaos.statuses.length === 0 || chaos.random() >= chaos.probability) return undefined;
  const status = chaos.statuses[Math.floor(chaos.random() * chaos.statuses.length)];
  return { status, retryAfter: status === 429 ? chaos.retryAfter : undefined };
}

export function faultAnswer(fault: Fault): CapturedAnswer {
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter };
  const code = fault.code ?? faultCodes[fault.status!] ?? "UnknownError";
  return errorAnswer(new GraphHttpError(fault.status!, code, `Injected fault ${fault.status}`), headers);
}
