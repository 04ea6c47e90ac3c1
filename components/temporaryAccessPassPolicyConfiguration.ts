// The TAP policy, `entra-tap:graph:TemporaryAccessPassPolicy` in entra-tap's provider plugin: its lifecycle, which
// adopts the tenant's policy on create and does what `onDestroy` says on delete. How the policy is read and written in
// Graph (GET, PATCH with `@odata.type`, DELETE resets) is graph/tapPolicy.ts's.
import { graphClientFromEnvironment } from "./graph/client";
import type { GraphCloud } from "./graph/clouds";
import {
  disableTapPolicy,
  patchTapPolicy,
  readTapPolicy,
  resetTapPolicy,
  tapPolicyId,
} from "./graph/tapPolicy";
import {
  checkTapPolicyRelations,
  type OnDestroy,
  tapPolicyDefaults,
  type TapPolicyExcludeTarget,
  type TapPolicyIncludeTarget,
  tapPolicySettingKeys,
  type TapPolicySettings,
  tapPolicyShape,
} from "./tapPolicySettings";
import type { CheckResult, CreateResult, DiffResult, ReadResult } from "@pulumi/pulumi/provider";
import {
  checkInputs,
  graphResourceType,
  graphScopeShape,
  type ResourceLifecycle,
  tenantMoveFailures,
} from "./providerInputs";
import { strictObject } from "./validation";

/**
 * The resource's inputs: the declaration plus the cloud its Graph calls go to, with its targets complete
 * (the config's own plus the audience's groups), so an enabled policy must have one.
 */
function tapPolicyInputsSchema() {
  return strictObject({
    ...tapPolicyShape(),
    ...graphScopeShape(),
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
  tenantId?: string;
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

/** The resource's inputs (after `check`) and outputs. */
export interface TapPolicyState extends TemporaryAccessPassPolicyDeclaration {
  /** The tenant's policy as found when entra-tap adopted it: what `onDestroy: restore` puts back. */
  adoptedSettings: TapPolicySettings;
}

export const temporaryAccessPassPolicyLifecycle: ResourceLifecycle = {
  inputSchema: tapPolicyInputsSchema,
  outputs: {
    adoptedSettings: {
      type: "object",
      description:
        "The tenant's policy as found when entra-tap adopted it: what onDestroy: restore puts back.",
    },
  },

  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult> {
    const moved = tenantMoveFailures(olds, news);
    return moved.length > 0 ? { failures: moved } : checkInputs(tapPolicyInputsSchema(), news, "policy");
  },

  async diff(_id: string, olds: TapPolicyState, news: TapPolicyState): Promise<DiffResult> {
    const changed: string[] = changedTapPolicySettings(olds, news);
    if (olds.onDestroy !== news.onDestroy) changed.push("onDestroy");
    if (olds.tenantId !== news.tenantId) changed.push("tenantId");
    const replaces = olds.cloud !== news.cloud ? ["cloud"] : [];
    return {
      changes: changed.length + replaces.length > 0,
      stables: changed.length + replaces.length > 0 ? [] : [...tapPolicySettingKeys],
      replaces,
      // One policy per tenant: the old one must be let go before a new one is adopted.
      deleteBeforeReplace: true,
    };
  },

  async create(inputs: TemporaryAccessPassPolicyDeclaration): Promise<CreateResult> {
    const graph = graphClientFromEnvironment(inputs);
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

  async read(id: string, props: Partial<TapPolicyState>): Promise<ReadResult> {
    const cloud = props.cloud ?? tapPolicyDefaults.cloud;
    const live = await readTapPolicy(graphClientFromEnvironment({ cloud, tenantId: props.tenantId }));
    if (props.adoptedSettings === undefined) {
      // `pulumi import`: nothing in the state yet. The policy as found is what it declares, and what destroy restores.
      const inputs: TemporaryAccessPassPolicyDeclaration = { ...live, cloud, onDestroy: "restore" };
      return { id, props: { ...inputs, adoptedSettings: live }, inputs };
    }
    return { id, props: { ...props, ...live } };
  },

  async update(_id: string, olds: TapPolicyState, news: TemporaryAccessPassPolicyDeclaration) {
    const desired = pickSettings(news);
    await patchTapPolicy(
      graphClientFromEnvironment(news),
      "Update the TemporaryAccessPass policy",
      desired,
      changedTapPolicySettings(olds, desired),
    );
    const outs: TapPolicyState = { ...news, adoptedSettings: olds.adoptedSettings };
    return { outs };
  },

  async delete(_id: string, props: TapPolicyState): Promise<void> {
    const graph = graphClientFromEnvironment(props);
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

/** The resource's type token: a resource of entra-tap's provider plugin. */
export const temporaryAccessPassPolicyType = graphResourceType("TemporaryAccessPassPolicy");
