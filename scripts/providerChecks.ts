// The provider plugin's `check`, run on what the program declares, as the engine runs it before registering a
// resource: the offline plan refuses what `pulumi preview` refuses. The plan has no state, so it checks each resource
// as new (as a preview of a new stack does) and says which refusals a stack that already holds it would not make.
import * as pulumi from "@pulumi/pulumi";
import type { CheckResult } from "@pulumi/pulumi/provider";
import { checkPimGroupMembership, pimGroupMembershipType } from "../components/pimGroupMembership";
import { graphResourceType } from "../components/providerInputs";
import { maskSecretShapedText } from "../components/validation";
import { lifecycles } from "../provider/entraTapProvider";
import { type DeclaredResource, mapEngineValues } from "./declaredResources";

type Check = (
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  now: number,
) => Promise<CheckResult>;

/**
 * A type's check at an instant: the provider's own, or, for a provider whose check reads the clock, the same check at
 * the instant the plan judges the stack (the program judged its declarations there too).
 */
function checkOf(type: string): Check | undefined {
  if (type === pimGroupMembershipType) return checkPimGroupMembership;
  const lifecycle = lifecycles[type];
  return lifecycle && ((olds, news) => lifecycle.check(olds, news));
}

export interface CheckOutcome {
  /** One message per refusal: the resource, then the provider's reason. */
  failures: string[];
  /** Refusals that depend on the stack's state: a stack that already holds the resource would accept it. */
  stateDependent: string[];
}

/**
 * What the plan shows for a user's object id, which only the directory knows: at preview, the look-up returns the real
 * one. The checks see it as unknown, as they would see any value the plan cannot know.
 */
export function lookedUpObjectId(userPrincipalName: string): string {
  return `(object id of ${userPrincipalName})`;
}
const lookedUpObjectIdText = /^\(object id of [^()]+\)$/;

/** Inputs as the engine hands them to the provider: secrets as their values, unknowns as the engine's marker. */
function engineInputs(resource: DeclaredResource): Record<string, unknown> {
  const inputs = mapEngineValues(resource.inputs, (value) => value, pulumi.runtime.unknownValue);
  return Object.fromEntries(
    Object.entries(inputs).map(([key, value]) => [
      key,
      typeof value === "string" && lookedUpObjectIdText.test(value) ? pulumi.runtime.unknownValue : value,
    ]),
  );
}

/**
 * Runs each provider resource's check as the engine would for a new stack, or, with `existingStack`, as an update of a
 * stack that already holds every resource (then refusals of new resources only, such as a grant already ended, are
 * not made).
 */
export async function checkProviderResources(
  resources: readonly DeclaredResource[],
  existingStack = false,
  now: number = Date.now(),
): Promise<CheckOutcome> {
  const outcome: CheckOutcome = { failures: [], stateDependent: [] };
  for (const resource of resources) {
    if (!resource.type.startsWith(graphResourceType(""))) continue;
    const check = checkOf(resource.type);
    // A type the plugin does not serve: skipping its check silently would let the plan approve what preview refuses.
    if (!check) throw new Error(`the offline plan has no provider check for ${resource.type}`);
    const news = engineInputs(resource);
    const asNew = await check(existingStack ? news : {}, news, now);
    if (!asNew.failures?.length) continue;
    for (const failure of asNew.failures) {
      outcome.failures.push(maskSecretShapedText(`${resource.name}: ${failure.reason}`));
    }
    // The same inputs checked as an update of what the stack would already hold.
    const asExisting = existingStack ? asNew : await check(news, news, now);
    if (!asExisting.failures?.length) {
      outcome.stateDependent.push(
        `${resource.name}: refused as a new resource, as \`pulumi preview\` of a new stack refuses it; a stack that ` +
          `already holds ${resource.name} accepts it (the offline plan has no state: --existing-stack plans it as held)`,
      );
    }
  }
  return outcome;
}
