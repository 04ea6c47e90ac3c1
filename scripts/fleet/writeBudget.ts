// The fleet's shared write budget, served on loopback to the processes it starts (components/graph/writeBudget.ts
// takes from it): at most `writes` Graph writes per `intervalMs` across every tenant, the app's write quota across all
// tenants being one (docs/fleet.md). The token bucket is limiter's (a well-kept package), not hand-written.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { RateLimiter } from "limiter";

export interface WriteBudget {
  /** The origin to hand the processes, as ENTRA_TAP_WRITE_BUDGET_URL. */
  url: string;
  /** Each grant: when, and how many writes. */
  readonly grants: { at: number; writes: number }[];
  close(): Promise<void>;
}

export async function serveWriteBudget(writes: number, intervalMs: number): Promise<WriteBudget> {
  const limiter = new RateLimiter({ tokensPerInterval: writes, interval: intervalMs });
  const grants: { at: number; writes: number }[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const count = Number(url.searchParams.get("writes"));
    if (req.method !== "POST" || url.pathname !== "/acquire" || !Number.isInteger(count) || count < 1) {
      res.writeHead(400).end();
      return;
    }
    // A request never holds more writes than the budget (a batch holds at most 20): clamped, never refused.
    void limiter.removeTokens(Math.min(count, writes)).then(() => {
      grants.push({ at: Date.now(), writes: count });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    grants,
    // Writes still waiting are let go: the processes that asked are done, or stopped with the fleet.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
