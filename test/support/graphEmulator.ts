// A local Microsoft Graph for tests: a real HTTP server on 127.0.0.1 that enforces Graph's rules for the
// endpoints entra-tap uses, injects faults on demand and records every request.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

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

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

/** A fault applied to the next `times` requests that match `method` and `path`. */
export interface Fault {
  method?: string;
  path?: string | RegExp;
  times?: number;
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
  readonly requests: RecordedRequest[] = [];
  policy: EmulatedTapPolicy = microsoftDefaultTapPolicy();
  readonly users = new Map<string, EmulatedUser>();
  /** The signed-in caller; Graph refuses to issue a pass to oneself. */
  callerId = "0c6e7d2a-5b4f-4e3a-9d8c-7b6a5f4e3d2c";
  /** The emulator's clock, so tests can move time (expiry) without waiting. */
  now: () => number = () => Date.now();
  private faults: (Fault & { remaining: number })[] = [];

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

  /** Requests that change something (anything but GET). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  reset(): void {
    this.requests.length = 0;
    this.faults = [];
    this.policy = microsoftDefaultTapPolicy();
    this.users.clear();
    this.now = () => Date.now();
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

  /** A sign-in with the user's pass. */
  signInWithTap(userId: string): void {
    const tap = this.user(userId)?.tap;
    if (tap) tap.used = true;
  }

  private user(idOrUpn: string): EmulatedUser | undefined {
    const key = decodeURIComponent(idOrUpn).toLowerCase();
    return [...this.users.values()].find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = (req.url ?? "/").split("?")[0];
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const method = req.method ?? "GET";
    this.requests.push({ method, path, body, authorization: req.headers.authorization });

    const fault = this.takeFault(method, path);
    if (fault?.afterHandling) {
      // The answer goes nowhere: the fault below is what the client sees.
      const discarded = {
        writeHead: () => discarded,
        end: () => discarded,
      } as unknown as http.ServerResponse;
      await this.route(req, method, path, body, discarded);
    }
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (res.destroyed) return;
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      const headers = fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter };
      const code = fault.code ?? faultCodes[fault.status] ?? "UnknownError";
      return sendError(
        res,
        new GraphHttpError(fault.status, code, `Injected fault ${fault.status}`),
        headers,
      );
    }

    return this.route(req, method, path, body, res);
  }

  private async route(
    req: http.IncomingMessage,
    method: string,
    path: string,
    body: unknown,
    res: http.ServerResponse,
  ): Promise<void> {
    try {
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        throw new GraphHttpError(401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
      }
      if (path === tapPolicyPath) return this.tapPolicy(method, body, res);
      const tapMethods =
        /^\/v1\.0\/users\/([^/]+)\/authentication\/temporaryAccessPassMethods(?:\/([^/]+))?$/.exec(path);
      if (tapMethods) return this.tapMethods(method, tapMethods[1], tapMethods[2], body, res);
      const revoke = /^\/v1\.0\/users\/([^/]+)\/revokeSignInSessions$/.exec(path);
      if (revoke && method === "POST") {
        const user = this.requireUser(revoke[1]);
        user.sessionsRevokedAt = new Date(this.now()).toISOString();
        return sendJson(res, 200, {
          "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean",
          value: true,
        });
      }
      throw new GraphHttpError(404, "Request_ResourceNotFound", `Resource '${path}' does not exist.`);
    } catch (error) {
      if (error instanceof GraphHttpError) return sendError(res, error);
      throw error;
    }
  }

  private tapPolicy(method: string, body: unknown, res: http.ServerResponse): void {
    switch (method) {
      case "GET":
        return sendJson(res, 200, {
          "@odata.context":
            "https://graph.microsoft.com/v1.0/$metadata#authenticationMethodConfigurations/$entity",
          "@odata.type": tapPolicyODataType,
          id: "TemporaryAccessPass",
          ...structuredClone(this.policy),
        });
      case "PATCH":
        this.policy = validatedPatch(this.policy, body);
        res.writeHead(204).end();
        return;
      case "DELETE":
        this.policy = microsoftDefaultTapPolicy();
        res.writeHead(204).end();
        return;
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
    res: http.ServerResponse,
  ): void {
    const user = this.requireUser(idOrUpn);
    if (method === "POST" && !methodId) {
      const tap = this.issueTap(user, (body ?? {}) as Record<string, unknown>);
      return sendJson(res, 201, {
        "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
        ...this.view(tap, true),
      });
    }
    if (method === "GET" && !methodId) {
      return sendJson(res, 200, { value: user.tap ? [this.view(user.tap, false)] : [] });
    }
    if (!user.tap || user.tap.id !== methodId) {
      throw new GraphHttpError(404, "itemNotFound", "The requested authentication method was not found.");
    }
    if (method === "GET") return sendJson(res, 200, this.view(user.tap, false));
    if (method === "DELETE") {
      user.tap = undefined;
      res.writeHead(204).end();
      return;
    }
    throw new GraphHttpError(405, "Request_BadRequest", `Method ${method} is not allowed here.`);
  }

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
        400,
        "badRequest",
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

  private takeFault(method: string, path: string): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method === method) &&
        (!f.path || (typeof f.path === "string" ? f.path === path : f.path.test(path))),
    );
    if (fault) fault.remaining -= 1;
    return fault;
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

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": randomUUID(), ...headers });
  res.end(JSON.stringify(body));
}

function sendError(
  res: http.ServerResponse,
  error: GraphHttpError,
  headers: http.OutgoingHttpHeaders = {},
): void {
  sendJson(
    res,
    error.status,
    { error: { code: error.code, message: error.message, innerError: { date: new Date().toISOString() } } },
    headers,
  );
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
