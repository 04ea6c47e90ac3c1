// The one way entra-tap talks to Microsoft Graph: tokens from @azure/identity, national clouds, retries that
// honour Retry-After, and errors that name the operation and Graph's error code.
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  isRestError,
  RestError,
  retryPolicy,
  type HttpMethods,
  type PipelinePolicy,
  type PipelineResponse,
  type RetryStrategy,
} from "@azure/core-rest-pipeline";
import { AzureAuthorityHosts, DefaultAzureCredential, type TokenCredential } from "@azure/identity";

/** Microsoft Graph national clouds, named as the azuread provider's `environment` setting names them. */
export const graphClouds = {
  global: { endpoint: "https://graph.microsoft.com", authorityHost: AzureAuthorityHosts.AzurePublicCloud },
  usgovernmentl4: {
    endpoint: "https://graph.microsoft.us",
    authorityHost: AzureAuthorityHosts.AzureGovernment,
  },
  usgovernmentl5: {
    endpoint: "https://dod-graph.microsoft.us",
    authorityHost: AzureAuthorityHosts.AzureGovernment,
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
  });
}

export interface GraphResponse<T> {
  status: number;
  body: T | undefined;
}

export interface GraphClient {
  get<T>(operation: string, path: string): Promise<GraphResponse<T>>;
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
    options?: { idempotent?: boolean },
  ): Promise<GraphResponse<T>>;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const url = new URL(options.endpoint);
  const baseUrl = `${url.origin}/${graphApiVersion}`;
  const insecure = url.protocol === "http:";
  const timeoutInMs = options.timeoutInMs ?? 60_000;
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
          ),
        ],
        { maxRetries: options.maxRetries ?? 5 },
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
    sendOptions: { idempotent?: boolean } = {},
  ) {
    const replaySafe = method !== "POST" || sendOptions.idempotent === true;
    const pipeline = replaySafe ? replaySafePipeline : writeOncePipeline;
    const request = createPipelineRequest({
      url: `${baseUrl}${path}`,
      method,
      headers: createHttpHeaders({ accept: "application/json" }),
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
      return { status: response.status, body: parsed as T | undefined };
    }
    const graphError = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw graphRequestError(
      operation,
      response.status,
      graphError?.code ?? "UnknownError",
      graphError?.message ?? "Graph returned no error details",
      response.headers.get("request-id"),
      !replaySafe && answerLostStatuses.includes(response.status),
    );
  }

  return {
    send,
    get: (operation, path) => send(operation, "GET", path),
    post: (operation, path, body, postOptions) => send(operation, "POST", path, body ?? {}, postOptions),
    patch: (operation, path, body) => send(operation, "PATCH", path, body),
    delete: (operation, path) => send(operation, "DELETE", path),
  };
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
      : new DefaultAzureCredential({ authorityHost: target.authorityHost });
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
          throw new RestError(`no answer within ${request.timeout} ms`, { code: "ETIMEDOUT", request });
        }
        throw error;
      }
    },
  };
}

/**
 * Retries throttling (429), unavailability (5xx), timeouts and dropped connections; Retry-After wins. A request that
 * is not replay-safe (a POST that creates something) is retried only when Graph certainly did not carry it out: a
 * 429, or a connection refused before it was sent.
 */
export function graphRetryStrategy(
  baseDelayInMs: number,
  maxDelayInMs: number,
  replaySafe = true,
): RetryStrategy {
  return {
    name: "graphRetryStrategy",
    retry({ retryCount, response, responseError }) {
      const backoff = Math.min(maxDelayInMs, baseDelayInMs * 2 ** retryCount * (0.8 + Math.random() * 0.4));
      if (response && retriableStatuses.includes(response.status)) {
        if (!replaySafe && response.status !== 429) return { skipStrategy: true };
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
