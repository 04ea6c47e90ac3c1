// JSON batching: up to 20 requests in one `POST /$batch`, each answered with its own status; a throttled request inside
// a batch's answer is sent again, alone with the others that were, after its own Retry-After. And any number of
// requests, 20 to a batch, a few batches at a time. Functions over a client rather than its methods: the client stays
// small, and only the review and a pass's reads batch.
import type { GraphClient } from "./client";
import { batchItemRetryInMs, sleep } from "./retry";

/** Graph's limit on the requests of one JSON batch. */
const graphBatchLimit = 20;

/** One request inside a JSON batch; `url` is relative to the version, e.g. `/users/{id}`. */
export interface GraphBatchRequest {
  id: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Graph's answer to one request of a batch: its own status, headers and body. */
export interface GraphBatchResponse<T = unknown> {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: T | undefined;
}

export interface GraphBatchOptions {
  /** The batch may be repeated when its answer is lost (GET and DELETE are; a POST only if said so). */
  idempotent?: boolean;
  /** Batches in flight at once, for `batchAll` (default 4). */
  concurrency?: number;
  /** Called after each batch of `batchAll` with the requests answered so far. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * One JSON batch (`POST /$batch`, at most 20 requests), sent through the client with its retry settings. Answers come
 * back in the order of `requests`, each with its own status: a 429 (or 503, 504) inside the answer is sent again, for
 * those requests only, once their own Retry-After has passed; what is still failing after the retries is returned as
 * Graph answered it.
 */
export async function batch<T = unknown>(
  graph: GraphClient,
  operation: string,
  requests: GraphBatchRequest[],
  options: GraphBatchOptions = {},
): Promise<GraphBatchResponse<T>[]> {
  if (requests.length === 0) return [];
  if (requests.length > graphBatchLimit) {
    throw new Error(
      `${operation}: ${requests.length} requests in one batch; Graph takes at most ${graphBatchLimit}`,
    );
  }
  const readOnly = requests.every((r) => r.method === "GET" || r.method === "DELETE");
  const idempotent = options.idempotent ?? readOnly;
  const answers = new Array<GraphBatchResponse<T> | undefined>(requests.length);
  let pending = requests.map((request, index) => ({ request, index }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    const response = await graph.send<{ responses?: GraphBatchResponse<T>[] }>(
      attempt === 0 ? operation : `${operation} (retry ${attempt})`,
      "POST",
      "/$batch",
      { requests: pending.map(({ request }) => batchItem(request)) },
      { idempotent },
    );
    const byId = new Map((response.body?.responses ?? []).map((answer) => [String(answer.id), answer]));
    const retry: typeof pending = [];
    let wait = 0;
    for (const item of pending) {
      const answer = byId.get(item.request.id);
      if (!answer) {
        throw new Error(
          `${operation}: Graph's batch answer lacks request ${JSON.stringify(item.request.id)}`,
        );
      }
      const headers = lowerCaseKeys(answer.headers);
      const status = Number(answer.status);
      // A write is sent again only when Graph certainly did not carry it out (throttled).
      const retryIn = batchItemRetryInMs(
        { status, headers },
        item.request.method,
        attempt,
        idempotent,
        graph.retryTiming,
      );
      if (retryIn !== undefined) {
        // Each request waits at least its own Retry-After: the batch goes again after the longest of them.
        wait = Math.max(wait, retryIn);
        retry.push(item);
      } else {
        answers[item.index] = { id: item.request.id, status, headers, body: answer.body };
      }
    }
    if (retry.length > 0) await sleep(wait);
    pending = retry;
  }
  return answers as GraphBatchResponse<T>[];
}

/** Any number of requests, 20 per batch, with at most `concurrency` batches in flight; answers in request order. */
export async function batchAll<T = unknown>(
  graph: GraphClient,
  operation: string,
  requests: GraphBatchRequest[],
  options: GraphBatchOptions = {},
): Promise<GraphBatchResponse<T>[]> {
  const chunks: GraphBatchRequest[][] = [];
  for (let i = 0; i < requests.length; i += graphBatchLimit) {
    chunks.push(requests.slice(i, i + graphBatchLimit));
  }
  let done = 0;
  const answered = await mapWithConcurrency(chunks, options.concurrency ?? 4, async (chunk, index) => {
    const answers = await batch<T>(
      graph,
      `${operation} (batch ${index + 1} of ${chunks.length})`,
      chunk,
      options,
    );
    done += chunk.length;
    options.onProgress?.(done, requests.length);
    return answers;
  });
  return answered.flat();
}

/** A batch request as Graph's `$batch` body wants it (a body goes with a content type). */
function batchItem(request: GraphBatchRequest): Record<string, unknown> {
  const item: Record<string, unknown> = { id: request.id, method: request.method, url: request.url };
  const headers = { ...request.headers };
  if (request.body !== undefined) {
    headers["content-type"] = "application/json";
    item.body = request.body;
  }
  if (Object.keys(headers).length > 0) item.headers = headers;
  return item;
}

function lowerCaseKeys(headers: unknown): Record<string, string> {
  if (!headers || typeof headers !== "object") return {};
  return Object.fromEntries(
    Object.entries(headers).map(([key, value]) => [key.toLowerCase(), String(value)]),
  );
}

/**
 * `fn` over every item with at most `limit` calls in flight; results in item order; the first failure rejects (calls
 * already started finish, none is started after it). A few lines rather than p-limit, which is ESM-only since v4 and
 * so cannot be required by this CommonJS project's tests.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
