// The one way entra-tap talks to Microsoft Graph: tokens from @azure/identity, national clouds, retries that
// honour Retry-After, and errors that name the operation and Graph's error code.
import type { HttpMethods, PipelinePolicy, PipelineResponse, RetryStrategy } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";

/**
 * The Azure SDK's HTTP pipeline and credentials, loaded when a client is first built rather than with this module:
 * the config, the offline plan and the providers' checks never call Graph, and loading both packages was a tenth of
 * the plan's start-up. Required by package name inside a function: Pulumi's closure serializer leaves such a
 * `require` as it is in a provider's code, and the provider host resolves a package name as the program does (a
 * relative path would resolve against the host's own directory, so never require this project's modules this way).
 */
function azureRestPipeline(): typeof import("@azure/core-rest-pipeline") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@azure/core-rest-pipeline");
}
function azureIdentity(): typeof import("@azure/identity") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@azure/identity");
}

/** Microsoft Entra authority hosts, as `AzureAuthorityHosts` of @azure/identity names them (a test keeps them equal). */
const authorityHosts = {
  azurePublicCloud: "https://login.microsoftonline.com",
  azureGovernment: "https://login.microsoftonline.us",
} as const;

/** Microsoft Graph national clouds, named as the azuread provider's `environment` setting names them. */
export const graphClouds = {
  global: { endpoint: "https://graph.microsoft.com", authorityHost: authorityHosts.azurePublicCloud },
  usgovernmentl4: {
    endpoint: "https://graph.microsoft.us",
    authorityHost: authorityHosts.azureGovernment,
  },
  usgovernmentl5: {
    endpoint: "https://dod-graph.microsoft.us",
    authorityHost: authorityHosts.azureGovernment,
  },
} as const;

export type GraphCloud = keyof typeof graphClouds;
export const graphCloudNames = Object.keys(graphClouds) as GraphCloud[];

/** Environment variable that points the client at another Graph endpoint (a Graph host, or loopback for tests). */
export const graphEndpointVariable = "ENTRA_TAP_GRAPH_ENDPOINT";
/** Environment variable holding the static bearer token used with a loopback endpoint (never with Graph). */
export const graphTokenVariable = "ENTRA_TAP_GRAPH_TOKEN";

const graphApiVersion = "v1.0";
// Arrays, not Sets: a Set captured by the provider's serialized code arrives as a plain object.
const retriableStatuses = [408, 429, 500, 502, 503, 504];
/** Errors after which Graph may have carried out the request (only its answer was lost). */
const answerLostStatuses = [408, 500, 502, 503, 504];
/** Connection failures before the request was sent: Graph never saw it. */
const notSentErrorCodes = ["ECONNREFUSED", "EAI_AGAIN"];
const transientErrorCodes = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
];

export interface GraphClientOptions {
  /** Base URL without the version segment, e.g. `https://graph.microsoft.com`. */
  endpoint: string;
  /** Credential for Graph; a bearer token for `${endpoint}/.default` is requested from it. */
  credential: TokenCredential;
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
  /** Time allowed for one attempt. */
  timeoutInMs?: number;
}

// The client and its error are plain closures and objects, not classes: the provider's code is serialized into
// the state by Pulumi, which keeps a class's constructor but drops its field initializers and loses what
// `super(message)` sets on an Error subclass.

/** A Graph call that failed for good: names the operation, the HTTP status and Graph's error code. */
export interface GraphRequestError extends Error {
  name: "GraphRequestError";
  operation: string;
  status: number | undefined;
  code: string;
  graphMessage: string;
  requestId: string | undefined;
  /**
   * A write that is not idempotent failed in a way that leaves its outcome unknown (a dropped connection, a timeout,
   * a 5xx): Graph may have carried it out. It was not repeated; the caller must find out what happened.
   */
  outcomeUnknown: boolean;
  /**
   * The wait Graph's answer asked for in its Retry-After, from when the answer came (as sent: the cap on the client's
   * own waits is not applied); undefined without one. A caller that sends the request again must wait it out first.
   */
  retryAfterInMs: number | undefined;
}

export function isGraphRequestError(error: unknown): error is GraphRequestError {
  return error instanceof Error && error.name === "GraphRequestError";
}

function graphRequestError(
  operation: string,
  status: number | undefined,
  code: string,
  graphMessage: string,
  requestId: string | undefined,
  outcomeUnknown: boolean,
  retryAfter: number | undefined = undefined,
): GraphRequestError {
  const statusText = status === undefined ? "no response" : `HTTP ${status}`;
  const request = requestId ? ` (request-id ${requestId})` : "";
  const error = new Error(`${operation} failed: ${statusText} ${code}: ${graphMessage}${request}`);
  return Object.assign(error, {
    name: "GraphRequestError" as const,
    operation,
    status,
    code,
    graphMessage,
    requestId,
    outcomeUnknown,
    retryAfterInMs: retryAfter,
  });
}

export interface GraphResponse<T> {
  status: number;
  body: T | undefined;
  /** The answer's `Date` header, as sent: Graph's own clock when it answered (undefined without one). */
  date?: string;
}

/** Options of one request: whether a POST may be repeated, and extra headers (e.g. `ConsistencyLevel`). */
export interface GraphSendOptions {
  idempotent?: boolean;
  headers?: Record<string, string>;
}

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

export interface GraphClient {
  get<T>(operation: string, path: string, options?: GraphSendOptions): Promise<GraphResponse<T>>;
  /**
   * A POST is not idempotent unless said so: it is retried only when Graph certainly did not carry it out (429, a
   * refused connection); any other failure throws with `outcomeUnknown` set, for the caller to read what happened.
   */
  post<T>(
    operation: string,
    path: string,
    body?: unknown,
    options?: { idempotent?: boolean },
  ): Promise<GraphResponse<T>>;
  patch(operation: string, path: string, body: unknown): Promise<GraphResponse<never>>;
  delete(operation: string, path: string): Promise<GraphResponse<never>>;
  /** Sends one Graph request; resolves on 2xx, throws a GraphRequestError otherwise (after retries). */
  send<T>(
    operation: string,
    method: HttpMethods,
    path: string,
    body?: unknown,
    options?: GraphSendOptions,
  ): Promise<GraphResponse<T>>;
  /**
   * Every item of a collection: GETs `path`, then each `@odata.nextLink` (only within this client's endpoint), and
   * returns the `value`s in order. `onPage` sees each page as it arrives (and the answer it came in).
   */
  getAllPages<T>(
    operation: string,
    path: string,
    options?: GraphSendOptions & { onPage?: (items: T[], response: GraphResponse<unknown>) => void },
  ): Promise<T[]>;
  /**
   * One JSON batch (`POST /$batch`, at most 20 requests). Answers come back in the order of `requests`, each with its
   * own status: a 429 (or 503, 504) inside the answer is sent again, for those requests only, once their own
   * Retry-After has passed; what is still failing after the retries is returned as Graph answered it.
   */
  batch<T = unknown>(
    operation: string,
    requests: GraphBatchRequest[],
    options?: GraphBatchOptions,
  ): Promise<GraphBatchResponse<T>[]>;
  /** Any number of requests, 20 per batch, with at most `concurrency` batches in flight; answers in request order. */
  batchAll<T = unknown>(
    operation: string,
    requests: GraphBatchRequest[],
    options?: GraphBatchOptions,
  ): Promise<GraphBatchResponse<T>[]>;
}

/** Graph's limit on the requests of one JSON batch. */
export const graphBatchLimit = 20;
/** Statuses of a request inside a batch that are sent again: throttling, and unavailability of a read. */
const batchRetriableStatuses = [429, 503, 504];

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const url = new URL(options.endpoint);
  const baseUrl = `${url.origin}/${graphApiVersion}`;
  const insecure = url.protocol === "http:";
  const timeoutInMs = options.timeoutInMs ?? 60_000;
  const {
    bearerTokenAuthenticationPolicy,
    createDefaultHttpClient,
    createHttpHeaders,
    createPipelineFromOptions,
    createPipelineRequest,
    isRestError,
    retryPolicy,
  } = azureRestPipeline();
  const httpClient = createDefaultHttpClient();
  const scope = `${url.origin}/.default`;
  const buildPipeline = (replaySafe: boolean) => {
    const pipeline = createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: "entra-tap" } });
    // Replace the stock retry policy: it ignores Retry-After on 504 and never retries a 429 without one.
    pipeline.removePolicy({ name: "defaultRetryPolicy" });
    pipeline.addPolicy(
      retryPolicy(
        [
          graphRetryStrategy(
            options.retryDelayInMs ?? 1_000,
            options.maxRetryDelayInMs ?? 60_000,
            replaySafe,
            options.maxRetries ?? 5,
          ),
        ],
        { maxRetries: (options.maxRetries ?? 5) + (options.maxThrottledRetries ?? 20) },
      ),
      { phase: "Retry" },
    );
    pipeline.addPolicy(timeoutAsTransientErrorPolicy(), { afterPhase: "Retry" });
    pipeline.addPolicy(
      insecure
        ? staticBearerTokenPolicy(options.credential, scope)
        : bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: scope }),
      { phase: "Sign" },
    );
    return pipeline;
  };
  const replaySafePipeline = buildPipeline(true);
  const writeOncePipeline = buildPipeline(false);

  async function send<T>(
    operation: string,
    method: HttpMethods,
    path: string,
    body?: unknown,
    sendOptions: GraphSendOptions = {},
  ) {
    const replaySafe = method !== "POST" || sendOptions.idempotent === true;
    const pipeline = replaySafe ? replaySafePipeline : writeOncePipeline;
    const request = createPipelineRequest({
      url: `${baseUrl}${path}`,
      method,
      headers: createHttpHeaders({ ...sendOptions.headers, accept: "application/json" }),
      timeout: timeoutInMs,
      allowInsecureConnection: insecure,
    });
    if (body !== undefined) {
      request.headers.set("content-type", "application/json");
      request.body = JSON.stringify(body);
    }
    let response: PipelineResponse;
    try {
      response = await pipeline.sendRequest(httpClient, request);
    } catch (error) {
      if (isRestError(error) && error.response) {
        response = error.response;
      } else {
        const reason = error instanceof Error ? error.message : String(error);
        const code = isRestError(error) && error.code ? error.code : "RequestFailed";
        throw graphRequestError(
          operation,
          undefined,
          code,
          reason,
          undefined,
          !replaySafe && !notSentErrorCodes.includes(code),
        );
      }
    }
    const parsed = parseJson(response.bodyAsText);
    if (response.status >= 200 && response.status < 300) {
      return {
        status: response.status,
        body: parsed as T | undefined,
        date: response.headers.get("date") ?? undefined,
      };
    }
    const graphError = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw graphRequestError(
      operation,
      response.status,
      graphError?.code ?? "UnknownError",
      graphError?.message ?? "Graph returned no error details",
      response.headers.get("request-id"),
      !replaySafe && answerLostStatuses.includes(response.status),
      retryAfterInMs(response.headers.get("retry-after")),
    );
  }

  async function getAllPages<T>(
    operation: string,
    path: string,
    pageOptions: GraphSendOptions & { onPage?: (items: T[], response: GraphResponse<unknown>) => void } = {},
  ): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    for (let page = 1; next !== undefined; page++) {
      const response: GraphResponse<{ value?: T[]; "@odata.nextLink"?: string }> = await send(
        page === 1 ? operation : `${operation} (page ${page})`,
        "GET",
        next,
        undefined,
        { headers: pageOptions.headers },
      );
      const values = response.body?.value ?? [];
      items.push(...values);
      pageOptions.onPage?.(values, response);
      const link = response.body?.["@odata.nextLink"];
      if (link !== undefined && !link.startsWith(`${baseUrl}/`)) {
        // The token goes only where the client was pointed; a link elsewhere is refused, not followed.
        throw new Error(`${operation}: Graph's next page ${JSON.stringify(link)} is outside ${baseUrl}`);
      }
      next = link?.slice(baseUrl.length);
    }
    return items;
  }

  async function batch<T>(
    operation: string,
    requests: GraphBatchRequest[],
    batchOptions: GraphBatchOptions = {},
  ): Promise<GraphBatchResponse<T>[]> {
    if (requests.length === 0) return [];
    if (requests.length > graphBatchLimit) {
      throw new Error(
        `${operation}: ${requests.length} requests in one batch; Graph takes at most ${graphBatchLimit}`,
      );
    }
    const readOnly = requests.every((r) => r.method === "GET" || r.method === "DELETE");
    const idempotent = batchOptions.idempotent ?? readOnly;
    const maxRetries = options.maxRetries ?? 5;
    const baseDelay = options.retryDelayInMs ?? 1_000;
    const maxDelay = options.maxRetryDelayInMs ?? 60_000;
    const answers = new Array<GraphBatchResponse<T> | undefined>(requests.length);
    let pending = requests.map((request, index) => ({ request, index }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      const response = await send<{ responses?: GraphBatchResponse<T>[] }>(
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
        const retriable =
          batchRetriableStatuses.includes(status) &&
          (status === 429 || idempotent || item.request.method === "GET");
        if (retriable && attempt < maxRetries) {
          const backoff = baseDelay * 2 ** attempt * (0.8 + Math.random() * 0.4);
          const retryAfter = retryAfterInMs(headers["retry-after"]);
          // Each request waits at least its own Retry-After: the batch goes again after the longest of them.
          wait = Math.max(wait, Math.min(retryAfter ?? backoff, maxDelay));
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

  async function batchAll<T>(
    operation: string,
    requests: GraphBatchRequest[],
    batchOptions: GraphBatchOptions = {},
  ): Promise<GraphBatchResponse<T>[]> {
    const chunks: GraphBatchRequest[][] = [];
    for (let i = 0; i < requests.length; i += graphBatchLimit) {
      chunks.push(requests.slice(i, i + graphBatchLimit));
    }
    let done = 0;
    const answered = await mapWithConcurrency(chunks, batchOptions.concurrency ?? 4, async (chunk, index) => {
      const answers = await batch<T>(
        `${operation} (batch ${index + 1} of ${chunks.length})`,
        chunk,
        batchOptions,
      );
      done += chunk.length;
      batchOptions.onProgress?.(done, requests.length);
      return answers;
    });
    return answered.flat();
  }

  return {
    send,
    get: (operation, path, getOptions) => send(operation, "GET", path, undefined, getOptions),
    post: (operation, path, body, postOptions) => send(operation, "POST", path, body ?? {}, postOptions),
    patch: (operation, path, body) => send(operation, "PATCH", path, body),
    delete: (operation, path) => send(operation, "DELETE", path),
    getAllPages,
    batch,
    batchAll,
  };
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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `fn` over every item with at most `limit` calls in flight; results in item order; the first failure rejects (calls
 * already started finish, none is started after it). A few lines rather than p-limit, which is ESM-only since v4 and
 * so cannot be required by this CommonJS project's tests, nor safely captured into a dynamic provider's closure.
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

/**
 * Builds the client for a cloud from the environment: DefaultAzureCredential (Azure CLI, workload identity
 * federation, managed identity) against the cloud's Graph, unless ENTRA_TAP_GRAPH_ENDPOINT overrides it.
 */
export function graphClientFromEnvironment(
  cloud: GraphCloud,
  env: NodeJS.ProcessEnv = process.env,
  options: Partial<Omit<GraphClientOptions, "endpoint" | "credential">> = {},
): GraphClient {
  const target = resolveGraphTarget(cloud, env);
  const credential =
    target.kind === "loopback"
      ? staticTokenCredential(target.token)
      : new (azureIdentity().DefaultAzureCredential)({ authorityHost: target.authorityHost });
  return createGraphClient({ ...options, endpoint: target.endpoint, credential });
}

export type GraphTarget =
  | { kind: "graph"; endpoint: string; authorityHost: string }
  | { kind: "loopback"; endpoint: string; token: string };

/** Decides where Graph calls go. Only Microsoft Graph hosts (https) or a loopback address are accepted. */
export function resolveGraphTarget(cloud: GraphCloud, env: NodeJS.ProcessEnv): GraphTarget {
  const override = env[graphEndpointVariable];
  const token = env[graphTokenVariable];
  if (!override) {
    if (token) {
      throw new Error(
        `${graphTokenVariable} is set, but it is only used with a loopback ${graphEndpointVariable}`,
      );
    }
    return { kind: "graph", ...graphClouds[cloud] };
  }
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new Error(`${graphEndpointVariable}=${JSON.stringify(override)} is not a URL`);
  }
  if (isLoopbackHost(url.hostname)) {
    if (!token) {
      throw new Error(
        `${graphEndpointVariable} points at loopback (${url.host}); set ${graphTokenVariable} too`,
      );
    }
    return { kind: "loopback", endpoint: url.origin, token };
  }
  const cloudOfHost = Object.values(graphClouds).find((c) => new URL(c.endpoint).host === url.host);
  if (!cloudOfHost || url.protocol !== "https:") {
    const hosts = Object.values(graphClouds).map((c) => c.endpoint);
    throw new Error(
      `${graphEndpointVariable}=${JSON.stringify(url.origin)} is not allowed; use one of ${hosts.join(", ")} or a loopback address`,
    );
  }
  if (token) {
    throw new Error(
      `${graphTokenVariable} is only used with a loopback ${graphEndpointVariable}, not ${url.host}`,
    );
  }
  return { kind: "graph", endpoint: url.origin, authorityHost: cloudOfHost.authorityHost };
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function staticTokenCredential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

/** Bearer tokens over plain HTTP: only ever built for a loopback endpoint (the stock policy refuses http). */
function staticBearerTokenPolicy(credential: TokenCredential, scope: string): PipelinePolicy {
  return {
    name: "staticBearerTokenPolicy",
    async sendRequest(request, next) {
      const accessToken = await credential.getToken(scope);
      request.headers.set("authorization", `Bearer ${accessToken?.token}`);
      return next(request);
    },
  };
}

/** A timed-out attempt surfaces as AbortError, which the retry loop never retries; make it a transient error. */
function timeoutAsTransientErrorPolicy(): PipelinePolicy {
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
 * Retries throttling (429), unavailability (5xx), timeouts and dropped connections; Retry-After wins. A request that
 * is not replay-safe (a POST that creates something) is retried only when Graph certainly did not carry it out: a
 * 429, or a connection refused before it was sent. Failures other than throttling are retried `maxRetries` times per
 * request; 429s count only against the pipeline's own bound (`maxRetries` + `maxThrottledRetries`): under sustained
 * throttling, a request that keeps arriving after the window's quota is gone must not fail while others get through.
 */
export function graphRetryStrategy(
  baseDelayInMs: number,
  maxDelayInMs: number,
  replaySafe = true,
  maxRetries = Infinity,
): RetryStrategy {
  // Retries of each request for anything but throttling, which has its own budget (the pipeline's retry bound).
  const failures = new WeakMap<object, number>();
  return {
    name: "graphRetryStrategy",
    retry({ retryCount, response, responseError }) {
      const throttled = response?.status === 429;
      const request = response?.request ?? responseError?.request;
      const failed = request ? (failures.get(request) ?? 0) : retryCount;
      if (!throttled && failed >= maxRetries) return { skipStrategy: true };
      if (!throttled && request) failures.set(request, failed + 1);
      const backoff = Math.min(
        maxDelayInMs,
        baseDelayInMs * 2 ** (throttled ? retryCount : failed) * (0.8 + Math.random() * 0.4),
      );
      if (response && retriableStatuses.includes(response.status)) {
        if (!replaySafe && !throttled) return { skipStrategy: true };
        const retryAfter = retryAfterInMs(response.headers.get("retry-after"));
        return { retryAfterInMs: retryAfter === undefined ? backoff : Math.min(retryAfter, maxDelayInMs) };
      }
      if (!response && responseError?.code && transientErrorCodes.includes(responseError.code)) {
        if (!replaySafe && !notSentErrorCodes.includes(responseError.code)) return { skipStrategy: true };
        return { retryAfterInMs: backoff };
      }
      return { skipStrategy: true };
    },
  };
}

/** Retry-After as Graph sends it: seconds, or an HTTP date. */
export function retryAfterInMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
