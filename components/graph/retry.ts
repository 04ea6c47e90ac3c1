// When a Graph request is sent again, and after how long. As @azure/core-rest-pipeline composes its own retry policy
// (a throttling strategy, then an exponential one, under one retry bound), the client's pipeline composes two
// strategies: throttling (429) and transient failures (unavailability, timeouts, dropped connections). Requests
// inside a JSON batch, which the pipeline never sees, are judged here too. Every wait comes from one formula:
// Graph's Retry-After when it gives one, otherwise an exponential backoff with jitter, both capped.
import type {
  PipelinePolicy,
  PipelineResponse,
  RetryModifiers,
  RetryStrategy,
} from "@azure/core-rest-pipeline";
import { azureRestPipeline } from "./azureSdk";

export interface GraphRetryOptions {
  /** Retries after the first attempt before giving up. */
  maxRetries?: number;
  /**
   * Further retries of a throttled request (429), beyond `maxRetries`: Graph did nothing and said when to come back,
   * so a burst of requests (an onboarding wave of passes) waits its turn rather than fails.
   */
  maxThrottledRetries?: number;
  /** First backoff delay when Graph gives no Retry-After; doubles per retry, with jitter. */
  retryDelayInMs?: number;
  /** Upper bound for any single wait, Retry-After included. */
  maxRetryDelayInMs?: number;
}

/** The retry options with their defaults. */
export interface RetryTiming {
  maxRetries: number;
  maxThrottledRetries: number;
  baseDelayInMs: number;
  maxDelayInMs: number;
}

export function retryTiming(options: GraphRetryOptions = {}): RetryTiming {
  return {
    maxRetries: options.maxRetries ?? 5,
    maxThrottledRetries: options.maxThrottledRetries ?? 20,
    baseDelayInMs: options.retryDelayInMs ?? 1_000,
    maxDelayInMs: options.maxRetryDelayInMs ?? 60_000,
  };
}

/** Errors after which Graph may have carried out the request (only its answer was lost); each is sent again. */
export const answerLostStatuses = [408, 500, 502, 503, 504];
/** Connection failures before the request was sent: Graph never saw it. */
export const notSentErrorCodes = ["ECONNREFUSED", "EAI_AGAIN"];
const transientErrorCodes = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
];
/** Statuses of a request inside a batch that are sent again: throttling, and unavailability of a read. */
const batchRetriableStatuses = [429, 503, 504];

/** The backoff before retry `attempt` (from 0): the first delay doubled per attempt, ±20 % jitter, capped. */
export function backoffInMs(attempt: number, timing: RetryTiming): number {
  return Math.min(timing.maxDelayInMs, timing.baseDelayInMs * 2 ** attempt * (0.8 + Math.random() * 0.4));
}

/** The one wait before sending again: the answer's Retry-After when it has one (capped), else the backoff. */
export function retryWaitInMs(retryAfter: string | undefined, attempt: number, timing: RetryTiming): number {
  const asked = retryAfterInMs(retryAfter);
  return asked === undefined ? backoffInMs(attempt, timing) : Math.min(asked, timing.maxDelayInMs);
}

/** Retry-After as Graph sends it: seconds, or an HTTP date. */
export function retryAfterInMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Throttling (429): Graph did not carry the request out and said when to come back, so any request goes again, a
 * POST that creates something included. Counted only against the pipeline's own bound (`maxRetries` +
 * `maxThrottledRetries`): under sustained throttling, a request that keeps arriving after the window's quota is gone
 * must not fail while others get through.
 */
export function throttlingStrategy(timing: RetryTiming): RetryStrategy {
  return {
    name: "graphThrottlingStrategy",
    retry({ retryCount, response }) {
      if (response?.status !== 429) return { skipStrategy: true };
      return { retryAfterInMs: retryWaitInMs(response.headers.get("retry-after"), retryCount, timing) };
    },
  };
}

/**
 * Unavailability (408, 5xx), timeouts and dropped connections, `maxRetries` times per request. A request that is not
 * replay-safe (a POST that creates something) goes again only when Graph certainly did not see it: a connection
 * refused before it was sent.
 */
export function transientFailureStrategy(
  timing: RetryTiming,
  replaySafe = true,
  maxRetries = Infinity,
): RetryStrategy {
  // Failures of each request so far; throttling, which the strategy before this one takes, is not counted.
  const failures = new WeakMap<object, number>();
  return {
    name: "graphTransientFailureStrategy",
    retry({ retryCount, response, responseError }) {
      const request = response?.request ?? responseError?.request;
      const failed = request ? (failures.get(request) ?? 0) : retryCount;
      if (failed >= maxRetries) return { skipStrategy: true };
      if (request) failures.set(request, failed + 1);
      return response
        ? failedAnswerRetry(response, failed, replaySafe, timing)
        : connectionFailureRetry(responseError?.code, failed, replaySafe, timing);
    },
  };
}

/** Whether and when an answered request goes again: one whose answer was lost (408, 5xx), if it is replay-safe. */
function failedAnswerRetry(
  response: PipelineResponse,
  failed: number,
  replaySafe: boolean,
  timing: RetryTiming,
): RetryModifiers {
  if (!answerLostStatuses.includes(response.status) || !replaySafe) return { skipStrategy: true };
  return { retryAfterInMs: retryWaitInMs(response.headers.get("retry-after"), failed, timing) };
}

/**
 * Whether and when a request without an answer goes again: after a transient connection failure, if it is
 * replay-safe or was never sent.
 */
function connectionFailureRetry(
  code: string | undefined,
  failed: number,
  replaySafe: boolean,
  timing: RetryTiming,
): RetryModifiers {
  if (!code || !transientErrorCodes.includes(code)) return { skipStrategy: true };
  if (!replaySafe && !notSentErrorCodes.includes(code)) return { skipStrategy: true };
  return { retryAfterInMs: backoffInMs(failed, timing) };
}

/**
 * The client pipeline's retry policy: throttling first, then transient failures, as core-rest-pipeline's default
 * policy composes its own (which this replaces: it ignores Retry-After on 504 and never retries a 429 without one).
 */
export function graphRetryPolicy(timing: RetryTiming, replaySafe: boolean): PipelinePolicy {
  return azureRestPipeline().retryPolicy(
    [throttlingStrategy(timing), transientFailureStrategy(timing, replaySafe, timing.maxRetries)],
    { maxRetries: timing.maxRetries + timing.maxThrottledRetries },
  );
}

/** A timed-out attempt surfaces as AbortError, which the retry loop never retries; make it a transient error. */
export function timeoutAsTransientErrorPolicy(): PipelinePolicy {
  return {
    name: "timeoutAsTransientErrorPolicy",
    async sendRequest(request, next) {
      try {
        return await next(request);
      } catch (error) {
        if (error instanceof Error && error.name === "AbortError") {
          throw new (azureRestPipeline().RestError)(`no answer within ${request.timeout} ms`, {
            code: "ETIMEDOUT",
            request,
          });
        }
        throw error;
      }
    },
  };
}

/**
 * The wait before a request inside a batch is sent again (in the batch's retry `attempt`, from 0), or undefined when
 * its answer stands. Throttled requests go again, writes included (Graph did not carry them out); unavailable ones
 * only when the batch is replay-safe or the request is a read. At most `maxRetries` times, throttling included.
 */
export function batchItemRetryInMs(
  answer: { status: number; headers: Record<string, string> },
  method: string,
  attempt: number,
  replaySafe: boolean,
  timing: RetryTiming,
): number | undefined {
  const retriable =
    batchRetriableStatuses.includes(answer.status) &&
    (answer.status === 429 || replaySafe || method === "GET");
  if (!retriable || attempt >= timing.maxRetries) return undefined;
  return retryWaitInMs(answer.headers["retry-after"], attempt, timing);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
