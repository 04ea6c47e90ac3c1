// What the monitoring config tests share: a valid monitoring config, and the problems of one changed.
import { ValidationError } from "../../components/validation";
import { parseStackConfig } from "../../config";

export const now = Date.parse("2026-11-26T12:00:00Z");

export const deployer = "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
export const tierZeroGroup = "0f9e8d7c-6b5a-4c3d-9e1f-0a9b8c7d6e5f";
export const soarWebhook = "https://soar.contoso.com/api/webhooks/entra-tap?token=Zx81kQ2mVb7Lw0pR";

export type Json = Record<string, unknown>;

/** A policy that is valid on its own, so every problem below is the monitoring's. */
export const policy: Json = { includeTargets: [{ id: "all_users" }] };

export const actionGroup: Json = {
  shortName: "EntraTAPprod",
  emails: [
    { name: "identity-team", address: "identity-team@contoso.com" },
    { name: "security-operations", address: "soc@contoso.com" },
  ],
};

/** A valid monitoring config with a created workspace and only the required keys. */
export const monitoring: Json = {
  resourceGroupName: "rg-entra-tap-prod",
  location: "westeurope",
  workspace: { name: "law-entra-tap-prod", retentionInDays: 365 },
  actionGroup,
  deploymentIdentities: [deployer],
};

/** The raw config as Pulumi hands it to the program: `entra-tap:<key>` → JSON text. */
function raw(monitoringValue: unknown): Record<string, string> {
  return {
    "entra-tap:policy": JSON.stringify(policy),
    "entra-tap:monitoring": JSON.stringify(monitoringValue),
  };
}

/** The problems parseStackConfig reports, or [] when the config is valid. */
function problems(config: Record<string, string>): string[] {
  try {
    parseStackConfig(config, now);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  return [];
}

/** Problems of the valid monitoring config with some keys changed (undefined: left out). */
export function monitoringProblems(changes: Json): string[] {
  return problems(raw(withChanges(monitoring, changes)));
}

export function parsedMonitoring(changes: Json = {}) {
  return parseStackConfig(raw(withChanges(monitoring, changes)), now).monitoring;
}

/** A copy with some keys changed; a key changed to undefined is left out. */
export function withChanges(value: Json, changes: Json): Json {
  const copy: Json = { ...value, ...changes };
  for (const [key, change] of Object.entries(changes)) {
    if (change === undefined) delete copy[key];
  }
  return copy;
}
