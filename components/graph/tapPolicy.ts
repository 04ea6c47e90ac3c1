// The TAP policy in Graph: the tenant's one TemporaryAccessPass authentication method configuration. Its path, the
// shape Graph reads and writes (`@odata.type` on PATCH, targets as Graph holds them), and what GET, PATCH and DELETE
// (a reset to Microsoft's defaults) do.
import {
  type TapPolicyExcludeTarget,
  tapPolicySettingKeys,
  type TapPolicySettings,
} from "../tapPolicySettings";
import type { GraphClient } from "./client";

export const tapPolicyPath =
  "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass";
const tapPolicyODataType = "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration";
/** The singleton's id in Graph, and so the resource's id. */
export const tapPolicyId = "TemporaryAccessPass";

/** The body of a PATCH that sets `fields` of `settings`: Graph's shape, `@odata.type` included. */
function tapPolicyPatchBody(settings: TapPolicySettings, fields: readonly (keyof TapPolicySettings)[]) {
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

/** The live policy's settings (one GET). */
export async function readTapPolicy(
  graph: GraphClient,
  operation = "Read the TemporaryAccessPass policy",
): Promise<TapPolicySettings> {
  const response = await graph.get<unknown>(operation, tapPolicyPath);
  return tapPolicySettingsFromGraph(response.body);
}

/** Sets `fields` of `settings` in the live policy (one PATCH); nothing is sent when no field is given. */
export async function patchTapPolicy(
  graph: GraphClient,
  operation: string,
  settings: TapPolicySettings,
  fields: readonly (keyof TapPolicySettings)[],
): Promise<void> {
  if (fields.length > 0) await graph.patch(operation, tapPolicyPath, tapPolicyPatchBody(settings, fields));
}

/** Graph's DELETE of the policy, which puts back Microsoft's defaults (the policy itself always exists). */
export async function resetTapPolicy(graph: GraphClient): Promise<void> {
  await graph.delete("Reset the TemporaryAccessPass policy to Microsoft's defaults", tapPolicyPath);
}

/** Turns TAP off in the tenant, leaving every other setting as it is. */
export async function disableTapPolicy(graph: GraphClient): Promise<void> {
  await graph.patch("Disable the TemporaryAccessPass policy", tapPolicyPath, {
    "@odata.type": tapPolicyODataType,
    state: "disabled",
  });
}
