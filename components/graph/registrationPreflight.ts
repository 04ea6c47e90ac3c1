// Whether a pass would be useless for the registration it is for, as far as Graph can tell beforehand: an enabled
// Conditional Access policy that applies when the user registers security information and blocks it, or requires an
// authentication strength without a Temporary Access Pass of the pass's kind; and, for an onboarding, a
// phishing-resistant method the user already has. Conditional Access is asked through its What If evaluation, which
// Graph v1.0 documents (`POST /identity/conditionalAccess/evaluate`, conditionalaccessroot-evaluate; least privilege
// Policy.Read.ConditionalAccess), for the user action `registerSecurityInformation`. What cannot be read is said,
// never guessed; an answer in a shape entra-tap does not know fails the preflight loudly (docs/monitoring.md).
import { isOnboardingPurpose, type GrantPurpose } from "../passBootstrap";
import { readUsersMethods } from "./authenticationMethods";
import type { GraphClient } from "./client";
import { isGraphRequestError } from "./errors";
import { isObjectId } from "../validation";

/** The allowed combinations that mean a Temporary Access Pass, by the pass's kind. */
const passCombinations = {
  oneTime: "temporaryAccessPassOneTime",
  multiUse: "temporaryAccessPassMultiUse",
};

/** A whatIfAnalysisResult: a conditionalAccessPolicy with whether it applies to the evaluated sign-in, and why not. */
interface WhatIfResult {
  id?: string;
  displayName?: string;
  state?: string;
  policyApplies?: boolean;
  /** A flags enum: one or more of notEnoughInformation, users, userActions, location, ... (comma-separated). */
  analysisReasons?: string;
  grantControls?: {
    builtInControls?: string[] | null;
    authenticationStrength?: { id?: string; displayName?: string; allowedCombinations?: string[] } | null;
  } | null;
}

export interface PreflightSubject {
  /** The user, by user principal name or object id. */
  user: string;
  isUsableOnce: boolean;
  purpose: GrantPurpose | undefined;
  /** Methods registered after this time are the pass's doing, not ones the user already had. */
  passStart: string;
}

/** What If's answer for the user registering security information, with no details of a sign-in still to come. */
async function evaluateRegistration(graph: GraphClient, userId: string): Promise<WhatIfResult[]> {
  const answer = await graph.post<{ value?: WhatIfResult[]; "@odata.nextLink"?: string }>(
    `Evaluate Conditional Access for registering security info (${userId})`,
    "/identity/conditionalAccess/evaluate",
    {
      signInIdentity: { "@odata.type": "#microsoft.graph.userSignIn", userId },
      signInContext: {
        "@odata.type": "#microsoft.graph.userActionContext",
        userAction: "registerSecurityInformation",
      },
      // Where and on what the pass will be used is not known yet: a policy that depends on it is "may require".
      signInConditions: {},
      appliedPoliciesOnly: false,
    },
    // An evaluation, though a POST: sending it again changes nothing.
    { idempotent: true },
  );
  const value = answer.body?.value;
  if (!Array.isArray(value) || answer.body?.["@odata.nextLink"] !== undefined) {
    throw new Error(
      "Conditional Access's What If answered in a shape entra-tap does not know (no value list, or pages): " +
        "docs/monitoring.md, Preflight of the registration path",
    );
  }
  return value;
}

/** Whether a policy applies to registering security info: surely, perhaps (What If lacked details), or not. */
function applies(result: WhatIfResult): "surely" | "perhaps" | "no" {
  if (result.policyApplies === true) return "surely";
  const reasons = (result.analysisReasons ?? "").split(",").map((reason) => reason.trim());
  return reasons.includes("notEnoughInformation") ? "perhaps" : "no";
}

/** Whether a policy's grant keeps the pass from registering: it blocks, or its strength leaves the pass out. */
function stopsThePass(result: WhatIfResult, combination: string): "blocks" | "strength" | undefined {
  const controls = result.grantControls;
  if ((controls?.builtInControls ?? []).includes("block")) return "blocks";
  const strength = controls?.authenticationStrength;
  if (!strength) return undefined;
  if (!Array.isArray(strength.allowedCombinations)) {
    throw new Error(
      `What If gave authentication strength ${JSON.stringify(strength.displayName ?? strength.id)} without its ` +
        "allowedCombinations: docs/monitoring.md, Preflight of the registration path",
    );
  }
  return strength.allowedCombinations.includes(combination) ? undefined : "strength";
}

/** Why a policy would stop the pass, or undefined when it would not. */
function refusal(result: WhatIfResult, combination: string, kind: string): string | undefined {
  const how = stopsThePass(result, combination);
  const certainty = applies(result);
  if (!how || certainty === "no") return undefined;
  const name = JSON.stringify(result.displayName ?? result.id);
  const perhaps = certainty === "perhaps";
  const because = perhaps ? " (it depends on where and how the pass is used)" : "";
  if (how === "blocks") {
    return `Conditional Access policy ${name} ${perhaps ? "may block" : "blocks"} registering security info${because}: the pass cannot register a method`;
  }
  const strength = result.grantControls?.authenticationStrength;
  return (
    `Conditional Access policy ${name} ${perhaps ? "may require" : "requires"} ` +
    `${JSON.stringify(strength?.displayName ?? strength?.id)} to register security info${because}, which does not ` +
    `allow a ${kind} Temporary Access Pass (${combination}): the pass cannot register a method`
  );
}

/** The user's object id, which What If names the user by: read only when the grant names the user otherwise. */
async function objectId(graph: GraphClient, user: string): Promise<string> {
  if (isObjectId(user)) return user;
  const found = await graph.get<{ id?: string }>(
    `Read user ${user}`,
    `/users/${encodeURIComponent(user)}?$select=id`,
  );
  const id = found.body?.id;
  if (!id) throw new Error(`Graph answered without the id of user ${JSON.stringify(user)}`);
  return id;
}

/** The Conditional Access policies' reasons why the pass could not register security info. */
async function conditionalAccessReasons(graph: GraphClient, subject: PreflightSubject): Promise<string[]> {
  const userId = await objectId(graph, subject.user);
  let results: WhatIfResult[];
  try {
    results = await evaluateRegistration(graph, userId);
  } catch (error) {
    if (isGraphRequestError(error) && (error.status === 401 || error.status === 403)) {
      return [
        "the registration path was not checked: Conditional Access's What If needs Policy.Read.ConditionalAccess " +
          `(${error.message})`,
      ];
    }
    throw error;
  }
  const combination = subject.isUsableOnce ? passCombinations.oneTime : passCombinations.multiUse;
  const kind = subject.isUsableOnce ? "one-time" : "multi-use";
  // Report-only policies are evaluated too; only the enforced ones can stop a pass.
  return results
    .filter((result) => result.state === "enabled")
    .flatMap((result) => refusal(result, combination, kind) ?? []);
}

/** Every reason, as far as Graph tells, that the pass would not do what it is for; [] when none is found. */
export async function registrationPreflight(
  graph: GraphClient,
  subject: PreflightSubject,
): Promise<string[]> {
  const reasons = await conditionalAccessReasons(graph, subject);
  if (isOnboardingPurpose(subject.purpose)) {
    let read;
    try {
      [read] = await readUsersMethods(graph, [{ id: subject.user, name: subject.user }]);
    } catch (error) {
      if (!(error instanceof Error) || !/HTTP 40[13]/.test(error.message)) throw error;
      reasons.push(
        "the user's existing methods were not checked: reading them needs UserAuthenticationMethod.Read.All " +
          `(${error.message})`,
      );
      return reasons;
    }
    const before = read.phishingResistant.filter(
      (m) => m.createdDateTime !== null && Date.parse(m.createdDateTime) < Date.parse(subject.passStart),
    );
    if (before.length > 0) {
      reasons.push(
        `the user already has ${before.map((m) => `${m.name} (registered ${m.createdDateTime})`).join(", ")}: ` +
          "an onboarding pass may not be needed",
      );
    }
  }
  return reasons;
}
