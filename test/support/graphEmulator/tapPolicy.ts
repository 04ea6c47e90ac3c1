// The TAP policy as Graph serves it: its path, GET, PATCH (Graph's rules for a change) and DELETE (a reset to
// Microsoft's defaults).
import { type CapturedAnswer, type EmulatedRequest, GraphHttpError, jsonAnswer, noContent } from "./http";
import type { EmulatedTapPolicy, EmulatedTarget, EmulatedTenant } from "./model";

export const tapPolicyPath =
  "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass";
export const tapPolicyODataType = "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration";

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

/** The answer to a request for the policy, or undefined when it is for something else. */
export function route(tenant: EmulatedTenant, request: EmulatedRequest): CapturedAnswer | undefined {
  if (request.path !== tapPolicyPath) return undefined;
  switch (request.method) {
    case "GET":
      return jsonAnswer(200, {
        "@odata.context":
          "https://graph.microsoft.com/v1.0/$metadata#authenticationMethodConfigurations/$entity",
        "@odata.type": tapPolicyODataType,
        id: "TemporaryAccessPass",
        ...structuredClone(tenant.policy),
      });
    case "PATCH":
      tenant.policy = validatedPatch(tenant.policy, request.body);
      return noContent();
    case "DELETE":
      tenant.policy = microsoftDefaultTapPolicy();
      return noContent();
    default:
      throw new GraphHttpError(405, "Request_BadRequest", `Method ${request.method} is not allowed here.`);
  }
}

/** Applies a PATCH the way Graph does: @odata.type required, fields left out kept, collections whole, ranges checked. */
function validatedPatch(current: EmulatedTapPolicy, body: unknown): EmulatedTapPolicy {
  const policy = patched(current, body);
  const problems = policyProblems(policy);
  if (problems.length > 0) {
    throw new GraphHttpError(
      400,
      "badRequest",
      `Invalid temporaryAccessPass configuration: ${problems.join("; ")}`,
    );
  }
  return policy;
}

/** The policy with the patch's fields in place, before its values are checked. */
function patched(current: EmulatedTapPolicy, body: unknown): EmulatedTapPolicy {
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
  return next as unknown as EmulatedTapPolicy;
}

function policyProblems(policy: EmulatedTapPolicy): string[] {
  const problems: string[] = [];
  if (policy.state !== "enabled" && policy.state !== "disabled") problems.push(`state '${policy.state}'`);
  problems.push(...lifetimeProblems(policy));
  if (!Number.isInteger(policy.defaultLength) || policy.defaultLength < 8 || policy.defaultLength > 48) {
    problems.push(`defaultLength ${policy.defaultLength} not in 8..48`);
  }
  if (typeof policy.isUsableOnce !== "boolean") problems.push("isUsableOnce must be a boolean");
  problems.push(...targetProblems("includeTargets", policy.includeTargets, true));
  problems.push(...targetProblems("excludeTargets", policy.excludeTargets, false));
  return problems;
}

function lifetimeProblems(policy: EmulatedTapPolicy): string[] {
  const problems: string[] = [];
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
  return problems;
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
