// entra-tap's provider: each resource's lifecycle (components/), picked by the type in the URN, its version and its
// schema. The engine starts this code for every operation, so each runs the provider of the checkout it runs from:
// nothing of it is kept in the state, and a fix reaches every resource at the next command.
import type * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/pulumi/provider";
import { pimGroupMembershipLifecycle, pimGroupMembershipType } from "../components/pimGroupMembership";
import { providerVersion, type ResourceLifecycle } from "../components/providerInputs";
import {
  temporaryAccessPassPolicyLifecycle,
  temporaryAccessPassPolicyType,
} from "../components/temporaryAccessPassPolicyConfiguration";
import {
  userTemporaryAccessPassLifecycle,
  userTemporaryAccessPassType,
} from "../components/userTemporaryAccessPass";
import { providerSchema } from "./schema";

/** Each resource type of the provider, and its lifecycle. */
export const lifecycles: Readonly<Record<string, ResourceLifecycle>> = {
  [temporaryAccessPassPolicyType]: temporaryAccessPassPolicyLifecycle,
  [userTemporaryAccessPassType]: userTemporaryAccessPassLifecycle,
  [pimGroupMembershipType]: pimGroupMembershipLifecycle,
};

/** The lifecycle of the resource `urn` names (`urn:pulumi:<stack>::<project>::<parent types$>type::<name>`). */
function lifecycleOf(urn: pulumi.URN): ResourceLifecycle {
  const type = urn.split("::")[2]?.split("$").pop() ?? "";
  const lifecycle = lifecycles[type];
  if (!lifecycle) {
    throw new Error(
      `entra-tap's provider has no resource of type ${JSON.stringify(type)} (known: ${Object.keys(lifecycles).join(", ")})`,
    );
  }
  return lifecycle;
}

export const entraTapProvider: Provider = {
  version: providerVersion,
  getSchema: async () => JSON.stringify(providerSchema(lifecycles)),
  check: async (urn, olds, news) => lifecycleOf(urn).check(olds, news),
  diff: async (id, urn, olds, news) => lifecycleOf(urn).diff(id, olds, news),
  create: async (urn, inputs) => lifecycleOf(urn).create(inputs),
  read: async (id, urn, props) => lifecycleOf(urn).read(id, props),
  update: async (id, urn, olds, news) => lifecycleOf(urn).update(id, olds, news),
  delete: async (id, urn, props) => lifecycleOf(urn).delete(id, props),
};
