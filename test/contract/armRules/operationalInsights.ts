// ARM's rules for Microsoft.OperationalInsights: the Log Analytics workspace and its saved searches (functions).
import { integer, nonEmptyText, oneOf, text, type TypeRules } from "../armChecks";
import { objectOf, resourceGroupName, spec, tagRules } from "./common";

// Microsoft.OperationalInsights/workspaces, 2023-09-01 (azure-native 3.28 operationalinsights.Workspace).
const wsSpec = spec(
  "operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2023-09-01/Workspaces.json",
  "2023-09-01",
);
const oiWorkspaceName = spec(
  "operationalinsights/resource-manager/common/v1/types.json#/parameters/WorkspaceNameParameter",
  "2023-09-01",
);
const workspaceNameRule = {
  path: "workspaceName",
  required: true,
  check: text(
    /^(?=.{4,63}$)[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$/,
    "4..63 letters, digits and -, not starting or ending with -",
  ),
  source: `${oiWorkspaceName} (pattern ^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$, minLength 4, maxLength 63)`,
};
export const workspace: TypeRules = {
  api: "Microsoft.OperationalInsights/workspaces 2023-09-01",
  fields: [
    resourceGroupName,
    workspaceNameRule,
    {
      path: "location",
      required: true,
      check: nonEmptyText,
      source: `${wsSpec} (TrackedResource location, required)`,
    },
    {
      path: "sku.name",
      check: oneOf([
        "Free",
        "Standard",
        "Premium",
        "PerNode",
        "PerGB2018",
        "Standalone",
        "CapacityReservation",
        "LACluster",
      ]),
      source: `${wsSpec} (WorkspaceSku.name)`,
    },
  ],
  resource: [
    {
      rule: "retentionInDays: 30..730 (7 on the Free tier)",
      source: `${wsSpec} ("Allowed values are per pricing plan"); terraform-provider-azurerm website/docs/r/log_analytics_workspace.html.markdown ("Possible values are either 7 (Free Tier only) or range between 30 and 730"); up to two years: https://learn.microsoft.com/en-us/azure/azure-monitor/logs/data-retention-configure`,
      problems: (inputs) => {
        const days = inputs.retentionInDays;
        if (days === undefined) return [];
        const free = objectOf(inputs.sku).name === "Free";
        const ok =
          Number.isInteger(days) && (free ? days === 7 : (days as number) >= 30 && (days as number) <= 730);
        return ok
          ? []
          : [
              `retentionInDays = ${JSON.stringify(days)}: ${free ? "7 on the Free tier" : "an integer from 30 to 730"}`,
            ];
      },
    },
    ...tagRules(),
  ],
  undocumented: [
    "retentionInDays: the spec gives no range (\"per pricing plan\"); Microsoft's data retention page documents the 2-year maximum and a 4-day minimum for a table's analytics retention set by API, not the workspace's minimum (30 is the Terraform provider's)",
  ],
};

// Microsoft.OperationalInsights/workspaces/savedSearches, 2023-09-01 (azure-native 3.28 operationalinsights.SavedSearch):
// the workspace functions the queries call.
const ssSpec = spec(
  "operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2023-09-01/SavedSearches.json",
  "2023-09-01",
);
/** Kusto identifiers: 1..1024 letters, digits, _, space, . and -; none starts or ends with two underscores. */
const kustoNames =
  "https://learn.microsoft.com/en-us/kusto/query/schema-entities/entity-names (Identifier naming rules)";
export const savedSearch: TypeRules = {
  api: "Microsoft.OperationalInsights/workspaces/savedSearches 2023-09-01",
  fields: [
    resourceGroupName,
    workspaceNameRule,
    {
      path: "category",
      required: true,
      check: nonEmptyText,
      source: `${ssSpec} (SavedSearchProperties required category)`,
    },
    { path: "displayName", required: true, check: nonEmptyText, source: `${ssSpec} (required displayName)` },
    { path: "query", required: true, check: nonEmptyText, source: `${ssSpec} (required query)` },
    {
      path: "functionAlias",
      check: text(
        /^(?!__)(?!.*__$)[A-Za-z0-9_ .-]{1,1024}$/,
        "a Kusto identifier: 1..1024 letters, digits, _ . - or spaces, not starting or ending with __",
      ),
      source: `${ssSpec} (functionAlias: "The function alias if query serves as a function"); ${kustoNames}`,
    },
    {
      path: "version",
      check: integer,
      source: `${ssSpec} (int64; "The current version is 2 and is the default")`,
    },
    {
      path: "tags[].name",
      required: true,
      check: nonEmptyText,
      source: `${ssSpec} (Tag required name and value)`,
    },
    {
      path: "tags[].value",
      required: true,
      check: nonEmptyText,
      source: `${ssSpec} (Tag required name and value)`,
    },
  ],
  resource: [
    {
      rule: "functionParameters only with a functionAlias",
      source: `${ssSpec} (functionParameters: "if query serves as a function")`,
      problems: (inputs) =>
        inputs.functionParameters !== undefined && inputs.functionAlias === undefined
          ? ["functionParameters without functionAlias"]
          : [],
    },
  ],
  undocumented: [
    "query: no length limit in the spec or the Log Analytics limits pages (the large stack's grants function is hundreds of KB)",
    "savedSearchId: no pattern in the spec",
    "category and displayName: no length limit in the spec",
  ],
};
