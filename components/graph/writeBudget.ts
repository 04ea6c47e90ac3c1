// A fleet's shared budget of Graph writes: many processes (one per tenant's stack, and the provider plugins they
// start) write through one app, whose write quota across all tenants Microsoft counts together (docs/fleet.md). When
// ENTRA_TAP_WRITE_BUDGET_URL names the fleet's budget (a loopback address `npm run fleet` serves), every attempt of a
// write, a retry after a 429's Retry-After included, first takes its writes from it: the load stays within the budget
// however many requests are retried.
import type { PipelinePolicy, PipelineRequest } from "@azure/core-rest-pipeline";

export const writeBudgetVariable = "ENTRA_TAP_WRITE_BUDGET_URL";

/** How many writes a request is, as Graph counts them: a batch by the writes it holds; What If's POST only evaluates. */
export function writesOf(request: Pick<PipelineRequest, "method" | "url" | "body">): number {
  if (request.method === "GET") return 0;
  const path = new URL(request.url).pathname;
  if (path.endsWith("/identity/conditionalAccess/evaluate")) return 0;
  if (!path.endsWith("/$batch")) return 1;
  const body =
    typeof request.body === "string"
      ? (JSON.parse(request.body) as { requests?: { method?: string }[] })
      : {};
  return (body.requests ?? []).filter((item) => item.method !== "GET").length;
}

/** The budget's address from the environment, refused unless it is loopback (it sees every write's count, no more). */
export function writeBudgetUrl(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[writeBudgetVariable];
  if (!value) return undefined;
  const url = new URL(value);
  if (url.protocol !== "http:" || url.hostname !== "127.0.0.1") {
    throw new Error(
      `${writeBudgetVariable}=${JSON.stringify(value)} is not allowed; expected http://127.0.0.1:<port>/`,
    );
  }
  return url.origin;
}

/** Takes each attempt's writes from the budget at `origin` before it is sent. */
export function writeBudgetPolicy(origin: string): PipelinePolicy {
  return {
    name: "entraTapWriteBudget",
    async sendRequest(request, next) {
      const writes = writesOf(request);
      if (writes > 0) {
        const answer = await fetch(`${origin}/acquire?writes=${writes}`, { method: "POST" });
        if (!answer.ok)
          throw new Error(`the fleet's write budget refused ${writes} writes (HTTP ${answer.status})`);
      }
      return next(request);
    },
  };
}
