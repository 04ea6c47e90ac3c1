// The TAP policy's dynamic provider: the Graph mapping (GET, PATCH with `@odata.type`, DELETE resets) and the dynamic
// resource `pulumi-nodejs:dynamic/entra:TemporaryAccessPassPolicy`, which adopts the tenant's policy on create and
// does what `onDestroy` says on delete.
import * as pulumi from "@pulumi/pulumi";
import type { GraphClient, GraphCloud } from "./graphClient";
import * as graphClient from "./graphClient";
import type {
  OnDestroy,
  TapPolicyExcludeTarget,
  TapPolicyIncludeTarget,
  TapPolicySettings,
} from "./tapPolicySettings";
import * as tapPolicySettings from "./tapPolicySettings";
import * as validation from "./validation";

// Bound here rather than used through their modules, so that Pulumi serializes into the provider's code the functions
// it reaches and not every export of every module it imports (as in userTemporaryAccessPass.ts).
const { graphClientFromEnvironment, graphCloudNames } = graphClient;
const { checkTapPolicyRelations, tapPolicyDefaults, tapPolicySettingKeys, tapPolicyShape } =
  tapPolicySettings;
const { checkInputs, dynamicTypeModule, oneOf, strictObject, withOutputSeeds } = validation;

export const tapPolicyPath =
  "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass";
export const tapPolicyODataType = "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration";
/** The singleton's id in Graph, and so the resource's id. */
export const tapPolicyId = "TemporaryAccessPass";

/**
 * The dynamic resource's inputs: the declaration plus the cloud its Graph calls go to, with its targets complete
 * (the config's own plus the audience's groups), so an enabled policy must have one.
 */
export function tapPolicyInputsSchema() {
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

/** The body of a PATCH that sets `fields` of `settings`: Graph's shape, `@odata.type` included. */
export function tapPolicyPatchBody(
  settings: TapPolicySettings,
  fields: readonly (keyof TapPolicySettings)[],
) {
  const body: Record<string, unknown> = { "@odata.type": tapPolicyODataType };
  for (const field of fields) {
    if (field === "includeTargets" || field === "excludeTargets") {
      // Targets go back as they were read (an adopted user target stays a user); declared ones are groups.
      body[field] = settings[field].map((target) => ({
        ...target,
        targetType: target.targetType ?? "group",
      }));
    } else {
      body[field] = settings[field];
    }
  }
  return body;
}

/**
 * The settings in a Graph GET answer. Fails loudly when a field is missing or of another type: entra-tap compares
 * every field, and guessing a missing one would hide drift or overwrite the tenant's policy.
 */
export function tapPolicySettingsFromGraph(body: unknown): TapPolicySettings {
  const graph = (body ?? {}) as Record<string, unknown>;
  const missing = tapPolicySettingKeys.filter((key) => {
    const value = graph[key];
    if (key === "includeTargets" || key === "excludeTargets") return !Array.isArray(value);
    if (key === "state") return value !== "enabled" && value !== "disabled";
    if (key === "isUsableOnce") return typeof value !== "boolean";
    return typeof value !== "number";
  });
  if (missing.length > 0) {
    throw new Error(
      `Graph's answer for the TemporaryAccessPass policy lacks or mistypes ${missing.join(", ")}; ` +
        "entra-tap will not guess them (has the Graph API changed?)",
    );
  }
  const targets = (key: "includeTargets" | "excludeTargets") => graph[key] as Record<string, unknown>[];
  return {
    state: graph.state as TapPolicySettings["state"],
    defaultLifetimeInMinutes: graph.defaultLifetimeInMinutes as number,
    minimumLifetimeInMinutes: graph.minimumLifetimeInMinutes as number,
    maximumLifetimeInMinutes: graph.maximumLifetimeInMinutes as number,
    defaultLength: graph.defaultLength as number,
    isUsableOnce: graph.isUsableOnce as boolean,
    // Every field of a target is kept as read, so restoring an adopted policy writes back exactly what was found;
    // `targetType: group` is left implied (a PATCH writes it), so a refresh shows no change where there is none.
    includeTargets: targets("includeTargets").map((t) => ({
      ...asRead(t),
      isRegistrationRequired: t.isRegistrationRequired === true,
    })),
    excludeTargets: targets("excludeTargets").map(asRead),
  };
}

/** A target as Graph holds it, with a group's `targetType` left implied. */
function asRead(target: Record<string, unknown>): TapPolicyExcludeTarget {
  const { targetType, ...rest } = target;
  return {
    ...rest,
    id: String(target.id),
    ...(targetType !== undefined && targetType !== "group" ? { targetType: String(targetType) } : {}),
  };
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

async function getLiveSettings(graph: GraphClient, operation: string): Promise<TapPolicySettings> {
  const response = await graph.get<unknown>(operation, tapPolicyPath);
  return tapPolicySettingsFromGraph(response.body);
}

async function patchSettings(
  graph: GraphClient,
  operation: string,
  settings: TapPolicySettings,
  fields: readonly (keyof TapPolicySettings)[],
): Promise<void> {
  if (fields.length > 0) await graph.patch(operation, tapPolicyPath, tapPolicyPatchBody(settings, fields));
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
    const adoptedSettings = await getLiveSettings(graph, "Read the TemporaryAccessPass policy to adopt it");
    const desired = pickSettings(inputs);
    await patchSettings(
      graph,
      "Apply the TemporaryAccessPass policy",
      desired,
      changedTapPolicySettings(adoptedSettings, desired),
    );
    const outs: TapPolicyState = { ...inputs, adoptedSettings };
    return { id: tapPolicyId, outs };
  },

  async read(id: string, props: TapPolicyState): Promise<pulumi.dynamic.ReadResult> {
    const live = await getLiveSettings(
      graphClientFromEnvironment(props.cloud),
      "Read the TemporaryAccessPass policy",
    );
    return { id, props: { ...props, ...live } };
  },

  async update(_id: string, olds: TapPolicyState, news: TemporaryAccessPassPolicyDeclaration) {
    const desired = pickSettings(news);
    await patchSettings(
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
        await graph.delete("Reset the TemporaryAccessPass policy to Microsoft's defaults", tapPolicyPath);
        return;
      case "disable":
        await graph.patch("Disable the TemporaryAccessPass policy", tapPolicyPath, {
          "@odata.type": tapPolicyODataType,
          state: "disabled",
        });
        return;
      case "restore":
        if (!props.adoptedSettings) {
          throw new Error(
            "no adopted TemporaryAccessPass policy in the state to restore; set onDestroy to another mode",
          );
        }
        await patchSettings(
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
