// What the namespaces' rules share: how a source is cited, the sources of more than one type, ARM's common rules.
import { type ResourceRule, text } from "../armChecks";

export const spec = (file: string, apiVersion: string) =>
  `Azure/azure-rest-api-specs specification/${file} (api-version ${apiVersion})`;

const commonTypesV5 = spec(
  "common-types/resource-management/v5/types.json#/parameters/ResourceGroupNameParameter",
  "common types v5",
);
export const monitorLimits = "https://learn.microsoft.com/en-us/azure/azure-monitor/service-limits";
/** ARM's tag limits: 50 tags, names ≤ 512 and values ≤ 256 characters, no < > % & \ ? / in names. */
export const tagLimits =
  "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations";
export const azuread = (file: string) =>
  `@pulumi/azuread 6.9.1 schema (node_modules/@pulumi/azuread/${file})`;
export const azureNative = (file: string) =>
  `@pulumi/azure-native 3.28.0 schema (node_modules/@pulumi/azure-native/${file})`;

/** A resource group's name: 1..90 word characters, `-`, `.`, `(`, `)`. */
export const resourceGroupName = {
  path: "resourceGroupName",
  required: true,
  check: text(/^[-\w._()]{1,90}$/, "a resource group name: 1..90 letters, digits, _ - . ( )"),
  source: commonTypesV5,
};

/** ARM's tag limits, for tracked resources that take tags. */
export const tagRules = (): ResourceRule[] => [
  {
    rule: "at most 50 tags; names of at most 512 characters without < > % & \\ ? /; values of at most 256",
    source: tagLimits,
    problems: (inputs) => {
      const tags = inputs.tags;
      if (!tags || typeof tags !== "object") return [];
      const entries = Object.entries(tags as Record<string, unknown>);
      return [
        ...(entries.length > 50 ? [`tags: ${entries.length} tags, at most 50`] : []),
        ...entries.flatMap(([key, value]) => [
          ...(key.length > 512 || /[<>%&\\?/]/.test(key)
            ? [`tags: name ${JSON.stringify(key)} not allowed`]
            : []),
          ...(typeof value !== "string" || value.length > 256
            ? [`tags.${key}: a string of at most 256 characters`]
            : []),
        ]),
      ];
    },
  },
];

/** The problem, if any, when `names` (of receivers, mappings...) repeat one. */
export const repeated = (what: string, names: unknown[]): string[] => {
  const seen = new Set<string>();
  return names.flatMap((name) => {
    const key = String(name).toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      return [];
    }
    return [`${what} ${JSON.stringify(name)} appears more than once`];
  });
};

export const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const objectOf = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" ? (value as Record<string, unknown>) : {};

/** Where a diagnostic setting sends its logs: Entra's and a subscription's settings alike. */
const destinations = [
  "workspaceId",
  "storageAccountId",
  "eventHubAuthorizationRuleId",
  "serviceBusRuleId",
  "marketplacePartnerId",
];
const diagnosticsDocs =
  "https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/diagnostic-settings (a setting sends to one or more destinations)";
export const atLeastOneDestination: ResourceRule = {
  rule: "at least one destination (workspace, storage account, event hub, partner)",
  source: diagnosticsDocs,
  problems: (inputs) => (destinations.some((key) => inputs[key] !== undefined) ? [] : ["no destination"]),
};
