// A local Microsoft Graph for tests: a real HTTP server on 127.0.0.1 that enforces Graph's rules for the
// endpoints entra-tap uses, injects faults on demand and records every request.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  type GraphClient,
  type GraphClientOptions,
  graphClientFromEnvironment,
} from "../../components/graph/client";

export const tapPolicyPath =
  "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass";
export const tapPolicyODataType = "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration";

export interface EmulatedTarget {
  id: string;
  /** v1.0: a group, or (in a tenant's existing policy) a user. */
  targetType: "group" | "user";
  isRegistrationRequired?: boolean;
}

export interface EmulatedTapPolicy {
  state: "enabled" | "disabled";
  defaultLifetimeInMinutes: number;
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  defaultLength: number;
  isUsableOnce: boolean;
  includeTargets: EmulatedTarget[];
  excludeTargets: EmulatedTarget[];
}

/** What DELETE puts back: Microsoft's defaults (the state after a reset is tenant-dependent; disabled here). */
export function microsoftDefaultTapPolicy(): EmulatedTapPolicy {
  return {
    state: "disabled",
    defaultLifetimeInMinutes: 60,
    minimumLifetimeInMinutes: 60,
    maximumLifetimeInMinutes: 480,
    defaultLength: 8,
    isUsableOnce: false,
    includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: false }],
    excludeTargets: [],
  };
}

export interface EmulatedTap {
  id: string;
  temporaryAccessPass: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  /** Signed in with already (matters for a one-time pass). */
  used: boolean;
}

export interface EmulatedUser {
  id: string;
  userPrincipalName: string;
  userType: "Member" | "Guest";
  /** Group id → time (ms) from which Graph sees the membership: replication is not instant. */
  memberOf: Map<string, number>;
  tap?: EmulatedTap;
  sessionsRevokedAt?: string;
}

/** A member assignment through PIM for Groups, as `assignmentSchedules` lists it. */
export interface EmulatedPimSchedule {
  id: string;
  groupId: string;
  principalId: string;
  startDateTime: string;
  endDateTime: string;
  justification: string;
  createdDateTime: string;
}

export const pimScheduleRequestsPath =
  "/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests";
export const pimSchedulesPath = "/v1.0/identityGovernance/privilegedAccess/group/assignmentSchedules";

export interface EmulatedGroup {
  id: string;
  displayName: string;
  /** Groups nested in this one: their members are its transitive members. */
  nestedGroups: Set<string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, without `?` (empty when there is none). */
  query: string;
  body: unknown;
  authorization: string | undefined;
  /** When it arrived, by the real clock (`Date.now()`, not `now`): for waits such as a Retry-After. */
  at: number;
}

/**
 * A fault applied to the next `times` requests that match `method` and `path`. By default it matches requests sent on
 * their own and requests inside a JSON batch alike (Graph throttles each request of a batch on its own).
 */
export interface Fault {
  method?: string;
  path?: string | RegExp;
  times?: number;
  /** Which requests it matches: `request` (sent on its own), `batchItem` (inside a batch) or `any` (default). */
  scope?: "any" | "request" | "batchItem";
  /** Answer with this status and a Graph error body instead of handling the request. */
  status?: number;
  /** Graph error code for the fault's status (defaults to Graph's code for that status). */
  code?: string;
  retryAfter?: string;
  /** Wait this long before answering (or before the fault's status). */
  delayMs?: number;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Carry out the request first, then apply the fault: Graph did the work and the answer is lost. */
  afterHandling?: boolean;
}

/** Faults at random (see `GraphEmulator.randomFaults`). */
export interface RandomFaults {
  /** The share of requests answered with a fault, 0 to 1. */
  probability: number;
  /** The statuses to answer with, picked at random (e.g. 429 and 503). */
  statuses: readonly number[];
  /** Retry-After sent with a 429, in seconds (none by default). */
  retryAfter?: string;
  /** A number in [0, 1): `Math.random`, or a seeded generator for a repeatable run. */
  random: () => number;
}

const patchableFields = new Set([
  "id",
  "state",
  "defaultLifetimeInMinutes",
  "minimumLifetimeInMinutes",
  "maximumLifetimeInMinutes",
  "defaultLength",
  "isUsableOnce",
  "includeTargets",
  "excludeTargets",
]);
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The value of `methodsRegistered` that the registration report gives a Temporary Access Pass. */
export const tapRegistrationMethod = "temporaryAccessPass";
/** Graph's limit on the requests of one JSON batch. */
const batchLimit = 20;

/** What a handler answered: status, headers and parsed body (for answers inside a batch). */
interface CapturedAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The parts of a request the handlers look at, whether it came on its own or inside a batch. */
interface EmulatedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
}
const faultCodes: Record<number, string> = {
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class GraphEmulator {
  /** Every HTTP request received, as sent over the wire (a JSON batch is one). */
  readonly requests: RecordedRequest[] = [];
  /** Every request inside a JSON batch, each recorded as Graph would handle it on its own. */
  readonly batchRequests: RecordedRequest[] = [];
  policy: EmulatedTapPolicy = microsoftDefaultTapPolicy();
  readonly users = new Map<string, EmulatedUser>();
  readonly groups = new Map<string, EmulatedGroup>();
  /** PIM for Groups member assignments, by `<groupId>|<principalId>`; ended ones are removed, as Entra does. */
  readonly pimSchedules = new Map<string, EmulatedPimSchedule>();
  /**
   * Throttling as Graph does it: at most `limit` requests (each request of a batch counted on its own) per
   * `windowMs`; past it, 429 with a Retry-After in whole seconds until the window ends. Off when undefined.
   */
  throttle: { limit: number; windowMs: number } | undefined;
  /** The registration report lags behind the directory: a pass shows in it only this long after it was issued. */
  registrationReportLagMs = 0;
  /** The most HTTP requests it was handling at once (to check a client's bounded concurrency). */
  maxConcurrentRequests = 0;
  /** Where next links point; another origin plays a Graph that sends the client elsewhere. */
  nextLinkOrigin: string | undefined;
  private inFlight = 0;
  private throttleWindow = { start: 0, count: 0 };
  /** The signed-in caller; Graph refuses to issue a pass to oneself. */
  callerId = "0c6e7d2a-5b4f-4e3a-9d8c-7b6a5f4e3d2c";
  /** The emulator's clock, so tests can move time (expiry) without waiting. */
  now: () => number = () => Date.now();
  /**
   * Every answer carries a `Date` header from `now` (Graph's clock, as any HTTP server sends its own); false answers
   * without one, to play a proxy that strips it.
   */
  sendDateHeader = true;
  private faults: (Fault & { remaining: number })[] = [];

  // ---- Random faults and answered statuses (for `npm run bench`: bulk issuance under throttling) ----
  /**
   * Random faults: each request (sent on its own or inside a batch) not already given an injected fault is answered
   * with one of `statuses` (a Graph error body; `retryAfter` on a 429) with `probability`, before it is handled.
   * `random` decides (seed it for a repeatable run). Off when undefined (as after `reset()`).
   */
  randomFaults: RandomFaults | undefined;
  /** How each request sent on its own was answered: method, path and status (none for a dropped connection). */
  readonly answered: { method: string; path: string; status: number }[] = [];

  private randomFault(): Fault | undefined {
    const chaos = this.randomFaults;
    if (!chaos || chaos.statuses.length === 0 || chaos.random() >= chaos.probability) return undefined;
    const status = chaos.statuses[Math.floor(chaos.random() * chaos.statuses.length)];
    return { status, retryAfter: status === 429 ? chaos.retryAfter : undefined };
  }
  // ---- end of random faults ----

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    readonly token: string,
  ) {}

  static async start(): Promise<GraphEmulator> {
    const token = `emulator-${randomUUID()}`;
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const emulator = new GraphEmulator(server, `http://127.0.0.1:${port}`, token);
    server.on("request", (req, res) => void emulator.handle(req, res));
    return emulator;
  }

  /** Environment for code under test: the loopback endpoint and the emulator's token. */
  env(): Record<string, string> {
    return { ENTRA_TAP_GRAPH_ENDPOINT: this.url, ENTRA_TAP_GRAPH_TOKEN: this.token };
  }

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** Requests that change something (anything but GET; a batch counts by what it holds). */
  writes(): RecordedRequest[] {
    return [...this.requests, ...this.batchRequests].filter(
      (r) => r.method !== "GET" && r.path !== "/v1.0/$batch",
    );
  }

  reset(): void {
    this.requests.length = 0;
    this.batchRequests.length = 0;
    this.answered.length = 0;
    this.faults = [];
    this.policy = microsoftDefaultTapPolicy();
    this.users.clear();
    this.groups.clear();
    this.pimSchedules.clear();
    this.throttle = undefined;
    this.throttleWindow = { start: 0, count: 0 };
    this.randomFaults = undefined;
    this.registrationReportLagMs = 0;
    this.maxConcurrentRequests = 0;
    this.nextLinkOrigin = undefined;
    this.now = () => Date.now();
    this.scopeRefusalStatus = 400;
    this.sendDateHeader = true;
  }

  addGroup(group: { id?: string; displayName: string }): EmulatedGroup {
    const created: EmulatedGroup = {
      id: (group.id ?? randomUUID()).toLowerCase(),
      displayName: group.displayName,
      nestedGroups: new Set(),
    };
    this.groups.set(created.id, created);
    return created;
  }

  /** Makes `childId` a member of `parentId`: the child's members become the parent's transitive members. */
  nestGroup(parentId: string, childId: string): void {
    this.groups.get(parentId)!.nestedGroups.add(childId);
  }

  addUser(user: { id?: string; userPrincipalName: string; userType?: "Member" | "Guest" }): EmulatedUser {
    const created: EmulatedUser = {
      id: user.id ?? randomUUID(),
      userPrincipalName: user.userPrincipalName,
      userType: user.userType ?? "Member",
      memberOf: new Map(),
    };
    this.users.set(created.id, created);
    return created;
  }

  /** Adds a membership that Graph's TAP service sees only after `replicationDelayMs`. */
  addMember(groupId: string, userId: string, replicationDelayMs = 0): void {
    this.user(userId)!.memberOf.set(groupId, this.now() + replicationDelayMs);
  }

  /**
   * Gives the user a pass as if issued earlier (no rules checked): for tenants whose passes predate the test. Returns
   * the pass; its passcode is never shown by a GET.
   */
  addPass(
    userId: string,
    pass: {
      startDateTime: string;
      lifetimeInMinutes: number;
      isUsableOnce?: boolean;
      used?: boolean;
      createdDateTime?: string;
    },
  ): EmulatedTap {
    const user = this.user(userId)!;
    user.tap = {
      id: randomUUID(),
      temporaryAccessPass: randomPasscode(this.policy.defaultLength),
      createdDateTime:
        pass.createdDateTime ?? new Date(Math.min(Date.parse(pass.startDateTime), this.now())).toISOString(),
      startDateTime: pass.startDateTime,
      lifetimeInMinutes: pass.lifetimeInMinutes,
      isUsableOnce: pass.isUsableOnce ?? true,
      used: pass.used ?? false,
    };
    return user.tap;
  }

  /** A sign-in with the user's pass. */
  signInWithTap(userId: string): void {
    const tap = this.user(userId)?.tap;
    if (tap) tap.used = true;
  }

  private user(idOrUpn: string): EmulatedUser | undefined {
    const key = decodeURIComponent(idOrUpn).toLowerCase();
    return (
      this.users.get(key) ??
      [...this.users.values()].find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key)
    );
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.maxConcurrentRequests = Math.max(this.maxConcurrentRequests, this.inFlight);
    try {
      await this.handleRequest(req, res);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const text = await readBody(req);
    const [path, query = ""] = (req.url ?? "/").split("?", 2);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const method = req.method ?? "GET";
    this.requests.push({
      method,
      path,
      query,
      body,
      authorization: req.headers.authorization,
      at: Date.now(),
    });
    const request: EmulatedRequest = {
      method,
      path,
      query: new URLSearchParams(query),
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
      ),
      body,
    };

    const fault = this.takeFault(method, path, "request");
    if (fault?.afterHandling) {
      // The answer goes nowhere: the fault below is what the client sees.
      await this.answer(request);
    }
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (res.destroyed) return;
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    const answer = fault?.status ? faultAnswer(fault) : await this.answer(request);
    if (answer === "reset") {
      req.socket.destroy();
      return;
    }
    this.answered.push({ method, path, status: answer.status });
    // Node sends a Date from the real clock unless told otherwise: Graph's clock here is `now`.
    res.sendDate = false;
    const date: Record<string, string> = this.sendDateHeader
      ? { date: new Date(this.now()).toUTCString() }
      : {};
    res.writeHead(answer.status, { ...date, ...answer.headers, "request-id": randomUUID() });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  /** Answers a request sent on its own: throttling first (a batch is throttled by what it holds), then the route. */
  private async answer(request: EmulatedRequest): Promise<CapturedAnswer | "reset"> {
    if (request.path === "/v1.0/$batch" && request.method === "POST") return this.batch(request);
    return this.throttled() ?? this.route(request);
  }

  /** A 429 when the throttling window is used up (each request counts, batched or not); otherwise undefined. */
  private throttled(): CapturedAnswer | undefined {
    if (!this.throttle) return undefined;
    const now = Date.now();
    if (now - this.throttleWindow.start >= this.throttle.windowMs)
      this.throttleWindow = { start: now, count: 0 };
    this.throttleWindow.count += 1;
    if (this.throttleWindow.count <= this.throttle.limit) return undefined;
    const seconds = Math.max(1, Math.ceil((this.throttleWindow.start + this.throttle.windowMs - now) / 1000));
    return errorAnswer(new GraphHttpError(429, "TooManyRequests", "Too many requests; retry later."), {
      "retry-after": String(seconds),
    });
  }

  /**
   * `POST /$batch`: at most 20 requests with distinct ids; each is handled as if sent on its own (authorization
   * from the batch, its own headers, throttling and faults) and answered with its own status, headers and body.
   */
  private async batch(request: EmulatedRequest): Promise<CapturedAnswer | "reset"> {
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
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return errorAnswer(
        new GraphHttpError(401, "InvalidAuthenticationToken", "Access token is empty or invalid."),
      );
    }
    const responses = [];
    for (const item of requests as {
      id: string;
      method?: string;
      url?: string;
      headers?: unknown;
      body?: unknown;
    }[]) {
      const [itemPath, itemQuery = ""] = String(item.url ?? "").split("?", 2);
      const path = `/v1.0${itemPath.startsWith("/") ? "" : "/"}${itemPath}`;
      const method = String(item.method ?? "GET").toUpperCase();
      this.batchRequests.push({
        method,
        path,
        query: itemQuery,
        body: item.body,
        authorization: request.headers.authorization,
        at: Date.now(),
      });
      const headers = Object.fromEntries(
        Object.entries((item.headers ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k.toLowerCase(),
          String(v),
        ]),
      );
      const sub: EmulatedRequest = {
        method,
        path,
        query: new URLSearchParams(itemQuery),
        headers: { ...headers, authorization: request.headers.authorization },
        body: item.body,
      };
      const fault = this.takeFault(method, path, "batchItem");
      if (fault?.reset) return "reset";
      if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault?.afterHandling) await this.route(sub);
      const answer = fault?.status ? faultAnswer(fault) : (this.throttled() ?? (await this.route(sub)));
      responses.push({ id: item.id, status: answer.status, headers: answer.headers, body: answer.body });
    }
    return { status: 200, headers: { "content-type": "application/json" }, body: { responses } };
  }

  private async route(request: EmulatedRequest): Promise<CapturedAnswer> {
    const { method, path, query, body } = request;
    try {
      if (request.headers.authorization !== `Bearer ${this.token}`) {
        throw new GraphHttpError(401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
      }
      if (path === tapPolicyPath) return this.tapPolicy(method, body);
      this.endPimSchedules();
      if (path === pimScheduleRequestsPath && method === "POST") return this.pimRequest(body);
      if (path === pimSchedulesPath && method === "GET") return this.pimSchedulesList(path, query);
      const tapMethods =
        /^\/v1\.0\/users\/([^/]+)\/authentication\/temporaryAccessPassMethods(?:\/([^/]+))?$/.exec(path);
      if (tapMethods) return this.tapMethods(method, tapMethods[1], tapMethods[2], body);
      const revoke = /^\/v1\.0\/users\/([^/]+)\/revokeSignInSessions$/.exec(path);
      if (revoke && method === "POST") {
        const user = this.requireUser(revoke[1]);
        user.sessionsRevokedAt = new Date(this.now()).toISOString();
        return jsonAnswer(200, {
          "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean",
          value: true,
        });
      }
      if (method === "GET") {
        const answer = this.directoryRead(path, query, request.headers);
        if (answer) return answer;
      }
      throw new GraphHttpError(404, "Request_ResourceNotFound", `Resource '${path}' does not exist.`);
    } catch (error) {
      if (error instanceof GraphHttpError) return errorAnswer(error);
      throw error;
    }
  }

  /** Reads of users, groups, members and the registration report, with Graph's paging and query rules. */
  private directoryRead(
    path: string,
    query: URLSearchParams,
    headers: Record<string, string | undefined>,
  ): CapturedAnswer | undefined {
    const select = query
      .get("$select")
      ?.split(",")
      .map((field) => field.trim());
    if (path === "/v1.0/users") {
      return this.page(
        path,
        query,
        [...this.users.values()].map((u) => userView(u, select)),
      );
    }
    const user = /^\/v1\.0\/users\/([^/]+)$/.exec(path);
    if (user) return jsonAnswer(200, userView(this.requireUser(user[1]), select));
    if (path === "/v1.0/groups") {
      const filter = query.get("$filter");
      const byName = filter === null ? undefined : /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
      if (filter !== null && !byName) {
        throw new GraphHttpError(400, "Request_UnsupportedQuery", `Unsupported query: ${filter}`);
      }
      const name = byName?.[1].replaceAll("''", "'");
      const groups = [...this.groups.values()].filter((g) => name === undefined || g.displayName === name);
      return this.page(
        path,
        query,
        groups.map((g) => groupView(g, select)),
      );
    }
    const group = /^\/v1\.0\/groups\/([^/]+)$/.exec(path);
    if (group) return jsonAnswer(200, groupView(this.requireGroup(group[1]), select));
    const directMembers = /^\/v1\.0\/groups\/([^/]+)\/members$/.exec(path);
    if (directMembers) return this.directMembersRead(path, query, headers, directMembers[1]);
    const members = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/.exec(path);
    if (members) {
      // An OData cast on a transitive members list is an advanced query: ConsistencyLevel and $count are required.
      if (headers.consistencylevel !== "eventual" || query.get("$count") !== "true") {
        throw new GraphHttpError(
          400,
          "Request_UnsupportedQuery",
          "The specified type cast is only supported with 'ConsistencyLevel: eventual' and '$count=true'.",
        );
      }
      const groupIds = this.nestedClosure(this.requireGroup(members[1]).id);
      const users = [...this.users.values()].filter((u) =>
        [...u.memberOf.keys()].some((g) => groupIds.has(g)),
      );
      return this.page(
        path,
        query,
        users.map((u) => ({ "@odata.type": "#microsoft.graph.user", ...userView(u, select) })),
        999,
      );
    }
    if (path === "/v1.0/reports/authenticationMethods/userRegistrationDetails") {
      const filter = query.get("$filter");
      if (
        filter !== null &&
        filter.replaceAll(" ", "") !== `methodsRegistered/any(m:meq'${tapRegistrationMethod}')`
      ) {
        throw new GraphHttpError(400, "Request_UnsupportedQuery", `Unsupported query: ${filter}`);
      }
      const reported = [...this.users.values()].filter(
        (u) => u.tap && Date.parse(u.tap.createdDateTime) + this.registrationReportLagMs <= this.now(),
      );
      return this.page(
        path,
        query,
        reported.map((u) => ({
          id: u.id,
          userPrincipalName: u.userPrincipalName,
          userType: u.userType.toLowerCase(),
          methodsRegistered: [tapRegistrationMethod],
        })),
      );
    }
    return undefined;
  }

  /**
   * `GET /groups/{id}/members?$filter=id eq '{objectId}'`: the group's direct members (not transitive: a member of a
   * nested group is not one), here only filtered by id. A `$filter` on members is an advanced query: ConsistencyLevel
   * and `$count=true` are required. A member through PIM for Groups is listed too: an active assignment makes the
   * principal a member of the group, as in Entra.
   */
  private directMembersRead(
    path: string,
    query: URLSearchParams,
    headers: Record<string, string | undefined>,
    groupId: string,
  ): CapturedAnswer {
    const group = this.requireGroup(groupId);
    const filter = query.get("$filter");
    const byId = filter === null ? undefined : /^id eq '([^']*)'$/.exec(filter.trim());
    if (!byId) {
      throw new GraphHttpError(400, "Request_UnsupportedQuery", `Unsupported query: ${filter ?? "(none)"}`);
    }
    if (headers.consistencylevel !== "eventual" || query.get("$count") !== "true") {
      throw new GraphHttpError(
        400,
        "Request_UnsupportedQuery",
        "A $filter on members is only supported with 'ConsistencyLevel: eventual' and '$count=true'.",
      );
    }
    const wanted = byId[1].toLowerCase();
    const members = [
      ...[...this.users.values()]
        .filter((u) => u.memberOf.has(group.id))
        .map((u) => ({ "@odata.type": "#microsoft.graph.user", id: u.id })),
      ...[...group.nestedGroups].map((id) => ({ "@odata.type": "#microsoft.graph.group", id })),
    ].filter((member) => member.id.toLowerCase() === wanted);
    const answer = this.page(path, query, members);
    return { ...answer, body: { "@odata.count": members.length, ...(answer.body as object) } };
  }

  /** One page of `items`: `$top` items (Graph's default 100, at most `maxTop`) and a nextLink while more remain. */
  private page(path: string, query: URLSearchParams, items: unknown[], maxTop = 999): CapturedAnswer {
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
      body["@odata.nextLink"] = `${this.nextLinkOrigin ?? this.url}${path}?${next.toString()}`;
    }
    return jsonAnswer(200, body);
  }

  /** The group and every group nested in it, at any depth. */
  private nestedClosure(groupId: string): Set<string> {
    const seen = new Set([groupId]);
    const queue = [groupId];
    while (queue.length > 0) {
      for (const child of this.groups.get(queue.pop()!)?.nestedGroups ?? []) {
        if (!seen.has(child)) {
          seen.add(child);
          queue.push(child);
        }
      }
    }
    return seen;
  }

  private requireGroup(id: string): EmulatedGroup {
    const group = this.groups.get(decodeURIComponent(id).toLowerCase());
    if (!group) {
      throw new GraphHttpError(
        404,
        "Request_ResourceNotFound",
        `Resource '${decodeURIComponent(id)}' does not exist.`,
      );
    }
    return group;
  }

  private tapPolicy(method: string, body: unknown): CapturedAnswer {
    switch (method) {
      case "GET":
        return jsonAnswer(200, {
          "@odata.context":
            "https://graph.microsoft.com/v1.0/$metadata#authenticationMethodConfigurations/$entity",
          "@odata.type": tapPolicyODataType,
          id: "TemporaryAccessPass",
          ...structuredClone(this.policy),
        });
      case "PATCH":
        this.policy = validatedPatch(this.policy, body);
        return noContent();
      case "DELETE":
        this.policy = microsoftDefaultTapPolicy();
        return noContent();
      default:
        throw new GraphHttpError(405, "Request_BadRequest", `Method ${method} is not allowed here.`);
    }
  }

  private requireUser(idOrUpn: string): EmulatedUser {
    const user = this.user(idOrUpn);
    if (!user) {
      throw new GraphHttpError(
        404,
        "Request_ResourceNotFound",
        `Resource '${decodeURIComponent(idOrUpn)}' does not exist.`,
      );
    }
    return user;
  }

  private tapMethods(
    method: string,
    idOrUpn: string,
    methodId: string | undefined,
    body: unknown,
  ): CapturedAnswer {
    const user = this.requireUser(idOrUpn);
    if (method === "POST" && !methodId) {
      const tap = this.issueTap(user, (body ?? {}) as Record<string, unknown>);
      return jsonAnswer(201, {
        "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
        ...this.view(tap, true),
      });
    }
    if (method === "GET" && !methodId) {
      return jsonAnswer(200, { value: user.tap ? [this.view(user.tap, false)] : [] });
    }
    if (!user.tap || user.tap.id !== methodId) {
      throw new GraphHttpError(404, "itemNotFound", "The requested authentication method was not found.");
    }
    if (method === "GET") return jsonAnswer(200, this.view(user.tap, false));
    if (method === "DELETE") {
      user.tap = undefined;
      return noContent();
    }
    throw new GraphHttpError(405, "Request_BadRequest", `Method ${method} is not allowed here.`);
  }

  /**
   * The status of the refusal of a pass to a user not (yet) in scope. Graph's is not documented: 400 is what entra-tap
   * has seen, 403 what an implementation written from the docs answers; only the wording is known.
   */
  scopeRefusalStatus: 400 | 403 = 400;

  /** Graph's rules for a new pass: a member in scope, not a guest, not oneself, within the policy's range. */
  private issueTap(user: EmulatedUser, body: Record<string, unknown>): EmulatedTap {
    const allowedKeys = ["startDateTime", "lifetimeInMinutes", "isUsableOnce"];
    const unknownKey = Object.keys(body).find((key) => !allowedKeys.includes(key));
    if (unknownKey) throw new GraphHttpError(400, "BadRequest", `Invalid property '${unknownKey}'.`);
    if (user.userType === "Guest") {
      throw new GraphHttpError(
        400,
        "badRequest",
        "Temporary Access Pass cannot be added to an external guest user.",
      );
    }
    if (user.id === this.callerId) {
      throw new GraphHttpError(403, "accessDenied", "Self-service operations are currently not supported.");
    }
    if (!this.inScope(user)) {
      throw new GraphHttpError(
        this.scopeRefusalStatus,
        this.scopeRefusalStatus === 403 ? "accessDenied" : "badRequest",
        "Converged UserCredentialPolicy does not allow creating or updating this authentication method.",
      );
    }
    const { minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max } = this.policy;
    const lifetime = body.lifetimeInMinutes ?? this.policy.defaultLifetimeInMinutes;
    if (typeof lifetime !== "number" || !Number.isInteger(lifetime) || lifetime < min || lifetime > max) {
      throw new GraphHttpError(
        400,
        "badRequest",
        `Invalid LifetimeInMinutes specified. The valid range between ${min} and ${max}.`,
      );
    }
    const isUsableOnce = body.isUsableOnce ?? this.policy.isUsableOnce;
    if (isUsableOnce === false && this.policy.isUsableOnce) {
      throw new GraphHttpError(400, "badRequest", "Policy requires a one-time Temporary Access Pass.");
    }
    const start = body.startDateTime === undefined ? this.now() : Date.parse(String(body.startDateTime));
    if (Number.isNaN(start)) throw new GraphHttpError(400, "badRequest", "Invalid startDateTime.");
    // One pass per user: a new one replaces the old, whose passcode stops working.
    user.tap = {
      id: randomUUID(),
      temporaryAccessPass: randomPasscode(this.policy.defaultLength),
      createdDateTime: new Date(this.now()).toISOString(),
      startDateTime: new Date(start).toISOString(),
      lifetimeInMinutes: lifetime,
      isUsableOnce: Boolean(isUsableOnce),
      used: false,
    };
    return user.tap;
  }

  private inScope(user: EmulatedUser): boolean {
    if (this.policy.state !== "enabled") return false;
    const visible = (groupId: string) => (user.memberOf.get(groupId) ?? Infinity) <= this.now();
    const targets = (t: EmulatedTarget) =>
      t.targetType === "user" ? t.id === user.id : t.id === "all_users" || visible(t.id);
    const excluded = this.policy.excludeTargets.some(targets);
    const included = this.policy.includeTargets.some(targets);
    return included && !excluded;
  }

  /** A pass as Graph shows it: the passcode only in the POST answer, usability computed now. */
  private view(tap: EmulatedTap, withPasscode: boolean) {
    const start = Date.parse(tap.startDateTime);
    const end = start + tap.lifetimeInMinutes * 60_000;
    const reason =
      this.policy.state !== "enabled"
        ? "DisabledByPolicy"
        : this.now() < start
          ? "NotYetValid"
          : this.now() >= end
            ? "Expired"
            : tap.used && tap.isUsableOnce
              ? "OneTimeUsed"
              : "EnabledByPolicy";
    return {
      id: tap.id,
      temporaryAccessPass: withPasscode ? tap.temporaryAccessPass : null,
      createdDateTime: tap.createdDateTime,
      startDateTime: tap.startDateTime,
      lifetimeInMinutes: tap.lifetimeInMinutes,
      isUsableOnce: tap.isUsableOnce,
      isUsable: reason === "EnabledByPolicy",
      methodUsabilityReason: reason,
    };
  }

  /** Gives the user a PIM membership as if assigned earlier (no rules checked). */
  addPimSchedule(
    schedule: Omit<EmulatedPimSchedule, "id" | "createdDateTime" | "justification">,
  ): EmulatedPimSchedule {
    const created: EmulatedPimSchedule = {
      ...schedule,
      id: randomUUID(),
      justification: "added by the test",
      createdDateTime: new Date(this.now()).toISOString(),
    };
    this.pimSchedules.set(`${schedule.groupId}|${schedule.principalId}`, created);
    this.requireUser(schedule.principalId).memberOf.set(schedule.groupId, Date.parse(schedule.startDateTime));
    return created;
  }

  /** Entra ends a schedule at its end: the assignment and the membership it gave are gone. */
  private endPimSchedules(): void {
    for (const [key, schedule] of this.pimSchedules) {
      if (Date.parse(schedule.endDateTime) <= this.now()) this.removePimSchedule(key, schedule);
    }
  }

  /** An administrator removes a PIM membership by hand (in PIM): the assignment and the membership it gave go. */
  removePimAssignment(groupId: string, principalId: string): void {
    for (const [key, schedule] of this.pimSchedules) {
      if (
        schedule.groupId.toLowerCase() === groupId.toLowerCase() &&
        schedule.principalId.toLowerCase() === principalId.toLowerCase()
      )
        this.removePimSchedule(key, schedule);
    }
  }

  private removePimSchedule(key: string, schedule: EmulatedPimSchedule): void {
    this.pimSchedules.delete(key);
    this.user(schedule.principalId)?.memberOf.delete(schedule.groupId);
  }

  /**
   * `POST assignmentScheduleRequests`: adminAssign, adminUpdate or adminRemove of a member assignment. PIM's rules as
   * documented: a known group and principal, a justification, an expiration in the future. The error codes for an
   * assignment that exists (or not) are PIM's for directory roles; entra-tap reads before it writes and relies on none.
   */
  private pimRequest(body: unknown): CapturedAnswer {
    const request = (body ?? {}) as Record<string, unknown>;
    const allowedKeys = [
      "accessId",
      "principalId",
      "groupId",
      "action",
      "justification",
      "scheduleInfo",
      "ticketInfo",
    ];
    const unknownKey = Object.keys(request).find((key) => !allowedKeys.includes(key));
    if (unknownKey) throw new GraphHttpError(400, "BadRequest", `Invalid property '${unknownKey}'.`);
    if (request.accessId !== "member" && request.accessId !== "owner") {
      throw new GraphHttpError(400, "BadRequest", `Invalid accessId '${String(request.accessId)}'.`);
    }
    const action = request.action;
    if (action !== "adminAssign" && action !== "adminUpdate" && action !== "adminRemove") {
      throw new GraphHttpError(400, "BadRequest", `Unsupported action '${String(action)}'.`);
    }
    const group = this.requireGroup(String(request.groupId));
    const user = this.requireUser(String(request.principalId));
    const key = `${group.id}|${user.id}`;
    const existing = this.pimSchedules.get(key);
    if (action === "adminRemove") {
      if (!existing) {
        throw new GraphHttpError(400, "RoleAssignmentDoesNotExist", "The Role assignment does not exist.");
      }
      this.removePimSchedule(key, existing);
      return jsonAnswer(201, {
        id: randomUUID(),
        action,
        status: "Revoked",
        groupId: group.id,
        principalId: user.id,
      });
    }
    if (typeof request.justification !== "string" || request.justification.trim() === "") {
      throw new GraphHttpError(
        400,
        "JustificationRule",
        'The following policy rules failed: ["JustificationRule"]',
      );
    }
    const schedule = request.scheduleInfo as
      { startDateTime?: string; expiration?: { type?: string; endDateTime?: string } } | undefined;
    const start = Date.parse(schedule?.startDateTime ?? "");
    const end = Date.parse(schedule?.expiration?.endDateTime ?? "");
    if (schedule?.expiration?.type !== "afterDateTime" || Number.isNaN(start) || Number.isNaN(end)) {
      throw new GraphHttpError(
        400,
        "InvalidScheduleRequest",
        "scheduleInfo needs startDateTime and an afterDateTime expiration.",
      );
    }
    if (end <= Math.max(start, this.now())) {
      throw new GraphHttpError(
        400,
        "InvalidScheduleRequest",
        "The expiration must be after the start and in the future.",
      );
    }
    if (action === "adminAssign" && existing) {
      throw new GraphHttpError(400, "RoleAssignmentExists", "The Role assignment already exists.");
    }
    if (action === "adminUpdate" && !existing) {
      throw new GraphHttpError(400, "RoleAssignmentDoesNotExist", "The Role assignment does not exist.");
    }
    const assigned: EmulatedPimSchedule = {
      id: existing?.id ?? randomUUID(),
      groupId: group.id,
      principalId: user.id,
      startDateTime: existing?.startDateTime ?? new Date(start).toISOString(),
      endDateTime: new Date(end).toISOString(),
      justification: request.justification,
      createdDateTime: existing?.createdDateTime ?? new Date(this.now()).toISOString(),
    };
    this.pimSchedules.set(key, assigned);
    user.memberOf.set(group.id, Math.max(start, this.now()));
    return jsonAnswer(201, {
      id: randomUUID(),
      action,
      status: "Provisioned",
      accessId: "member",
      groupId: group.id,
      principalId: user.id,
      targetScheduleId: assigned.id,
      justification: assigned.justification,
      scheduleInfo: request.scheduleInfo,
    });
  }

  /** `GET assignmentSchedules`: Graph requires a filter on groupId or principalId (eq). */
  private pimSchedulesList(path: string, query: URLSearchParams): CapturedAnswer {
    const filter = query.get("$filter") ?? "";
    const clauses = filter
      .split(/\s+and\s+/i)
      .map((clause) => /^(groupId|principalId|accessId) eq '([^']*)'$/.exec(clause.trim()));
    if (filter === "" || clauses.some((clause) => !clause) || !clauses.some((c) => c![1] !== "accessId")) {
      throw new GraphHttpError(
        400,
        "BadRequest",
        "The $filter must scope the request to a groupId or a principalId (eq).",
      );
    }
    const wanted = clauses.map(
      (c) => [c![1] as "groupId" | "principalId" | "accessId", c![2].toLowerCase()] as const,
    );
    const schedules = [...this.pimSchedules.values()].filter((schedule) =>
      wanted.every(([field, value]) =>
        field === "accessId" ? value === "member" : schedule[field].toLowerCase() === value,
      ),
    );
    return this.page(
      path,
      query,
      schedules.map((schedule) => ({
        id: schedule.id,
        accessId: "member",
        groupId: schedule.groupId,
        principalId: schedule.principalId,
        memberType: "direct",
        assignmentType: "assigned",
        status: "Provisioned",
        createdDateTime: schedule.createdDateTime,
        scheduleInfo: {
          startDateTime: schedule.startDateTime,
          recurrence: null,
          expiration: { type: "afterDateTime", endDateTime: schedule.endDateTime, duration: null },
        },
      })),
    );
  }

  private takeFault(method: string, path: string, scope: "request" | "batchItem"): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.scope ?? "any") !== (scope === "request" ? "batchItem" : "request") &&
        (!f.method || f.method === method) &&
        (!f.path || (typeof f.path === "string" ? f.path === path : f.path.test(path))),
    );
    if (fault) fault.remaining -= 1;
    return fault ?? this.randomFault();
  }
}

/** Applies a PATCH the way Graph does: @odata.type required, fields left out kept, collections whole, ranges checked. */
function validatedPatch(current: EmulatedTapPolicy, body: unknown): EmulatedTapPolicy {
  if (typeof body !== "object" || body === null) {
    throw new GraphHttpError(400, "BadRequest", "Empty Payload. JSON content expected.");
  }
  const patch = body as Record<string, unknown>;
  if (patch["@odata.type"] !== tapPolicyODataType) {
    throw new GraphHttpError(
      400,
      "BadRequest",
      "A type named '@odata.type' is required for this configuration.",
    );
  }
  for (const key of Object.keys(patch)) {
    if (key !== "@odata.type" && !patchableFields.has(key)) {
      throw new GraphHttpError(400, "BadRequest", `Invalid property '${key}'.`);
    }
  }
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (key !== "@odata.type" && key !== "id") next[key] = value;
  }
  const policy = next as unknown as EmulatedTapPolicy;
  const problems: string[] = [];
  if (policy.state !== "enabled" && policy.state !== "disabled") problems.push(`state '${policy.state}'`);
  for (const field of [
    "minimumLifetimeInMinutes",
    "maximumLifetimeInMinutes",
    "defaultLifetimeInMinutes",
  ] as const) {
    const value = policy[field];
    if (!Number.isInteger(value) || value < 10 || value > 43200)
      problems.push(`${field} ${value} not in 10..43200`);
  }
  if (policy.minimumLifetimeInMinutes > policy.maximumLifetimeInMinutes)
    problems.push("minimum above maximum");
  if (
    policy.defaultLifetimeInMinutes < policy.minimumLifetimeInMinutes ||
    policy.defaultLifetimeInMinutes > policy.maximumLifetimeInMinutes
  ) {
    problems.push("defaultLifetimeInMinutes outside minimum..maximum");
  }
  if (!Number.isInteger(policy.defaultLength) || policy.defaultLength < 8 || policy.defaultLength > 48) {
    problems.push(`defaultLength ${policy.defaultLength} not in 8..48`);
  }
  if (typeof policy.isUsableOnce !== "boolean") problems.push("isUsableOnce must be a boolean");
  problems.push(...targetProblems("includeTargets", policy.includeTargets, true));
  problems.push(...targetProblems("excludeTargets", policy.excludeTargets, false));
  if (problems.length > 0) {
    throw new GraphHttpError(
      400,
      "badRequest",
      `Invalid temporaryAccessPass configuration: ${problems.join("; ")}`,
    );
  }
  return policy;
}

function targetProblems(field: string, targets: unknown, include: boolean): string[] {
  if (!Array.isArray(targets)) return [`${field} must be a collection`];
  return targets.flatMap((target: EmulatedTarget, index) => {
    const where = `${field}[${index}]`;
    const problems: string[] = [];
    const idAllowed = guid.test(target?.id) || (include && target?.id === "all_users");
    if (!idAllowed) problems.push(`${where}.id '${target?.id}'`);
    if (target?.targetType !== "group" && target?.targetType !== "user") {
      problems.push(`${where}.targetType '${target?.targetType}'`);
    }
    if (include && typeof target?.isRegistrationRequired !== "boolean") {
      problems.push(`${where}.isRegistrationRequired missing`);
    }
    return problems;
  });
}

function randomPasscode(length: number): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%&*";
  return Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("");
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): CapturedAnswer {
  return { status, headers: { "content-type": "application/json", ...headers }, body };
}

function noContent(): CapturedAnswer {
  return { status: 204, headers: {}, body: undefined };
}

function errorAnswer(error: GraphHttpError, headers: Record<string, string> = {}): CapturedAnswer {
  return jsonAnswer(
    error.status,
    { error: { code: error.code, message: error.message, innerError: { date: new Date().toISOString() } } },
    headers,
  );
}

function faultAnswer(fault: Fault): CapturedAnswer {
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter };
  const code = fault.code ?? faultCodes[fault.status!] ?? "UnknownError";
  return errorAnswer(new GraphHttpError(fault.status!, code, `Injected fault ${fault.status}`), headers);
}

/** A user as Graph shows it: the `$select`ed fields, or a default set. */
function userView(user: EmulatedUser, select: string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userType: user.userType,
  };
  return select ? Object.fromEntries(select.map((field) => [field, all[field] ?? null])) : all;
}

function groupView(group: EmulatedGroup, select: string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = { id: group.id, displayName: group.displayName };
  return select ? Object.fromEntries(select.map((field) => [field, all[field] ?? null])) : all;
}

/**
 * For a test file whose code under test reads `process.env`: starts an emulator before the tests, points
 * ENTRA_TAP_GRAPH_ENDPOINT/TOKEN at it, hands it to `use`, and stops it and restores the environment after.
 */
export function useGraphEmulatorInProcessEnv(use: (emulator: GraphEmulator) => void): void {
  const savedEnv = { ...process.env };
  let started: GraphEmulator | undefined;
  beforeAll(async () => {
    started = await GraphEmulator.start();
    Object.assign(process.env, started.env());
    use(started);
  });
  afterAll(async () => {
    process.env = savedEnv;
    await started?.stop();
  });
}

/**
 * For a test file of the Graph client: starts an emulator before the tests and stops it after; before each test, resets
 * it and builds a client for it with `options`, and hands both to `use`.
 */
export function useEmulatedGraphClient(
  options: Partial<Omit<GraphClientOptions, "endpoint" | "credential">>,
  use: (emulator: GraphEmulator, graph: GraphClient) => void,
): void {
  let started: GraphEmulator;
  beforeAll(async () => {
    started = await GraphEmulator.start();
  });
  afterAll(() => started.stop());
  beforeEach(() => {
    started.reset();
    use(started, graphClientFromEnvironment("global", started.env(), options));
  });
}
