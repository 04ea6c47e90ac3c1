// The TAP policy's dynamic provider, `pulumi-nodejs:dynamic/entra:TemporaryAccessPassPolicy`: its lifecycle, which
// adopts the tenant's policy on create and does what `onDestroy` says on delete. How the policy is read and written in
// Graph (GET, PATCH with `@odata.type`, DELETE resets) is graph/tapPolicy.ts's.
import * as pulumi from "@pulumi/pulumi";
import type { GraphCloud } from "./graph/clouds";
import * as graphClient from "./graph/client";
import * as graphClouds from "./graph/clouds";
import * as graphTapPolicy from "./graph/tapPolicy";
import type {
  OnDestroy,
  TapPolicyExcludeTarget,
  TapPolicyIncludeTarget,
  TapPolicySettings,
} from "./tapPolicySettings";
import * as tapPolicySettings from "./tapPolicySettings";
import * as providerInputs from "./providerInputs";
import * as validation from "./validation";

// Bound here rather than used through their modules, so that Pulumi serializes into the provider's code the functions
// it reaches and not every export of every module it imports (as in userTemporaryAccessPass.ts).
const { graphClientFromEnvironment } = graphClient;
const { graphCloudNames } = graphClouds;
const { disableTapPolicy, patchTapPolicy, readTapPolicy, resetTapPolicy, tapPolicyId } = graphTapPolicy;
const { checkTapPolicyRelations, tapPolicyDefaults, tapPolicySettingKeys, tapPolicyShape } =
  tapPolicySettings;
const { checkInputs, dynamicTypeModule, withOutputSeeds } = providerInputs;
const { oneOf, strictObject } = validation;

/**
 * The dynamic resource's inputs: the declaration plus the cloud its Graph calls go to, with its targets complete
 * (the config's own plus the audience's groups), so an enabled policy must have one.
 */
function tapPolicyInputsSchema() {
  return strictObject({
    ...tapPolicyShape(),
    cloud: oneOf(graphCloudNames as [GraphCloud, ...GraphCloud[]]).default(tapPolicyDefaults.cloud),
  }).superRefine((policy, ctx) => {
    checkTapPolicyRelations(policy, ctx);
    if (policy.state === "enabled" && policy.includeTargets.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["includeTargets"],
        input: policy.includeTargets,
        message: "at least one target while state is enabled",
      });
    }
  });
}

/** The policy as declared: settings plus where it lives and what destroy does. */
export type TemporaryAccessPassPolicyDeclaration = TapPolicySettings & {
  onDestroy: OnDestroy;
  cloud: GraphCloud;
};

/** Compares two policies field by field; target lists compare as sets. Returns the fields that differ. */
export function changedTapPolicySettings(
  from: Partial<TapPolicySettings>,
  to: Partial<TapPolicySettings>,
): (keyof TapPolicySettings)[] {
  return tapPolicySettingKeys.filter((key) => {
    if (key === "includeTargets" || key === "excludeTargets") {
      return targetSetKey(from[key]) !== targetSetKey(to[key]);
    }
    return from[key] !== to[key];
  });
}

function targetSetKey(targets: (TapPolicyIncludeTarget | TapPolicyExcludeTarget)[] | undefined): string {
  return (targets ?? [])
    .map((t) => {
      const type = t.targetType ?? "group";
      return "isRegistrationRequired" in t
        ? `${type}:${t.id}:${t.isRegistrationRequired}`
        : `${type}:${t.id}`;
    })
    .sort()
    .join(",");
}

function pickSettings(source: TapPolicySettings): TapPolicySettings {
  return Object.fromEntries(
    tapPolicySettingKeys.map((key) => [key, source[key]]),
  ) as unknown as TapPolicySettings;
}

/** The dynamic resource's inputs (after `check`) and outputs. */
export interface TapPolicyState extends TemporaryAccessPassPolicyDeclaration {
  /** The tenant's policy as found when entra-tap adopted it: what `onDestroy: restore` puts back. */
  adoptedSettings: TapPolicySettings;
}

export const temporaryAccessPassPolicyProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    return checkInputs(tapPolicyInputsSchema(), news, "policy");
  },

  async diff(_id: string, olds: TapPolicyState, news: TapPolicyState): Promise<pulumi.dynamic.DiffResult> {
    const changed: string[] = changedTapPolicySettings(olds, news);
    if (olds.onDestroy !== news.onDestroy) changed.push("onDestroy");
    const replaces = olds.cloud !== news.cloud ? ["cloud"] : [];
    return {
      changes: changed.length + replaces.length > 0,
      stables: changed.length + replaces.length > 0 ? [] : [...tapPolicySettingKeys],
      replaces,
      // One policy per tenant: the old one must be let go before a new one is adopted.
      deleteBeforeReplace: true,
    };
  },

  async create(inputs: TemporaryAccessPassPolicyDeclaration): Promise<pulumi.dynamic.CreateResult> {
    const graph = graphClientFromEnvironment(inputs.cloud);
    const adoptedSettings = await readTapPolicy(graph, "Read the TemporaryAccessPass policy to adopt it");
    const desired = pickSettings(inputs);
    await patchTapPolicy(
      graph,
      "Apply the TemporaryAccessPass policy",
      desired,
      changedTapPolicySettings(adoptedSettings, desired),
    );
    const outs: TapPolicyState = { ...inputs, adoptedSettings };
    return { id: tapPolicyId, outs };
  },

  async read(id: string, props: TapPolicyState): Promise<pulumi.dynamic.ReadResult> {
    const live = await readTapPolicy(graphClientFromEnvironment(props.cloud));
    return { id, props: { ...props, ...live } };
  },

  async update(_id: string, olds: TapPolicyState, news: TemporaryAccessPassPolicyDeclaration) {
    const desired = pickSettings(news);
    await patchTapPolicy(
      graphClientFromEnvironment(news.cloud),
      "Update the TemporaryAccessPass policy",
      desired,
      changedTapPolicySettings(olds, desired),
    );
    const outs: TapPolicyState = { ...news, adoptedSettings: olds.adoptedSettings };
    return { outs };
  },

  async delete(_id: string, props: TapPolicyState): Promise<void> {
    const graph = graphClientFromEnvironment(props.cloud);
    switch (props.onDestroy) {
      case "retain":
        return;
      case "reset":
        await resetTapPolicy(graph);
        return;
      case "disable":
        await disableTapPolicy(graph);
        return;
      case "restore":
        if (!props.adoptedSettings) {
          throw new Error(
            "no adopted TemporaryAccessPass policy in the state to restore; set onDestroy to another mode",
          );
        }
        await patchTapPolicy(
          graph,
          "Restore the TemporaryAccessPass policy found at adoption",
          props.adoptedSettings,
          tapPolicySettingKeys,
        );
        return;
      default:
        throw new Error(`unknown onDestroy mode ${JSON.stringify(props.onDestroy)}`);
    }
  },
};

type Inputs<T> = { [K in keyof T]?: pulumi.Input<T[K]> };

/** Inputs of the dynamic resource: the declaration, each field an input (e.g. a group id from another resource). */
export interface TemporaryAccessPassPolicyConfigurationArgs extends Inputs<
  Omit<TemporaryAccessPassPolicyDeclaration, "includeTargets" | "excludeTargets">
> {
  includeTargets: pulumi.Input<
    pulumi.Input<{ id: pulumi.Input<string>; isRegistrationRequired?: pulumi.Input<boolean> }>[]
  >;
  excludeTargets?: pulumi.Input<pulumi.Input<{ id: pulumi.Input<string> }>[]>;
}

/** The dynamic resource's type token, as Pulumi builds it from the module and the name given below. */
export const temporaryAccessPassPolicyType = `pulumi-nodejs:dynamic/${dynamicTypeModule}:TemporaryAccessPassPolicy`;

/** The Graph object itself, type `pulumi-nodejs:dynamic/entra:TemporaryAccessPassPolicy`. */
export class TemporaryAccessPassPolicyConfiguration extends pulumi.dynamic.Resource {
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
      temporaryAccessPassPolicyProvider,
      name,
      withOutputSeeds([...tapPolicySettingKeys, "onDestroy", "cloud", "adoptedSettings"], args),
      opts,
      dynamicTypeModule,
      "TemporaryAccessPassPolicy",
    );
  }
}
