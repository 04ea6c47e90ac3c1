// The tenant's Temporary Access Pass policy (a Graph singleton) as a Pulumi component over its resource in entra-tap's provider plugin.
import * as pulumi from "@pulumi/pulumi";
import type { TapPolicyExcludeTarget, TapPolicyIncludeTarget, TapPolicySettings } from "./tapPolicySettings";
import {
  TemporaryAccessPassPolicyConfiguration,
  type TemporaryAccessPassPolicyConfigurationArgs,
} from "./graphResources";
import { componentType } from "./providerInputs";

export type TemporaryAccessPassPolicyArgs = TemporaryAccessPassPolicyConfigurationArgs;

/** The tenant's Temporary Access Pass policy, adopted on create and restored (by default) on destroy. */
export class TemporaryAccessPassPolicy extends pulumi.ComponentResource {
  readonly configuration: TemporaryAccessPassPolicyConfiguration;
  readonly state: pulumi.Output<TapPolicySettings["state"]>;
  readonly minimumLifetimeInMinutes: pulumi.Output<number>;
  readonly maximumLifetimeInMinutes: pulumi.Output<number>;
  readonly defaultLifetimeInMinutes: pulumi.Output<number>;
  readonly defaultLength: pulumi.Output<number>;
  readonly isUsableOnce: pulumi.Output<boolean>;
  readonly includeTargets: pulumi.Output<TapPolicyIncludeTarget[]>;
  readonly excludeTargets: pulumi.Output<TapPolicyExcludeTarget[]>;

  constructor(name: string, args: TemporaryAccessPassPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("TemporaryAccessPassPolicy"), name, {}, opts);
    // Aliased to the stack's root, where `pulumi import` puts the policy it reads: the import becomes this resource.
    this.configuration = new TemporaryAccessPassPolicyConfiguration(name, args, {
      parent: this,
      aliases: [{ parent: pulumi.rootStackResource }],
    });
    this.state = this.configuration.state;
    this.minimumLifetimeInMinutes = this.configuration.minimumLifetimeInMinutes;
    this.maximumLifetimeInMinutes = this.configuration.maximumLifetimeInMinutes;
    this.defaultLifetimeInMinutes = this.configuration.defaultLifetimeInMinutes;
    this.defaultLength = this.configuration.defaultLength;
    this.isUsableOnce = this.configuration.isUsableOnce;
    this.includeTargets = this.configuration.includeTargets;
    this.excludeTargets = this.configuration.excludeTargets;
    this.registerOutputs({
      state: this.state,
      minimumLifetimeInMinutes: this.minimumLifetimeInMinutes,
      maximumLifetimeInMinutes: this.maximumLifetimeInMinutes,
      defaultLifetimeInMinutes: this.defaultLifetimeInMinutes,
      defaultLength: this.defaultLength,
      isUsableOnce: this.isUsableOnce,
      includeTargets: this.includeTargets,
      excludeTargets: this.excludeTargets,
    });
  }
}
