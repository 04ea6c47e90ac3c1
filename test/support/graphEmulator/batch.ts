// What a JSON batch (`POST /$batch`) must be before Graph handles the requests it holds: at most 20, each with a
// distinct id, sent with a valid token.
import { type CapturedAnswer, type EmulatedRequest, errorAnswer, GraphHttpError } from "./http";

/** Graph's limit on the requests of one JSON batch. */
const batchLimit = 20;

/** One request of a JSON batch, as the client sent it. */
export interface BatchItem {
  id: string;
  method?: string;
  url?: string;
  headers?: unknown;
  body?: unknown;
}

/** Graph's refusal of a batch as a whole (its payload, size, ids or authorization), or undefined. */
export function batchRefusal(request: EmulatedRequest, token: string): CapturedAnswer | undefined {
  const requests = (request.body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    return errorAnswer(new GraphHttpError(400, "BadRequest", "Invalid batch payload format."));
  }
  if (requests.length > batchLimit) {
    return errorAnswer(
      new GraphHttpError(400, "BadRequest", `Number of requests exceeds the limit of ${batchLimit}.`),
    );
  }
  const ids = requests.map((item: { id?: unknown }) => item?.id);
  if (ids.some((id) => typeof id !== "string" || id === "") || new Set(ids).size !== ids.length) {
    return errorAnswer(
      new GraphHttpError(400, "BadRequest", "Each request in a batch needs a distinct string id."),
    );
  }
  if (request.headers.authorization !== `Bearer ${token}`) {
    return errorAnswer(
      new GraphHttpError(401, "InvalidAuthenticationToken", "Access token is empty or invalid."),
    );
  }
  return undefined;
}
