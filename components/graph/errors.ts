// How a Graph call fails: a GraphRequestError names the operation, the HTTP status and Graph's error code, and says
// whether a write may have been carried out all the same.
// Errors with a name, told apart by isGraphRequestError.
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

export function graphRequestError(
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

/** Graph's error code and message in an answer's body (`{ error: { code, message } }`), or what stands for them. */
export function graphErrorDetails(body: unknown): { code: string; message: string } {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return {
    code: error?.code ?? "UnknownError",
    message: error?.message ?? "Graph returned no error details",
  };
}

/**
 * A refusal of the request itself: a 4xx but 429 (throttling, which the client waits out). Sending it again as it is
 * would be refused again.
 */
export function isClientRefusal(error: unknown): error is GraphRequestError {
  return (
    isGraphRequestError(error) &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 429
  );
}

/** A batch answer that is not 2xx, as an error naming the operation, the status and Graph's code. */
export function batchFailure(operation: string, answer: { status: number; body: unknown }): Error {
  const { code, message } = graphErrorDetails(answer.body);
  return new Error(`${operation} failed: HTTP ${answer.status} ${code}: ${message}`);
}
