// What the emulator's own tests share: a request sent to it as a client sends one, and the error body Graph answers.
import type { GraphEmulator } from "./server";

/** `method` on `path` (from `/v1.0`) with the emulator's token, or `token`, and `body` as JSON when there is one. */
export function send(
  emulator: GraphEmulator,
  method: string,
  path: string,
  body?: unknown,
  token = emulator.token,
): Promise<Response> {
  return fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}
