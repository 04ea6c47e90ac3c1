// The emulator's HTTP server: a real server on 127.0.0.1 that records every request, applies faults and throttling,
// unpacks JSON batches and routes each request to its resource's module. It holds the tenant those modules serve.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as auditLogs from "./auditLogs";
import { deploymentApp } from "./auditLogs";
import * as authenticationMethods from "./authenticationMethods";
import * as conditionalAccess from "./conditionalAccess";
import * as directory from "./directory";
import { type Fault, faultAnswer, type PendingFault, type RandomFaults, takeFault } from "./faults";
import { type BatchItem, batchRefusal } from "./batch";
import {
  type CapturedAnswer,
  type EmulatedRequest,
  errorAnswer,
  GraphHttpError,
  readBody,
  tenantToken,
} from "./http";
import type {
  EmulatedAudit,
  EmulatedAuthenticationStrength,
  EmulatedCaPolicy,
  EmulatedGroup,
  EmulatedInitiator,
  EmulatedMethod,
  EmulatedPimSchedule,
  EmulatedTap,
  EmulatedTapPolicy,
  EmulatedTenant,
  EmulatedUser,
} from "./model";
import * as pimForGroups from "./pimForGroups";
import * as tapPolicy from "./tapPolicy";
import * as userPasses from "./userPasses";

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

export class GraphEmulator implements EmulatedTenant {
  /** Every HTTP request received, as sent over the wire (a JSON batch is one). */
  readonly requests: RecordedRequest[] = [];
  /** Every request inside a JSON batch, each recorded as Graph would handle it on its own. */
  readonly batchRequests: RecordedRequest[] = [];
  policy: EmulatedTapPolicy = tapPolicy.microsoftDefaultTapPolicy();
  readonly users = new Map<string, EmulatedUser>();
  readonly groups = new Map<string, EmulatedGroup>();
  /** PIM for Groups member assignments, by `<groupId>|<principalId>`; ended ones are removed, as Entra does. */
  readonly pimSchedules = new Map<string, EmulatedPimSchedule>();
  /** The directory audit log, oldest first: passes issued (by the caller, or as addPass says) and methods registered. */
  readonly audits: EmulatedAudit[] = [];
  /** Who the caller is in the audit log: entra-tap's deployment, an app. */
  caller: EmulatedInitiator = deploymentApp();
  /** Answer 403 to audit log reads, as Graph does for a caller without AuditLog.Read.All. */
  auditLogForbidden = false;
  readonly conditionalAccessPolicies: EmulatedCaPolicy[] = [];
  readonly authenticationStrengths = new Map<string, EmulatedAuthenticationStrength>();
  /** Answer 403 to What If, as Graph does for a caller without Policy.Read.ConditionalAccess. */
  conditionalAccessForbidden = false;
  /** List a pass in `/authentication/methods` by type and id only: entra-tap must then read it on its own. */
  methodsListOmitsPassFields = false;
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
   * The status of the refusal of a pass to a user not (yet) in scope. Graph's is not documented: 400 is what entra-tap
   * has seen, 403 what an implementation written from the docs answers; only the wording is known.
   */
  scopeRefusalStatus: 400 | 403 = 400;
  /** Every answer carries a `Date` header from `now` (Graph's clock); false plays a proxy that strips it. */
  sendDateHeader = true;
  private faults: PendingFault[] = [];

  // ---- Random faults and answered statuses (for `npm run bench`: bulk issuance under throttling) ----
  /**
   * Random faults: each request (sent on its own or inside a batch) not already given an injected fault is answered
   * with one of `statuses` (a Graph error body; `retryAfter` on a 429) with `probability`, before it is handled.
   * `random` decides (seed it for a repeatable run). Off when undefined (as after `reset()`).
   */
  randomFaults: RandomFaults | undefined;
  /** How each request sent on its own was answered: method, path and status (none for a dropped connection). */
  readonly answered: { method: string; path: string; status: number }[] = [];
  // ---- end of random faults ----

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    /** The tenant the emulator is: its token says so (`tid`), as Microsoft's access tokens do. */
    readonly tenantId: string,
    readonly token: string,
  ) {}

  /** Listens on 127.0.0.1, on `port` (default: any), as tenant `tenantId` (default: new); 401 to another's token. */
  static async start(options: { port?: number; tenantId?: string } = {}): Promise<GraphEmulator> {
    const tenantId = options.tenantId ?? randomUUID();
    const token = tenantToken(tenantId);
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", resolve);
    });
    const { port } = server.address() as AddressInfo;
    const emulator = new GraphEmulator(server, `http://127.0.0.1:${port}`, tenantId, token);
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
  /** Graph answers again: the injected faults not yet used up are dropped, the tenant kept as it is. */
  clearFaults(): void {
    this.faults = [];
  }

  /** Requests that change something (not GET, nor What If's POST; a batch counts by what it holds). */
  writes(): RecordedRequest[] {
    return [...this.requests, ...this.batchRequests].filter(
      (r) => r.method !== "GET" && r.path !== "/v1.0/$batch" && r.path !== conditionalAccess.whatIfPath,
    );
  }

  reset(): void {
    this.requests.length = 0;
    this.batchRequests.length = 0;
    this.answered.length = 0;
    this.faults = [];
    this.policy = tapPolicy.microsoftDefaultTapPolicy();
    this.users.clear();
    this.groups.clear();
    this.pimSchedules.clear();
    this.audits.length = 0;
    this.caller = deploymentApp();
    this.auditLogForbidden = false;
    this.methodsListOmitsPassFields = false;
    this.conditionalAccessPolicies.length = 0;
    this.authenticationStrengths.clear();
    this.conditionalAccessForbidden = false;
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

  // ---- The tenant as a test sets it up: no Graph rules checked ----
  addGroup(group: { id?: string; displayName: string }): EmulatedGroup {
    return directory.addGroup(this, group);
  }

  /** Makes `childId` a member of `parentId`: the child's members become the parent's transitive members. */
  nestGroup(parentId: string, childId: string): void {
    directory.nestGroup(this, parentId, childId);
  }

  addUser(user: { id?: string; userPrincipalName: string; userType?: "Member" | "Guest" }): EmulatedUser {
    return directory.addUser(this, user);
  }

  /** Adds a membership that Graph's TAP service sees only after `replicationDelayMs`. */
  addMember(groupId: string, userId: string, replicationDelayMs = 0): void {
    directory.addMember(this, groupId, userId, replicationDelayMs);
  }

  /** A pass as if issued earlier (no rules checked), for passes that predate the test; a GET never shows its code. */
  addPass(userId: string, pass: userPasses.EarlierPass): EmulatedTap {
    return userPasses.addPass(this, userId, pass);
  }

  /** A sign-in with the user's pass. */
  signInWithTap(userId: string): void {
    userPasses.signInWithTap(this, userId);
  }

  /** The user registers a method (a passkey, Windows Hello...) at `at`, default now; the audit log records it. */
  registerMethod(userId: string, kind: authenticationMethods.RegistrableMethod, at?: number): EmulatedMethod {
    return authenticationMethods.registerMethod(this, userId, kind, at);
  }

  /** Gives the user a PIM membership as if assigned earlier (no rules checked). */
  addPimSchedule(
    schedule: Omit<EmulatedPimSchedule, "id" | "createdDateTime" | "justification">,
  ): EmulatedPimSchedule {
    return pimForGroups.addPimSchedule(this, schedule);
  }

  /** An administrator removes a PIM membership by hand (in PIM): the assignment and the membership it gave go. */
  removePimAssignment(groupId: string, principalId: string): void {
    pimForGroups.removePimAssignment(this, groupId, principalId);
  }
  // ---- end of the tenant's set-up ----

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
    const request = await this.received(req);
    const { method, path } = request;
    const fault = takeFault(this.faults, this.randomFaults, request, "request");
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

  /** Reads a request sent on its own (its body parsed as JSON where it is) and records it. */
  private async received(req: http.IncomingMessage): Promise<EmulatedRequest> {
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
    return {
      method,
      path,
      query: new URLSearchParams(query),
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
      ),
      body,
    };
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
    const refusal = batchRefusal(request, this.token);
    if (refusal) return refusal;
    const responses = [];
    for (const item of (request.body as { requests: BatchItem[] }).requests) {
      const answer = await this.batchItem(item, request.headers.authorization);
      if (answer === "reset") return "reset";
      responses.push({ id: item.id, status: answer.status, headers: answer.headers, body: answer.body });
    }
    return { status: 200, headers: { "content-type": "application/json" }, body: { responses } };
  }

  /** One request of a batch, answered as if sent on its own with the batch's `authorization`. */
  private async batchItem(
    item: BatchItem,
    authorization: string | undefined,
  ): Promise<CapturedAnswer | "reset"> {
    const sub = this.receivedInBatch(item, authorization);
    const fault = takeFault(this.faults, this.randomFaults, sub, "batchItem");
    if (fault?.reset) return "reset";
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.afterHandling) await this.route(sub);
    return fault?.status ? faultAnswer(fault) : (this.throttled() ?? (await this.route(sub)));
  }

  /** Reads a request of a batch (its url relative to `/v1.0`, its headers any case) and records it. */
  private receivedInBatch(item: BatchItem, authorization: string | undefined): EmulatedRequest {
    const [itemPath, itemQuery = ""] = String(item.url ?? "").split("?", 2);
    const path = `/v1.0${itemPath.startsWith("/") ? "" : "/"}${itemPath}`;
    const method = String(item.method ?? "GET").toUpperCase();
    this.batchRequests.push({
      method,
      path,
      query: itemQuery,
      body: item.body,
      authorization,
      at: Date.now(),
    });
    const headers = Object.fromEntries(
      Object.entries((item.headers ?? {}) as Record<string, unknown>).map(([k, v]) => [
        k.toLowerCase(),
        String(v),
      ]),
    );
    return {
      method,
      path,
      query: new URLSearchParams(itemQuery),
      headers: { ...headers, authorization },
      body: item.body,
    };
  }

  /** Checks the token, then hands the request to the first resource that serves its path; 404 when none does. */
  private async route(request: EmulatedRequest): Promise<CapturedAnswer> {
    try {
      if (request.headers.authorization !== `Bearer ${this.token}`) {
        throw new GraphHttpError(401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
      }
      const policyAnswer = tapPolicy.route(this, request);
      if (policyAnswer) return policyAnswer;
      pimForGroups.endSchedules(this);
      const linkOrigin = this.nextLinkOrigin ?? this.url;
      const answer =
        pimForGroups.route(this, request, linkOrigin) ??
        userPasses.route(this, request) ??
        authenticationMethods.route(this, request) ??
        auditLogs.route(this, request, linkOrigin) ??
        conditionalAccess.route(this, request) ??
        directory.route(this, request, linkOrigin);
      if (answer) return answer;
      throw new GraphHttpError(404, "Request_ResourceNotFound", `Resource '${request.path}' does not exist.`);
    } catch (error) {
      if (error instanceof GraphHttpError) return errorAnswer(error);
      throw error;
    }
  }
}
