// The provider plugin's resources as the program declares them: custom resources of `entra-tap`'s provider, each with
// its type token, its provider's version, and its lifecycle's outputs seeded. Their lifecycles (what the plugin runs)
// are in the files named after each resource, free of `@pulumi/pulumi` so that the plugin starts light.
import * as pulumi from "@pulumi/pulumi";
import type { HandoverRecipient } from "./handover";
import {
  type PimGroupMembershipInputs,
  pimGroupMembershipLifecycle,
  pimGroupMembershipType,
  type PimMembershipStatus,
} from "./pimGroupMembership";
import { providerVersion } from "./providerInputs";
import {
  type OnDestroy,
  type TapPolicyExcludeTarget,
  type TapPolicyIncludeTarget,
  tapPolicySettingKeys,
  type TapPolicySettings,
} from "./tapPolicySettings";
import {
  type TemporaryAccessPassPolicyDeclaration,
  temporaryAccessPassPolicyLifecycle,
  temporaryAccessPassPolicyType,
} from "./temporaryAccessPassPolicyConfiguration";
import {
  type TapStatus,
  type UserTemporaryAccessPassInputs,
  userTemporaryAccessPassLifecycle,
  userTemporaryAccessPassType,
} from "./userTemporaryAccessPass";

/** A resource's options, with the provider's version. */
function providerOptions(opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(opts, { version: providerVersion });
}

/**
 * A resource's props: its inputs, and every output seeded as undefined (Pulumi creates only the outputs that
 * are keys of the props).
 */
function withOutputSeeds<T extends object>(outputKeys: readonly string[], args: T): Record<string, unknown> {
  return { ...Object.fromEntries(outputKeys.map((key) => [key, undefined])), ...args };
}

type OptionalInputs<T> = { [K in keyof T]?: pulumi.Input<T[K]> };

/** Inputs of the resource: the declaration, each field an input (e.g. a group id from another resource). */
export interface TemporaryAccessPassPolicyConfigurationArgs extends OptionalInputs<
  Omit<TemporaryAccessPassPolicyDeclaration, "includeTargets" | "excludeTargets">
> {
  includeTargets: pulumi.Input<
    pulumi.Input<{ id: pulumi.Input<string>; isRegistrationRequired?: pulumi.Input<boolean> }>[]
  >;
  excludeTargets?: pulumi.Input<pulumi.Input<{ id: pulumi.Input<string> }>[]>;
}

/** The Graph object itself, type `entra-tap:graph:TemporaryAccessPassPolicy`. */
export class TemporaryAccessPassPolicyConfiguration extends pulumi.CustomResource {
  declare readonly state: pulumi.Output<TapPolicySettings["state"]>;
  declare readonly defaultLifetimeInMinutes: pulumi.Output<number>;
  declare readonly minimumLifetimeInMinutes: pulumi.Output<number>;
  declare readonly maximumLifetimeInMinutes: pulumi.Output<number>;
  declare readonly defaultLength: pulumi.Output<number>;
  declare readonly isUsableOnce: pulumi.Output<boolean>;
  declare readonly includeTargets: pulumi.Output<TapPolicyIncludeTarget[]>;
  declare readonly excludeTargets: pulumi.Output<TapPolicyExcludeTarget[]>;
  declare readonly onDestroy: pulumi.Output<OnDestroy>;
  declare readonly adoptedSettings: pulumi.Output<TapPolicySettings>;

  constructor(
    name: string,
    args: TemporaryAccessPassPolicyConfigurationArgs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    // Left-out inputs are outputs too, with check's defaults.
    super(
      temporaryAccessPassPolicyType,
      name,
      withOutputSeeds(
        [
          ...tapPolicySettingKeys,
          "onDestroy",
          "cloud",
          ...Object.keys(temporaryAccessPassPolicyLifecycle.outputs),
        ],
        args,
      ),
      providerOptions(opts),
    );
  }
}

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };
export type UserTemporaryAccessPassArgs = Inputs<
  Pick<
    UserTemporaryAccessPassInputs,
    "user" | "startDateTime" | "lifetimeInMinutes" | "isUsableOnce" | "grantExpiry"
  >
> &
  Partial<
    Inputs<
      Omit<
        UserTemporaryAccessPassInputs,
        "user" | "startDateTime" | "lifetimeInMinutes" | "isUsableOnce" | "grantExpiry"
      >
    >
  >;

/** A user's pass, type `entra-tap:graph:UserTemporaryAccessPass`; the passcode is a secret output. */
export class UserTemporaryAccessPass extends pulumi.CustomResource {
  declare readonly methodId: pulumi.Output<string>;
  declare readonly temporaryAccessPass: pulumi.Output<string | null>;
  declare readonly sealedPasscode: pulumi.Output<string | null>;
  declare readonly sealedTo: pulumi.Output<HandoverRecipient[]>;
  declare readonly passStartDateTime: pulumi.Output<string>;
  declare readonly passEndDateTime: pulumi.Output<string>;
  declare readonly isUsable: pulumi.Output<boolean>;
  declare readonly methodUsabilityReason: pulumi.Output<string | null>;
  declare readonly status: pulumi.Output<TapStatus>;
  declare readonly registrationWarnings: pulumi.Output<string[] | undefined>;

  constructor(name: string, args: UserTemporaryAccessPassArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      userTemporaryAccessPassType,
      name,
      withOutputSeeds(Object.keys(userTemporaryAccessPassLifecycle.outputs), args),
      pulumi.mergeOptions(providerOptions(opts), { additionalSecretOutputs: ["temporaryAccessPass"] }),
    );
  }
}

export type PimGroupMembershipArgs = Inputs<Omit<PimGroupMembershipInputs, "cloud">> &
  Partial<Inputs<Pick<PimGroupMembershipInputs, "cloud">>>;

/** A time-bound member assignment through PIM for Groups, type `entra-tap:graph:PimGroupMembership`. */
export class PimGroupMembership extends pulumi.CustomResource {
  declare readonly scheduleId: pulumi.Output<string>;
  declare readonly scheduleStartDateTime: pulumi.Output<string>;
  declare readonly endDateTime: pulumi.Output<string>;
  declare readonly status: pulumi.Output<PimMembershipStatus>;

  constructor(name: string, args: PimGroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      pimGroupMembershipType,
      name,
      withOutputSeeds(Object.keys(pimGroupMembershipLifecycle.outputs), args),
      providerOptions(opts),
    );
  }
}
