// Conditional Access's What If evaluation as Graph v1.0 documents it (`POST /identity/conditionalAccess/evaluate`,
// conditionalaccessroot-evaluate): for a user's sign-in context, every policy of the tenant with `policyApplies` and
// `analysisReasons`, its authentication strength given whole (allowed combinations included), and report-only policies
// evaluated like the others (the caller tells them by `state`). What the emulator evaluates: users (all, by id, by
// group with nested groups, exclusions; directory roles never apply, no emulated user holds one), the user action
// (`urn:user:registersecurityinfo`) or all resources, and a location condition, which a request without a country
// or an IP address cannot settle (`notEnoughInformation`). Policy.Read.ConditionalAccess is needed:
// `conditionalAccessForbidden` plays a caller without it.
import { findUser, nestedClosure } from "./directory";
import { type CapturedAnswer, type EmulatedRequest, GraphHttpError, jsonAnswer } from "./http";
import type { EmulatedCaPolicy, EmulatedTenant, EmulatedUser } from "./model";

export const whatIfPath = "/v1.0/identity/conditionalAccess/evaluate";

/** The user actions What If takes, and the name a policy gives each. */
const userActions: Record<string, string> = {
  registerSecurityInformation: "urn:user:registersecurityinfo",
  registerOrJoinDevices: "urn:user:registerdevice",
};

interface EvaluateRequest {
  signInIdentity?: { "@odata.type"?: unknown; userId?: unknown };
  signInContext?: { "@odata.type"?: unknown; userAction?: unknown };
  signInConditions?: { country?: unknown; ipAddress?: unknown };
  appliedPoliciesOnly?: unknown;
}

function badRequest(message: string): never {
  throw new GraphHttpError(400, "BadRequest", message);
}

function inGroup(tenant: EmulatedTenant, user: EmulatedUser, groupId: string): boolean {
  const closure = nestedClosure(tenant, groupId.toLowerCase());
  return [...user.memberOf.keys()].some((g) => closure.has(g));
}

/** Why the policy does not apply ("notSet" when it does). */
function analysisReason(
  tenant: EmulatedTenant,
  policy: EmulatedCaPolicy,
  user: EmulatedUser,
  action: string,
  conditions: EvaluateRequest["signInConditions"],
): string {
  const users = policy.conditions.users;
  const excluded =
    users.excludeUsers.includes(user.id) || users.excludeGroups.some((g) => inGroup(tenant, user, g));
  const included =
    users.includeUsers.includes("All") ||
    users.includeUsers.includes(user.id) ||
    users.includeGroups.some((g) => inGroup(tenant, user, g));
  if (excluded || !included) return "users";
  const apps = policy.conditions.applications;
  if (!apps.includeUserActions.includes(action) && !apps.includeApplications.includes("All"))
    return "userActions";
  if (policy.conditions.locations && conditions?.country === undefined && conditions?.ipAddress === undefined)
    return "notEnoughInformation";
  return "notSet";
}

/** The user and the user action a request evaluates, refused as Graph refuses a request without them. */
function evaluatedSignIn(
  tenant: EmulatedTenant,
  body: EvaluateRequest,
): { user: EmulatedUser; action: string } {
  const identity = body.signInIdentity;
  if (identity?.["@odata.type"] !== "#microsoft.graph.userSignIn" || typeof identity.userId !== "string")
    badRequest("signInIdentity must be a #microsoft.graph.userSignIn with a userId.");
  const context = body.signInContext;
  const action = typeof context?.userAction === "string" ? userActions[context.userAction] : undefined;
  if (context?.["@odata.type"] !== "#microsoft.graph.userActionContext" || !action)
    badRequest("signInContext must be a #microsoft.graph.userActionContext with a known userAction.");
  if (typeof body.signInConditions !== "object" || body.signInConditions === null)
    badRequest("signInConditions is required.");
  // What If names the user by object id only.
  const user = findUser(tenant, identity.userId);
  if (!user || user.id !== identity.userId)
    throw new GraphHttpError(404, "Request_ResourceNotFound", `User '${identity.userId}' does not exist.`);
  return { user, action };
}

/** The answer to a What If evaluation, or undefined for another path. */
export function route(tenant: EmulatedTenant, request: EmulatedRequest): CapturedAnswer | undefined {
  if (request.path !== "/v1.0/identity/conditionalAccess/evaluate" || request.method !== "POST")
    return undefined;
  if (tenant.conditionalAccessForbidden) {
    throw new GraphHttpError(
      403,
      "AccessDenied",
      "You cannot perform the requested operation, required scopes are missing in the token.",
    );
  }
  const body = (request.body ?? {}) as EvaluateRequest;
  const { user, action } = evaluatedSignIn(tenant, body);

  const results = tenant.conditionalAccessPolicies.map((policy) => {
    const reason = analysisReason(tenant, policy, user, action, body.signInConditions);
    const strength = policy.grantControls?.authenticationStrength;
    return {
      ...policy,
      grantControls: policy.grantControls && {
        ...policy.grantControls,
        // Given whole, as the strength's own resource is.
        authenticationStrength: strength ? (tenant.authenticationStrengths.get(strength.id) ?? null) : null,
      },
      policyApplies: reason === "notSet",
      analysisReasons: reason,
    };
  });
  const value = body.appliedPoliciesOnly === true ? results.filter((r) => r.policyApplies) : results;
  return jsonAnswer(200, {
    "@odata.context":
      "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.whatIfAnalysisResult)",
    value,
  });
}
