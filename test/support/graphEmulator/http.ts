// What the emulator's handlers take and give: a request as they see it (on its own or inside a batch), an answer
// before it is sent, Graph's OData error body, and a page of a collection with its nextLink.
import { randomUUID } from "node:crypto";
import type * as http from "node:http";

/** The parts of a request the handlers look at, whether it came on its own or inside a batch. */
export interface EmulatedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** What a handler answered: status, headers and parsed body (for answers inside a batch). */
export interface CapturedAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A refusal as Graph gives it: thrown by a handler, answered with an OData error body. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): CapturedAnswer {
  return { status, headers: { "content-type": "application/json", ...headers }, body };
}

export function noContent(): CapturedAnswer {
  return { status: 204, headers: {}, body: undefined };
}

export function errorAnswer(error: GraphHttpError, headers: Record<string, string> = {}): CapturedAnswer {
  return jsonAnswer(
    error.status,
    { error: { code: error.code, message: error.message, innerError: { date: new Date().toISOString() } } },
    headers,
  );
}

/**
 * One page of `items`: `$top` items (Graph's default 100, at most `maxTop`) and, while more remain, a nextLink to
 * `linkOrigin` (the emulator's URL unless a test points it elsewhere).
 */
export function page(
  request: EmulatedRequest,
  linkOrigin: string,
  items: unknown[],
  maxTop = 999,
): CapturedAnswer {
  const { path, query } = request;
  const topText = query.get("$top");
  const top = topText === null ? 100 : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > maxTop) {
    throw new GraphHttpError(400, "Request_BadRequest", `Invalid page size specified: '${topText}'.`);
  }
  const skip = Number(query.get("$skiptoken") ?? "0");
  const value = items.slice(skip, skip + top);
  const body: Record<string, unknown> = { value };
  if (skip + top < items.length) {
    const next = new URLSearchParams(query);
    next.set("$skiptoken", String(skip + top));
    body["@odata.nextLink"] = `${linkOrigin}${path}?${next.toString()}`;
  }
  return jsonAnswer(200, body);
}

/** An access token as Microsoft's name their tenant (`tid`), unsigned: only the emulator that made it takes it. */
export function tenantToken(tenantId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = { tid: tenantId, aud: "https://graph.microsoft.com", nonce: randomUUID() };
  return [part({ alg: "none", typ: "JWT" }), part(claims), ""].join(".");
}
