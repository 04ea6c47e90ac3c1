// The one way entra-tap talks to Microsoft Graph: a client that sends each request through @azure/core-rest-pipeline
// (signed for the endpoint, retried as ./retry says), returns Graph's answer or throws a GraphRequestError, and reads
// every page of a collection. JSON batches go through it (./batch); where it points and how it signs: ./clouds.
import type { HttpMethods, PipelineResponse } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { azureRestPipeline } from "./azureSdk";
import { graphAuthenticationPolicy, type GraphCloud, graphCredential, resolveGraphTarget } from "./clouds";
import { TenantMismatchError } from "./tenantBinding";
import { writeBudgetPolicy, writeBudgetUrl } from "./writeBudget";
import { graphErrorDetails, type GraphRequestError, graphRequestError } from "./errors";
import {
  answerLostStatuses,
  type GraphRetryOptions,
  graphRetryPolicy,
  notSentErrorCodes,
  retryAfterInMs,
  type RetryTiming,
  retryTiming,
  timeoutAsTransientErrorPolicy,
} from "./retry";

const graphApiVersion = "v1.0";

export interface GraphClientOptions extends GraphRetryOptions {
  /** Base URL without the version segment, e.g. `https://graph.microsoft.com`. */
  endpoint: string;
  /** Credential for Graph; a bearer token for `${endpoint}/.default` is requested from it. */
  credential: TokenCredential;
  /** Time allowed for one attempt. */
  timeoutInMs?: number;
  /** A fleet's shared write budget (its loopback origin): every attempt of a write takes from it first. */
  writeBudget?: string;
}

export interface GraphResponse<T> {
  status: number;
  body: T | undefined;
  /** The answer's `Date` header, as sent: Graph's own clock when it answered (undefined without one). */
  date?: string;
}

/** Options of one request: whether a POST may be repeated, and extra headers (e.g. `ConsistencyLevel`). */
interface GraphSendOptions {
  idempotent?: boolean;
  headers?: Record<string, string>;
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
  /** The client's retry settings, which requests inside a JSON batch (./batch) are retried by too. */
  retryTiming: RetryTiming;
}

function createGraphClient(options: GraphClientOptions): GraphClient {
  const url = new URL(options.endpoint);
  const baseUrl = `${url.origin}/${graphApiVersion}`;
  const insecure = url.protocol === "http:";
  const timeoutInMs = options.timeoutInMs ?? 60_000;
  const timing = retryTiming(options);
  const {
    createDefaultHttpClient,
    createHttpHeaders,
    createPipelineFromOptions,
    createPipelineRequest,
    isRestError,
  } = azureRestPipeline();
  const httpClient = createDefaultHttpClient();
  const buildPipeline = (replaySafe: boolean) => {
    const pipeline = createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: "entra-tap" } });
    pipeline.removePolicy({ name: "defaultRetryPolicy" });
    pipeline.addPolicy(graphRetryPolicy(timing, replaySafe), { phase: "Retry" });
    pipeline.addPolicy(timeoutAsTransientErrorPolicy(), { afterPhase: "Retry" });
    if (options.writeBudget)
      pipeline.addPolicy(writeBudgetPolicy(options.writeBudget), { afterPhase: "Retry" });
    pipeline.addPolicy(graphAuthenticationPolicy(options.credential, url.origin), { phase: "Sign" });
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
      // Never sent: the token is another tenant's. Not a failure to retry, and not Graph's answer.
      if (error instanceof TenantMismatchError)
        throw new TenantMismatchError(`${operation}: ${error.message}`);
      if (isRestError(error) && error.response) {
        response = error.response;
      } else {
        throw noAnswerError(operation, error, isRestError(error) ? error.code : undefined, replaySafe);
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
    throw failedAnswerError(operation, response, parsed, replaySafe);
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

  return {
    send,
    get: (operation, path, getOptions) => send(operation, "GET", path, undefined, getOptions),
    post: (operation, path, body, postOptions) => send(operation, "POST", path, body ?? {}, postOptions),
    patch: (operation, path, body) => send(operation, "PATCH", path, body),
    delete: (operation, path) => send(operation, "DELETE", path),
    getAllPages,
    retryTiming: timing,
  };
}

/**
 * The clients built from the process's own environment, one per Graph target: the provider plugin serves every
 * resource of a command in one process, and they share a client, so its credential gets a token once, not once per
 * resource (with the Azure CLI's credential, a process start each).
 */
const processClients = new Map<string, GraphClient>();

/** Where a stack's Graph calls go: its cloud, and its tenant when the stack names one (entra-tap:tenantId). */
export interface GraphScope {
  cloud: GraphCloud;
  tenantId?: string;
}

/**
 * The client for a stack's cloud and tenant from the environment: DefaultAzureCredential (Azure CLI, workload identity
 * federation, managed identity) against the cloud's Graph, unless ENTRA_TAP_GRAPH_ENDPOINT overrides it; with a
 * tenant, every token checked to be that tenant's (tenantBinding.ts). From the process's environment with the default
 * options, the same client for the same target and tenant.
 */
export function graphClientFromEnvironment(
  scope: GraphScope,
  env: NodeJS.ProcessEnv = process.env,
  options: Partial<Omit<GraphClientOptions, "endpoint" | "credential">> = {},
): GraphClient {
  const target = resolveGraphTarget(scope.cloud, env);
  const shared = env === process.env && Object.keys(options).length === 0;
  const key = JSON.stringify([target, scope.tenantId ?? null]);
  const known = shared ? processClients.get(key) : undefined;
  if (known) return known;
  const client = createGraphClient({
    writeBudget: writeBudgetUrl(env),
    ...options,
    endpoint: target.endpoint,
    credential: graphCredential(target, env, scope.tenantId),
  });
  if (shared) processClients.set(key, client);
  return client;
}

/**
 * The error for a request Graph gave no answer to (a connection failure, a timeout). A write that is not replay-safe
 * may have been carried out, unless the connection failed before the request was sent.
 */
function noAnswerError(
  operation: string,
  error: unknown,
  errorCode: string | undefined,
  replaySafe: boolean,
): GraphRequestError {
  const reason = error instanceof Error ? error.message : String(error);
  const code = errorCode || "RequestFailed";
  return graphRequestError(
    operation,
    undefined,
    code,
    reason,
    undefined,
    !replaySafe && !notSentErrorCodes.includes(code),
  );
}

/**
 * The error for Graph's answer other than 2xx (after retries). A write that is not replay-safe may have been carried
 * out when only the answer was lost (408, 5xx).
 */
function failedAnswerError(
  operation: string,
  response: PipelineResponse,
  parsed: unknown,
  replaySafe: boolean,
): GraphRequestError {
  const details = graphErrorDetails(parsed);
  return graphRequestError(
    operation,
    response.status,
    details.code,
    details.message,
    response.headers.get("request-id"),
    !replaySafe && answerLostStatuses.includes(response.status),
    retryAfterInMs(response.headers.get("retry-after")),
  );
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
