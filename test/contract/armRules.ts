// Azure Resource Manager's own rules (and Microsoft Graph's, for the azuread resources), as data: per resource type,
// the field rules and the rules across fields, each with where it is written; and the rules across resources of a
// stack. Taken from the Azure REST API specs (github.com/Azure/azure-rest-api-specs, `specification/...`, at the
// api-version azure-native 3.28 uses for the resource), Microsoft's documentation, and the providers' schemas. A limit
// that was looked for and not found is listed under `undocumented`, never guessed.
//
// The numbers are the services' rules, not entra-tap's config rules (config/), which may be stricter.
import type { DeclaredResource } from "../../scripts/declaredResources";
import {
  anyDuration,
  booleanValue,
  dateTime,
  durationBetween,
  durationMinutes,
  durationOneOf,
  guid,
  guidPattern,
  integer,
  integerIn,
  items,
  jsonBytes,
  jsonText,
  nonEmptyText,
  numberValue,
  oneOf,
  type ResourceRule,
  text,
  textLength,
  type TypeRules,
} from "./armChecks";

const spec = (file: string, apiVersion: string) =>
  `Azure/azure-rest-api-specs specification/${file} (api-version ${apiVersion})`;

// Sources used by more than one type.
const commonTypesV5 = spec(
  "common-types/resource-management/v5/types.json#/parameters/ResourceGroupNameParameter",
  "common types v5",
);
const monitorLimits = "https://learn.microsoft.com/en-us/azure/azure-monitor/service-limits";
/** ARM's tag limits: 50 tags, names ≤ 512 and values ≤ 256 characters, no < > % & \ ? / in names. */
const tagLimits =
  "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations";
const azuread = (file: string) => `@pulumi/azuread 6.9.1 schema (node_modules/@pulumi/azuread/${file})`;
const azureNative = (file: string) =>
  `@pulumi/azure-native 3.28.0 schema (node_modules/@pulumi/azure-native/${file})`;

/** A resource group's name: 1..90 word characters, `-`, `.`, `(`, `)`. */
const resourceGroupName = {
  path: "resourceGroupName",
  required: true,
  check: text(/^[-\w._()]{1,90}$/, "a resource group name: 1..90 letters, digits, _ - . ( )"),
  source: commonTypesV5,
};

/** ARM's tag limits, for tracked resources that take tags. */
const tagRules = (): ResourceRule[] => [
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
const repeated = (what: string, names: unknown[]): string[] => {
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

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const objectOf = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" ? (value as Record<string, unknown>) : {};

// Microsoft.Insights/scheduledQueryRules (log search alerts), 2025-01-01-preview: azure-native 3.28's
// monitor.ScheduledQueryRule "Uses Azure REST API version 2025-01-01-preview" (node_modules/@pulumi/azure-native/monitor/
// scheduledQueryRule.d.ts). azure-native's enum for `operator` (monitor.ConditionOperator) holds another API's values
// (gt, eq...): these rules are the spec's strings.
const sqrSpec = spec(
  "monitor/resource-manager/Microsoft.Insights/preview/2025-01-01-preview/scheduledQueryRule_API.json",
  "2025-01-01-preview",
);
/**
 * The evaluation frequencies and aggregation granularities (window sizes) the service accepts, in minutes. The spec
 * says only `format: duration`; the service is stricter. Its answer to another value names the granularities:
 * "Supported granularities are: 5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440, 2880" (Azure/azure-rest-api-specs
 * issue 21258, a PUT with windowSize P3D at api-version 2021-08-01); terraform-provider-azurerm validates the same
 * sets from it (PR 18960; website/docs/r/monitor_scheduled_query_rules_alert_v2.html.markdown): evaluation_frequency
 * PT1M..PT6H and P1D; window_duration PT1M..PT6H when the frequency is PT1M, else PT5M..PT6H, P1D and P2D. Microsoft's
 * docs agree on the frequency's range: "Can be set anywhere from one minute to one day (24 hours)"
 * (https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/alerts-create-log-alert-rule, Alert logic).
 */
const sqrFrequencies = [1, 5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440];
const sqrWindowsAtOneMinute = [1, 5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360];
const sqrWindows = [5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440, 2880];
const sqrDocsV2 =
  "terraform-provider-azurerm website/docs/r/monitor_scheduled_query_rules_alert_v2.html.markdown (validation from the service's answers, PR 18960)";
/** The inputs that are not in the rule's ARM `properties` (path, top-level resource fields). */
const sqrNotProperties = ["resourceGroupName", "ruleName", "location", "tags", "kind", "identity"];
/** The 64 KB limit: "The combined size of all data in the log alert rule properties can't exceed 64 KB." */
export const logAlertPropertiesMaxBytes = 64 * 1024;

const scheduledQueryRule: TypeRules = {
  api: "Microsoft.Insights/scheduledQueryRules 2025-01-01-preview",
  fields: [
    resourceGroupName,
    { path: "location", required: true, check: nonEmptyText, source: sqrSpec },
    { path: "kind", check: oneOf(["LogAlert", "EventLogAlert", "LogToMetric"]), source: sqrSpec },
    { path: "enabled", required: true, check: booleanValue, source: sqrSpec },
    {
      path: "scopes",
      required: true,
      check: items(1, 1),
      source: `${sqrSpec}; exactly one scope: ${sqrDocsV2}`,
    },
    // The workspace's id: under the mock runtime, `<name>-id` (a real one is an ARM id); its form is not checked.
    { path: "scopes[]", required: true, check: nonEmptyText, source: sqrSpec },
    { path: "severity", required: true, check: oneOf([0, 1, 2, 3, 4]), source: sqrSpec },
    {
      path: "description",
      check: textLength(0, 4096),
      source: `${monitorLimits} (Alert rules description length: log search alerts 4,096 characters)`,
    },
    { path: "evaluationFrequency", required: true, check: durationOneOf(sqrFrequencies), source: sqrDocsV2 },
    { path: "windowSize", required: true, check: anyDuration, source: sqrSpec },
    { path: "muteActionsDuration", check: anyDuration, source: sqrSpec },
    { path: "overrideQueryTimeRange", check: anyDuration, source: sqrSpec },
    { path: "autoMitigate", check: booleanValue, source: sqrSpec },
    { path: "criteria.allOf", required: true, check: items(1, 1_000_000), source: sqrSpec },
    { path: "criteria.allOf[].query", required: true, check: nonEmptyText, source: sqrSpec },
    {
      path: "criteria.allOf[].timeAggregation",
      required: true,
      check: oneOf(["Count", "Average", "Minimum", "Maximum", "Total"]),
      source: sqrSpec,
    },
    {
      path: "criteria.allOf[].operator",
      required: true,
      check: oneOf([
        "Equals",
        "GreaterThan",
        "GreaterThanOrEqual",
        "LessThan",
        "LessThanOrEqual",
        "GreaterOrLessThan",
      ]),
      source: sqrSpec,
    },
    { path: "criteria.allOf[].threshold", check: numberValue, source: sqrSpec },
    {
      path: "criteria.allOf[].criterionType",
      check: oneOf(["StaticThresholdCriterion", "DynamicThresholdCriterion"]),
      source: sqrSpec,
    },
    {
      path: "criteria.allOf[].failingPeriods.numberOfEvaluationPeriods",
      check: integerIn(1, 6),
      source: `${sqrSpec} (int64, default 1); 1..6: ${sqrDocsV2}`,
    },
    {
      path: "criteria.allOf[].failingPeriods.minFailingPeriodsToAlert",
      check: integerIn(1, 6),
      source: `${sqrSpec} (int64, default 1); 1..6: ${sqrDocsV2}`,
    },
    {
      path: "criteria.allOf[].dimensions[].operator",
      check: oneOf(["Include", "Exclude"]),
      source: sqrSpec,
    },
    {
      path: "actions.actionGroups",
      check: items(0, 5),
      source:
        "https://learn.microsoft.com/en-us/training/modules/configure-alerts-responses/3-action-groups (up to five action groups to an alert rule)",
    },
    { path: "actions.actionGroups[]", check: nonEmptyText, source: sqrSpec },
    { path: "tags.[]", check: textLength(0, 256), source: tagLimits },
  ],
  resource: [
    {
      rule: "windowSize is a granularity the service accepts: PT1M..PT6H at a PT1M frequency, else PT5M..PT6H, P1D, P2D",
      source: `Azure/azure-rest-api-specs issue 21258 (the service's answer); ${sqrDocsV2}`,
      problems: (inputs) => {
        const window = durationMinutes(inputs.windowSize);
        const frequency = durationMinutes(inputs.evaluationFrequency);
        if (window === undefined || frequency === undefined) return [];
        const allowed = frequency === 1 ? sqrWindowsAtOneMinute : sqrWindows;
        return allowed.includes(window)
          ? []
          : [
              `windowSize = ${JSON.stringify(inputs.windowSize)} at evaluationFrequency ${JSON.stringify(inputs.evaluationFrequency)}: must be one of ${allowed.join(", ")} minutes`,
            ];
      },
    },
    {
      rule: "minFailingPeriodsToAlert ≤ numberOfEvaluationPeriods",
      source: `${sqrSpec} (minFailingPeriodsToAlert: "Should be smaller or equal to numberOfEvaluationPeriods")`,
      problems: (inputs) =>
        listOf(objectOf(inputs.criteria).allOf).flatMap((condition, i) => {
          const periods = objectOf(objectOf(condition).failingPeriods);
          const min = (periods.minFailingPeriodsToAlert as number | undefined) ?? 1;
          const of = (periods.numberOfEvaluationPeriods as number | undefined) ?? 1;
          return min <= of ? [] : [`criteria.allOf[${i}].failingPeriods: ${min} failing periods of ${of}`];
        }),
    },
    {
      rule: "the look-back (windowSize × numberOfEvaluationPeriods) is at most 48 hours, and not shorter than evaluationFrequency",
      source: `${sqrDocsV2} (notes on number_of_evaluation_periods and evaluation_frequency); https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/alerts-create-log-alert-rule ("The alert time range is limited to a maximum of two days")`,
      problems: (inputs) => {
        const window = durationMinutes(inputs.windowSize);
        const frequency = durationMinutes(inputs.evaluationFrequency);
        if (window === undefined) return [];
        return listOf(objectOf(inputs.criteria).allOf).flatMap((condition, i) => {
          const periods = objectOf(objectOf(condition).failingPeriods);
          const lookBack = window * ((periods.numberOfEvaluationPeriods as number | undefined) ?? 1);
          return [
            ...(lookBack > 2880
              ? [`criteria.allOf[${i}]: a look-back of ${lookBack} minutes, at most 2880`]
              : []),
            ...(frequency !== undefined && frequency > lookBack
              ? [
                  `criteria.allOf[${i}]: evaluationFrequency ${frequency} minutes exceeds the look-back of ${lookBack}`,
                ]
              : []),
          ];
        });
      },
    },
    {
      rule: "a Count aggregation has no metricMeasureColumn; the other aggregations need one",
      source: sqrDocsV2,
      problems: (inputs) =>
        listOf(objectOf(inputs.criteria).allOf).flatMap((condition, i) => {
          const { timeAggregation, metricMeasureColumn } = objectOf(condition);
          if (timeAggregation === undefined) return [];
          const counts = timeAggregation === "Count";
          return counts === (metricMeasureColumn === undefined)
            ? []
            : [
                `criteria.allOf[${i}]: timeAggregation ${JSON.stringify(timeAggregation)} with metricMeasureColumn ${JSON.stringify(metricMeasureColumn)}`,
              ];
        }),
    },
    {
      rule: `the rule's properties, as JSON, are at most 64 KB (${logAlertPropertiesMaxBytes} bytes)`,
      source: `${monitorLimits} (Log alerts: "The combined size of all data in the log alert rule properties can't exceed 64 KB")`,
      problems: (inputs) => {
        const properties = Object.fromEntries(
          Object.entries(inputs).filter(([key]) => !sqrNotProperties.includes(key)),
        );
        const bytes = jsonBytes(properties);
        return bytes <= logAlertPropertiesMaxBytes
          ? []
          : [
              `properties: ${bytes} bytes as JSON (query ${jsonBytes(objectOf(listOf(objectOf(inputs.criteria).allOf)[0]).query)} bytes), at most ${logAlertPropertiesMaxBytes}`,
            ];
      },
    },
    {
      rule: "the ARM name (the logical name, auto-named with a suffix) has none of # < > % & : \\ ? / { } *",
      source: `${sqrSpec} (parameters.RuleNameParameter pattern ^[^#<>%&:\\?/{}*]{1,260}$)`,
      problems: (inputs, resource) => {
        const name = String((inputs.ruleName as string | undefined) ?? resource.name);
        return /^[^#<>%&:\\?/{}*]{1,260}$/.test(name) ? [] : [`name ${JSON.stringify(name)}`];
      },
    },
    ...tagRules(),
  ],
  undocumented: [
    "displayName: no length limit in the spec (type string) or the service limits page",
    "criteria.allOf[].query: no length of its own; only the 64 KB of all the rule's properties (service limits)",
    "the suffix azure-native appends to an auto-named rule: its length is not documented where looked (the 260-character limit of the name is checked on the logical name)",
  ],
};

// Microsoft.Insights/actionGroups, 2024-10-01-preview (azure-native 3.28 monitor.ActionGroup).
const agSpec = spec(
  "monitor/resource-manager/Microsoft.Insights/preview/2024-10-01-preview/actionGroups_API.json",
  "2024-10-01-preview",
);
const receiverKinds = [
  "emailReceivers",
  "smsReceivers",
  "webhookReceivers",
  "itsmReceivers",
  "azureAppPushReceivers",
  "automationRunbookReceivers",
  "voiceReceivers",
  "logicAppReceivers",
  "azureFunctionReceivers",
  "armRoleReceivers",
  "eventHubReceivers",
  "incidentReceivers",
];
const actionGroup: TypeRules = {
  api: "Microsoft.Insights/actionGroups 2024-10-01-preview",
  fields: [
    resourceGroupName,
    {
      path: "groupShortName",
      required: true,
      check: textLength(1, 12),
      source: `${agSpec} (groupShortName maxLength 12, required)`,
    },
    { path: "enabled", required: true, check: booleanValue, source: `${agSpec} (required)` },
    {
      // An action group is Global (stored in at least two regions) or Regional (a region's name).
      path: "location",
      required: true,
      check: text(/^(global|[a-z0-9]+)$/i, '"Global" or an Azure region name'),
      source: `${agSpec} (AzureResource location, required); https://learn.microsoft.com/en-us/training/modules/configure-alerts-responses/3-action-groups (Global or Regional)`,
    },
    {
      path: "emailReceivers",
      check: items(0, 1000),
      source: `${monitorLimits} (Action groups, Email: 1,000 email actions in an action group)`,
    },
    {
      path: "emailReceivers[].name",
      required: true,
      check: nonEmptyText,
      source: `${agSpec} (EmailReceiver required name)`,
    },
    {
      path: "emailReceivers[].emailAddress",
      required: true,
      check: textLength(3, 64),
      source: `${agSpec} (EmailReceiver required emailAddress); 64 characters: ${monitorLimits} (Action groups, Email: "The character limit in an email address is 64", as read in the page's zh-hk and docs.azure.cn versions)`,
    },
    { path: "emailReceivers[].useCommonAlertSchema", check: booleanValue, source: agSpec },
    {
      path: "webhookReceivers",
      check: items(0, 10),
      source: `${monitorLimits} (Action groups, Webhook: 10 webhook actions in an action group)`,
    },
    {
      path: "webhookReceivers[].name",
      required: true,
      check: nonEmptyText,
      source: `${agSpec} (WebhookReceiver required name)`,
    },
    {
      path: "webhookReceivers[].serviceUri",
      required: true,
      check: text(/^https?:\/\/\S+$/, "a URI"),
      source: `${agSpec} (WebhookReceiver required serviceUri)`,
    },
    {
      path: "smsReceivers",
      check: items(0, 10),
      source: `${monitorLimits} (Action groups, SMS: 10 SMS actions)`,
    },
    {
      path: "voiceReceivers",
      check: items(0, 10),
      source: `${monitorLimits} (Action groups, Voice: 10 voice actions)`,
    },
  ],
  resource: [
    {
      rule: "receivers' names are unique across all receivers of the group",
      source: `${agSpec} (each receiver's name: "Names must be unique across all receivers within an action group")`,
      problems: (inputs) =>
        repeated(
          "receiver name",
          receiverKinds.flatMap((kind) => listOf(inputs[kind]).map((receiver) => objectOf(receiver).name)),
        ),
    },
    ...tagRules(),
  ],
  undocumented: [
    "the action group's own name (actionGroupName): no pattern or length in the spec (ActionGroupNameParameter is a plain string)",
    "receivers' names: no length or character limit in the spec or the service limits page",
  ],
};

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
const workspace: TypeRules = {
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
const savedSearch: TypeRules = {
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

// Microsoft.SecurityInsights/alertRules (kind Scheduled), 2024-09-01 (azure-native 3.28 securityinsights.ScheduledAlertRule).
const sarSpec = spec(
  "securityinsights/resource-manager/Microsoft.SecurityInsights/stable/2024-09-01/AlertRules.json",
  "2024-09-01",
);
const sarTypes = spec(
  "securityinsights/resource-manager/Microsoft.SecurityInsights/stable/2024-09-01/common/AlertTypes.json",
  "2024-09-01",
);
const siWorkspaceName = spec(
  "securityinsights/resource-manager/common/2.0/types.json#/parameters/WorkspaceName",
  "2024-09-01",
);
const sentinelTemplates = (attribute: string) =>
  `Azure/Azure-Sentinel .script/tests/detectionTemplateSchemaValidation/Models/${attribute} (the analytics templates' validators)`;
const sentinelRuleDocs =
  "https://learn.microsoft.com/en-us/azure/sentinel/create-analytics-rules (Query scheduling; Alert threshold; suppression)";
const siWorkspaceNameRule = {
  path: "workspaceName",
  required: true,
  check: text(
    /^(?=.{1,90}$)[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$/,
    "1..90 letters, digits and -, not starting or ending with -",
  ),
  source: `${siWorkspaceName} (pattern ^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$, maxLength 90)`,
};
const scheduledAlertRule: TypeRules = {
  api: "Microsoft.SecurityInsights/alertRules (Scheduled) 2024-09-01",
  fields: [
    resourceGroupName,
    siWorkspaceNameRule,
    {
      path: "kind",
      required: true,
      check: oneOf(["Scheduled"]),
      source: `${sarSpec} (AlertRuleKindEnum; x-ms-discriminator-value Scheduled)`,
    },
    {
      path: "displayName",
      required: true,
      check: textLength(1, 256),
      source: `${sarSpec} (required); 256: ${sentinelTemplates("AnalyticsTemplateInternalModelBase.cs")} StringLength(256)`,
    },
    {
      path: "description",
      check: textLength(0, 5000),
      source: sentinelTemplates("AnalyticsTemplateInternalModelBase.cs StringLength(5000)"),
    },
    { path: "enabled", required: true, check: booleanValue, source: `${sarSpec} (required)` },
    {
      path: "query",
      required: true,
      check: textLength(1, 10000),
      source: `${sarSpec} (required); ${sentinelTemplates("ScheduledTemplateInternalModel.cs")} [StringLength(10000, MinimumLength = 1)]`,
    },
    {
      path: "queryFrequency",
      required: true,
      check: durationBetween(5, 14 * 1440),
      source: `${sarSpec} (required, format duration); ${sentinelRuleDocs} (Run query every: 5 minutes to 14 days); ${sentinelTemplates("ScheduledTemplateInternalModel.cs")} RangeTimeSpanIsoFormat("00:05:00", "14.00:00:00")`,
    },
    {
      path: "queryPeriod",
      required: true,
      check: durationBetween(5, 14 * 1440),
      source: `${sarSpec} (required, format duration); ${sentinelRuleDocs} (Lookup data from the last: 5 minutes to 14 days)`,
    },
    {
      path: "severity",
      required: true,
      check: oneOf(["High", "Medium", "Low", "Informational"]),
      source: `${sarTypes} (AlertSeverityEnum)`,
    },
    {
      path: "triggerOperator",
      required: true,
      check: oneOf(["GreaterThan", "LessThan", "Equal", "NotEqual"]),
      source: `${sarSpec} (AlertRuleTriggerOperator)`,
    },
    {
      path: "triggerThreshold",
      required: true,
      check: integerIn(0, 10000),
      source: `${sarSpec} (required, int32); 0..10000: ${sentinelTemplates("ScheduledTemplateInternalModel.cs")} [Range(0, 10000)]`,
    },
    { path: "suppressionEnabled", required: true, check: booleanValue, source: `${sarSpec} (required)` },
    {
      path: "suppressionDuration",
      required: true,
      check: anyDuration,
      source: `${sarSpec} (required, format duration)`,
    },
    {
      path: "tactics[]",
      check: oneOf([
        "Reconnaissance",
        "ResourceDevelopment",
        "InitialAccess",
        "Execution",
        "Persistence",
        "PrivilegeEscalation",
        "DefenseEvasion",
        "CredentialAccess",
        "Discovery",
        "LateralMovement",
        "Collection",
        "Exfiltration",
        "CommandAndControl",
        "Impact",
        "PreAttack",
        "ImpairProcessControl",
        "InhibitResponseFunction",
      ]),
      source: `${sarTypes} (AttackTactic)`,
    },
    {
      path: "techniques[]",
      check: text(/^T\d{4}$/, "a technique id T#### (no sub-technique)"),
      source: `ARM's answer to a sub-technique: "The technique 'T1071.001' is invalid. The expected format is 'T####'" (Azure/Azure-Sentinel issue 8960); ${sarSpec} (techniques: string[])`,
    },
    {
      path: "entityMappings",
      check: items(1, 10),
      source: `${sarSpec} (EntityMappings); up to 10: ${sentinelRuleDocs} (Map entities: "define up to 10 entity types")`,
    },
    {
      path: "entityMappings[].entityType",
      required: true,
      check: oneOf([
        "Account",
        "Host",
        "IP",
        "Malware",
        "File",
        "Process",
        "CloudApplication",
        "DNS",
        "AzureResource",
        "FileHash",
        "RegistryKey",
        "RegistryValue",
        "SecurityGroup",
        "URL",
        "Mailbox",
        "MailCluster",
        "MailMessage",
        "SubmissionMail",
      ]),
      source: `${sarSpec} (EntityMappingType)`,
    },
    {
      path: "entityMappings[].fieldMappings",
      check: items(1, 3),
      source: `${sentinelTemplates("ScheduledTemplateInternalModel.cs")} ValidEntityMappings(fieldMappingsMinLength: 1, fieldMappingsMaxLength: 3)`,
    },
    {
      path: "entityMappings[].fieldMappings[].identifier",
      required: true,
      check: nonEmptyText,
      source: `${sarSpec} (FieldMapping identifier)`,
    },
    {
      path: "entityMappings[].fieldMappings[].columnName",
      required: true,
      check: nonEmptyText,
      source: `${sarSpec} (FieldMapping columnName)`,
    },
  ],
  resource: [
    {
      rule: "queryPeriod ≥ queryFrequency",
      source: `${sentinelRuleDocs} ("Must be longer than or equal to the query interval"); ${sentinelTemplates("ScheduledTemplateInternalModel.cs")} [PeriodGreaterThanOrEqualFrequency]`,
      problems: (inputs) => {
        const period = durationMinutes(inputs.queryPeriod);
        const frequency = durationMinutes(inputs.queryFrequency);
        return period === undefined || frequency === undefined || period >= frequency
          ? []
          : [
              `queryPeriod ${JSON.stringify(inputs.queryPeriod)} is shorter than queryFrequency ${JSON.stringify(inputs.queryFrequency)}`,
            ];
      },
    },
    {
      rule: "a suppression, when on, lasts at most 24 hours",
      source: `${sentinelRuleDocs} ("set Stop running query for to the amount of time the query should stop running, up to 24 hours")`,
      problems: (inputs) => {
        if (inputs.suppressionEnabled !== true) return [];
        const minutes = durationMinutes(inputs.suppressionDuration);
        return minutes !== undefined && minutes > 0 && minutes <= 1440
          ? []
          : [`suppressionDuration = ${JSON.stringify(inputs.suppressionDuration)}: at most PT24H`];
      },
    },
  ],
  undocumented: [
    "ruleId: no pattern in the spec (parameters.RuleId is a plain string)",
    "suppressionDuration while suppression is off: no limit documented (the 24 hours are documented for the setting when on)",
    "a technique's tactics (the templates' NoTechniquesWithoutMatchingTactics): a content rule of the Azure-Sentinel repository, not documented as ARM's",
    "the query's 10,000 characters are the analytics templates' validator; the REST spec has no maxLength",
  ],
};

// Microsoft.SecurityInsights/onboardingStates, 2024-09-01 (azure-native 3.28 securityinsights.SentinelOnboardingState).
const osSpec = spec(
  "securityinsights/resource-manager/Microsoft.SecurityInsights/stable/2024-09-01/OnboardingStates.json",
  "2024-09-01",
);
const sentinelOnboardingState: TypeRules = {
  api: "Microsoft.SecurityInsights/onboardingStates 2024-09-01",
  fields: [
    resourceGroupName,
    siWorkspaceNameRule,
    {
      path: "sentinelOnboardingStateName",
      required: true,
      check: oneOf(["default"]),
      source: `${osSpec} (SentinelOnboardingStateName: "Supports - default")`,
    },
    { path: "customerManagedKey", check: booleanValue, source: osSpec },
  ],
  undocumented: [],
};

// Microsoft.Authorization/roleEligibilityScheduleRequests, 2020-10-01 (azure-native 3.28
// authorization.PimRoleEligibilitySchedule creates schedules through them).
const pimSpec = spec(
  "authorization/resource-manager/Microsoft.Authorization/stable/2020-10-01/RoleEligibilityScheduleRequest.json",
  "2020-10-01",
);
const pimExample = spec(
  "authorization/resource-manager/Microsoft.Authorization/stable/2020-10-01/examples/PutRoleEligibilityScheduleRequest.json",
  "2020-10-01",
);
const pimRoleForm = `${pimExample} (at scope /subscriptions/<sub>, roleDefinitionId /subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>); azure-native polls for a schedule with its input's form and times out on the tenant form at a subscription scope (terraform-provider-azurerm issues 31052, 23775, 29830; another subscription's form fails too: 22588); the tenant form at management groups: ../shared/reference/entra-tap.md §4, terraform-provider-azurerm website/docs/r/pim_eligible_role_assignment.html.markdown (Management Group example)`;
const subscriptionScope = new RegExp(`^/subscriptions/(${guidPattern.source.slice(1, -1)})(/.*)?$`, "i");
const managementGroupScope = /^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i;
const roleIdForm = new RegExp(
  `^(?:/subscriptions/(${guidPattern.source.slice(1, -1)}))?/providers/Microsoft\\.Authorization/roleDefinitions/(${guidPattern.source.slice(1, -1)})$`,
  "i",
);
const pimRoleEligibilitySchedule: TypeRules = {
  api: "Microsoft.Authorization/roleEligibilityScheduleRequests 2020-10-01",
  fields: [
    {
      path: "scope",
      required: true,
      check: text(
        new RegExp(`${subscriptionScope.source}|${managementGroupScope.source}`, "i"),
        "an ARM scope: /subscriptions/<guid>[/...] or /providers/Microsoft.Management/managementGroups/<name>",
      ),
      source: `${pimSpec} (the request's {scope}); ${pimExample}`,
    },
    {
      path: "roleDefinitionId",
      required: true,
      check: text(roleIdForm, "a role definition id"),
      source: `${pimSpec} (required roleDefinitionId)`,
    },
    // From an invoke (getUser): under the mock runtime `id-of-<upn>`; Azure's is an object id. Only present is checked.
    { path: "principalId", required: true, check: nonEmptyText, source: `${pimSpec} (required principalId)` },
    {
      path: "scheduleInfo.expiration.type",
      check: oneOf(["AfterDuration", "AfterDateTime", "NoExpiration"]),
      source: `${pimSpec} (scheduleInfo.expiration.type)`,
    },
    { path: "scheduleInfo.startDateTime", check: dateTime, source: `${pimSpec} (format date-time)` },
    { path: "scheduleInfo.expiration.endDateTime", check: dateTime, source: `${pimSpec} (format date-time)` },
    {
      path: "requestType",
      check: oneOf([
        "AdminAssign",
        "AdminRemove",
        "AdminUpdate",
        "AdminExtend",
        "AdminRenew",
        "SelfActivate",
        "SelfDeactivate",
        "SelfExtend",
        "SelfRenew",
      ]),
      source: `${pimSpec} (RequestType)`,
    },
  ],
  resource: [
    {
      rule: "roleDefinitionId in the scope's form: /subscriptions/<the scope's subscription>/providers/Microsoft.Authorization/roleDefinitions/<guid> at a subscription, resource group or resource; the tenant form /providers/Microsoft.Authorization/roleDefinitions/<guid> at a management group",
      source: pimRoleForm,
      problems: (inputs) => {
        const { roleDefinitionId, scope } = inputs;
        if (typeof roleDefinitionId !== "string" || typeof scope !== "string") return [];
        const role = roleIdForm.exec(roleDefinitionId);
        if (!role) return [];
        const atSubscription = subscriptionScope.exec(scope);
        if (atSubscription) {
          return role[1]?.toLowerCase() === atSubscription[1].toLowerCase()
            ? []
            : [
                `roleDefinitionId ${JSON.stringify(roleDefinitionId)} at scope ${JSON.stringify(scope)}: must be /subscriptions/${atSubscription[1]}/providers/Microsoft.Authorization/roleDefinitions/${role[2]}`,
              ];
        }
        if (managementGroupScope.test(scope) && role[1] !== undefined) {
          return [
            `roleDefinitionId ${JSON.stringify(roleDefinitionId)} at management group scope ${JSON.stringify(scope)}: must be /providers/Microsoft.Authorization/roleDefinitions/${role[2]}`,
          ];
        }
        return [];
      },
    },
    {
      rule: "an AfterDateTime expiration has an endDateTime after startDateTime; an AfterDuration one a duration",
      source: `${pimSpec} (expiration: type, endDateTime, duration); ${pimExample}`,
      problems: (inputs) => {
        const schedule = objectOf(inputs.scheduleInfo);
        const expiration = objectOf(schedule.expiration);
        if (expiration.type === "AfterDateTime") {
          if (expiration.endDateTime === undefined)
            return ["scheduleInfo.expiration: AfterDateTime without endDateTime"];
          const start = Date.parse(String(schedule.startDateTime));
          const end = Date.parse(String(expiration.endDateTime));
          return !Number.isNaN(start) && !Number.isNaN(end) && end <= start
            ? [
                `scheduleInfo: ends (${String(expiration.endDateTime)}) no later than it starts (${String(schedule.startDateTime)})`,
              ]
            : [];
        }
        if (expiration.type === "AfterDuration" && expiration.duration === undefined) {
          return ["scheduleInfo.expiration: AfterDuration without duration"];
        }
        return [];
      },
    },
  ],
  undocumented: [
    "justification: no length limit in the spec",
    "ticketInfo.ticketNumber and ticketSystem: no length limit in the spec",
    "roleDefinitionId at a management group: the specs hold no example at that scope; the tenant form there is the Terraform provider's documentation and the project's reference",
  ],
};

// microsoft.aadiam/diagnosticSettings, 2017-04-01 (azure-native 3.28 aadiam.DiagnosticSetting): Entra's log routing.
const aadSpec = spec(
  "azureactivedirectory/resource-manager/Microsoft.Aadiam/stable/2017-04-01/azureactivedirectory.json",
  "2017-04-01",
);
/**
 * The Entra log categories a diagnostic setting routes, as https://learn.microsoft.com/en-us/entra/identity/monitoring-health/concept-diagnostic-settings-logs-options
 * lists them (the categories named there that were read; the page lists more, preview ones among them: add one here
 * when the stack routes it). azure-native 3.28's enum (aadiam.Category) holds only AuditLogs and SignInLogs.
 */
const entraLogCategories = [
  "AuditLogs",
  "SignInLogs",
  "NonInteractiveUserSignInLogs",
  "ServicePrincipalSignInLogs",
  "ManagedIdentitySignInLogs",
  "ProvisioningLogs",
  "ADFSSignInLogs",
  "RiskyUsers",
  "UserRiskEvents",
  "MicrosoftGraphActivityLogs",
];
const destinations = [
  "workspaceId",
  "storageAccountId",
  "eventHubAuthorizationRuleId",
  "serviceBusRuleId",
  "marketplacePartnerId",
];
const diagnosticsDocs =
  "https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/diagnostic-settings (a setting sends to one or more destinations)";
const atLeastOneDestination: ResourceRule = {
  rule: "at least one destination (workspace, storage account, event hub, partner)",
  source: diagnosticsDocs,
  problems: (inputs) => (destinations.some((key) => inputs[key] !== undefined) ? [] : ["no destination"]),
};
const aadiamDiagnosticSetting: TypeRules = {
  api: "microsoft.aadiam/diagnosticSettings 2017-04-01",
  fields: [
    {
      path: "logs[].category",
      required: true,
      check: oneOf(entraLogCategories),
      source: `${aadSpec} (LogSettings.category); https://learn.microsoft.com/en-us/entra/identity/monitoring-health/concept-diagnostic-settings-logs-options`,
    },
    {
      path: "logs[].enabled",
      required: true,
      check: booleanValue,
      source: `${aadSpec} (LogSettings required enabled)`,
    },
    {
      path: "logs[].retentionPolicy.days",
      check: integerIn(0, 2147483647),
      source: `${aadSpec} (RetentionPolicy.days minimum 0)`,
    },
    // The workspace's id: `<name>-id` under the mock runtime; its form is not checked.
    { path: "workspaceId", check: nonEmptyText, source: aadSpec },
  ],
  resource: [
    atLeastOneDestination,
    {
      rule: "each log category once",
      source: aadSpec,
      problems: (inputs) =>
        repeated(
          "log category",
          listOf(inputs.logs).map((log) => objectOf(log).category),
        ),
    },
  ],
  undocumented: ["name: no pattern or length in the spec (NameParameter is a plain string)"],
};

// Microsoft.Insights/diagnosticSettings, 2021-05-01-preview (azure-native 3.28 monitor.DiagnosticSetting): here a
// subscription's activity log.
const dsSpec = spec(
  "monitor/resource-manager/Microsoft.Insights/preview/2021-05-01-preview/diagnosticsSettings_API.json",
  "2021-05-01-preview",
);
/** The activity log's categories: https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log-schema (Categories). */
const activityLogCategories = [
  "Administrative",
  "ServiceHealth",
  "ResourceHealth",
  "Alert",
  "Autoscale",
  "Recommendation",
  "Security",
  "Policy",
];
const monitorDiagnosticSetting: TypeRules = {
  api: "Microsoft.Insights/diagnosticSettings 2021-05-01-preview",
  fields: [
    {
      path: "resourceUri",
      required: true,
      check: text(/^\/subscriptions\/[^/]+(\/.*)?$/i, "an ARM resource id"),
      source: `${dsSpec} (ResourceUriParameter, required)`,
    },
    {
      path: "logs[].enabled",
      required: true,
      check: booleanValue,
      source: `${dsSpec} (LogSettings required enabled)`,
    },
    {
      path: "logs[].retentionPolicy.days",
      check: integerIn(0, 2147483647),
      source: `${dsSpec} (RetentionPolicy.days minimum 0)`,
    },
    { path: "workspaceId", check: nonEmptyText, source: dsSpec },
  ],
  resource: [
    atLeastOneDestination,
    {
      rule: "a subscription's setting routes activity log categories (Administrative, ServiceHealth, ResourceHealth, Alert, Autoscale, Recommendation, Security, Policy)",
      source: `${dsSpec} (LogSettings.category); https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log-schema`,
      problems: (inputs) => {
        if (typeof inputs.resourceUri !== "string" || !/^\/subscriptions\/[^/]+$/i.test(inputs.resourceUri))
          return [];
        return listOf(inputs.logs).flatMap((log, i) => {
          const { category, categoryGroup } = objectOf(log);
          if (category === undefined && categoryGroup !== undefined) return [];
          return activityLogCategories.includes(category as string)
            ? []
            : [
                `logs[${i}].category = ${JSON.stringify(category)}: one of ${activityLogCategories.join(", ")}`,
              ];
        });
      },
    },
    {
      rule: "each log category once",
      source: dsSpec,
      problems: (inputs) =>
        repeated(
          "log category",
          listOf(inputs.logs).map((log) => objectOf(log).category),
        ),
    },
  ],
  undocumented: ["name: no pattern or length in the spec (NameParameter is a plain string)"],
};

// Microsoft.Insights/workbooks, 2023-06-01 (azure-native 3.28 applicationinsights.Workbook).
const wbSpec = spec(
  "applicationinsights/resource-manager/Microsoft.Insights/stable/2023-06-01/workbooks_API.json",
  "2023-06-01",
);
const workbook: TypeRules = {
  api: "Microsoft.Insights/workbooks 2023-06-01",
  fields: [
    resourceGroupName,
    {
      path: "resourceName",
      required: true,
      check: guid,
      source: `${azureNative("applicationinsights/workbook.d.ts")} (resourceName: "The value must be an UUID")`,
    },
    {
      path: "kind",
      check: oneOf(["shared"]),
      source: `${wbSpec} (WorkbookResource.kind: "Only valid value is shared")`,
    },
    {
      path: "location",
      required: true,
      check: nonEmptyText,
      source: `${wbSpec} (TrackedResource location, required)`,
    },
    {
      path: "displayName",
      required: true,
      check: nonEmptyText,
      source: `${wbSpec} (WorkbookProperties required displayName)`,
    },
    {
      path: "category",
      required: true,
      check: nonEmptyText,
      source: `${wbSpec} (WorkbookProperties required category)`,
    },
    {
      path: "serializedData",
      required: true,
      check: jsonText,
      source: `${wbSpec} (required serializedData: "a string containing valid JSON")`,
    },
    { path: "sourceId", check: nonEmptyText, source: wbSpec },
  ],
  resource: [
    {
      rule: "version, when given, matches the serializedData's",
      source: `${wbSpec} (version: "should match the workbook in serializedData")`,
      problems: (inputs) => {
        if (inputs.version === undefined || typeof inputs.serializedData !== "string") return [];
        try {
          const declared = (JSON.parse(inputs.serializedData) as { version?: unknown }).version;
          return declared === inputs.version
            ? []
            : [`version ${JSON.stringify(inputs.version)} ≠ serializedData's ${JSON.stringify(declared)}`];
        } catch {
          return [];
        }
      },
    },
    ...tagRules(),
  ],
  undocumented: [
    "serializedData: no size limit in the spec",
    "category: free text at PUT (the list operation's category parameter enumerates workbook, TSG, performance, retention)",
  ],
};

// azuread resources: the provider's schema (it checks some at plan time, Microsoft Graph the rest at apply).
const graphGroup =
  'https://learn.microsoft.com/en-us/graph/api/resources/group (displayName: "Maximum length is 256 characters")';
const group: TypeRules = {
  api: "azuread 6.9.1 azuread.Group (Microsoft Graph groups)",
  fields: [
    {
      path: "displayName",
      required: true,
      check: textLength(1, 256),
      source: `${azuread("group.d.ts")} (required); ${graphGroup}`,
    },
    {
      path: "owners[]",
      check: guid,
      source: `${azuread("group.d.ts")} (owners: "A set of object IDs of principals")`,
    },
    { path: "types[]", check: oneOf(["DynamicMembership", "Unified"]), source: azuread("group.d.ts") },
    {
      path: "visibility",
      check: oneOf(["Private", "Public", "Hiddenmembership"]),
      source: azuread("group.d.ts"),
    },
    {
      path: "theme",
      check: oneOf(["Blue", "Green", "Orange", "Pink", "Purple", "Red", "Teal"]),
      source: azuread("group.d.ts"),
    },
    {
      path: "mailNickname",
      check: textLength(1, 64),
      source:
        'https://learn.microsoft.com/en-us/graph/api/resources/group (mailNickname: "Maximum length is 64 characters")',
    },
  ],
  resource: [
    {
      rule: "security-enabled or mail-enabled, at least one",
      source: `${azuread("group.d.ts")} ("At least one of mailEnabled or securityEnabled must be specified")`,
      problems: (inputs) =>
        inputs.securityEnabled === true || inputs.mailEnabled === true
          ? []
          : ["neither securityEnabled nor mailEnabled"],
    },
    {
      rule: "a mail-enabled group is a Microsoft 365 group (types Unified) with a mailNickname",
      source: `${azuread("group.d.ts")} (mailEnabled: "Only Microsoft 365 groups can be mail enabled"; mailNickname: "Required for mail-enabled groups"; types: "Required when mailEnabled is true")`,
      problems: (inputs) =>
        inputs.mailEnabled !== true
          ? []
          : [
              ...(listOf(inputs.types).includes("Unified") ? [] : ["mailEnabled without types Unified"]),
              ...(inputs.mailNickname === undefined ? ["mailEnabled without mailNickname"] : []),
            ],
    },
    {
      rule: "assignableToRole only on a security-enabled group",
      source: `${azuread("group.d.ts")} (assignableToRole: "Can only be set to true for security-enabled groups")`,
      problems: (inputs) =>
        inputs.assignableToRole === true && inputs.securityEnabled !== true
          ? ["assignableToRole on a group that is not security-enabled"]
          : [],
    },
    {
      rule: "dynamicMembership only with types DynamicMembership, and not with members",
      source: `${azuread("group.d.ts")} (dynamicMembership: "Required when types contains DynamicMembership. Cannot be used with the members property")`,
      problems: (inputs) => {
        const dynamic = listOf(inputs.types).includes("DynamicMembership");
        return [
          ...(dynamic !== (inputs.dynamicMembership !== undefined)
            ? ["dynamicMembership and types DynamicMembership go together"]
            : []),
          ...(inputs.dynamicMembership !== undefined && inputs.members !== undefined
            ? ["dynamicMembership with members"]
            : []),
        ];
      },
    },
  ],
  undocumented: ["description: no length limit in Microsoft Graph's group resource or the provider's schema"],
};

const groupMember: TypeRules = {
  api: "azuread 6.9.1 azuread.GroupMember",
  fields: [
    // Object ids from other resources and invokes: mock placeholders here; only present is checked.
    {
      path: "groupObjectId",
      required: true,
      check: nonEmptyText,
      source: `${azuread("groupMember.d.ts")} (required groupObjectId)`,
    },
    {
      path: "memberObjectId",
      required: true,
      check: nonEmptyText,
      source: `${azuread("groupMember.d.ts")} (required memberObjectId)`,
    },
  ],
  undocumented: [],
};

const caPolicy = azuread("conditionalAccessPolicy.d.ts and types/input.d.ts");
const conditionalAccessPolicy: TypeRules = {
  api: "azuread 6.9.1 azuread.ConditionalAccessPolicy (Microsoft Graph conditionalAccessPolicy)",
  fields: [
    {
      path: "displayName",
      required: true,
      check: nonEmptyText,
      source: `${caPolicy} (required displayName)`,
    },
    {
      path: "state",
      required: true,
      check: oneOf(["enabled", "disabled", "enabledForReportingButNotEnforced"]),
      source: `${caPolicy} (state)`,
    },
    {
      path: "conditions.clientAppTypes",
      required: true,
      check: items(1, 6),
      source: `${caPolicy} (required clientAppTypes)`,
    },
    {
      path: "conditions.clientAppTypes[]",
      check: oneOf([
        "all",
        "browser",
        "mobileAppsAndDesktopClients",
        "exchangeActiveSync",
        "easSupported",
        "other",
      ]),
      source: `${caPolicy} (clientAppTypes)`,
    },
    {
      path: "conditions.applications.includedUserActions[]",
      check: oneOf(["urn:user:registerdevice", "urn:user:registersecurityinfo"]),
      source: `${caPolicy} (includedUserActions)`,
    },
    { path: "conditions.users.excludedGroups[]", check: nonEmptyText, source: caPolicy },
    { path: "conditions.users.includedGroups[]", check: nonEmptyText, source: caPolicy },
    {
      path: "grantControls.operator",
      check: oneOf(["AND", "OR"]),
      source: `${caPolicy} (grantControls.operator)`,
    },
    {
      path: "grantControls.builtInControls[]",
      check: oneOf([
        "block",
        "mfa",
        "approvedApplication",
        "compliantApplication",
        "compliantDevice",
        "domainJoinedDevice",
        "passwordChange",
        "unknownFutureValue",
      ]),
      source: `${caPolicy} (builtInControls)`,
    },
    {
      path: "sessionControls.signInFrequency",
      check: integer,
      source: `${caPolicy}; https://learn.microsoft.com/en-us/graph/api/resources/signinfrequencysessioncontrol (value: Int32, "The number of days or hours")`,
    },
    {
      path: "sessionControls.signInFrequencyPeriod",
      check: oneOf(["hours", "days"]),
      source: `${caPolicy} (signInFrequencyPeriod)`,
    },
    {
      path: "sessionControls.signInFrequencyAuthenticationType",
      check: oneOf(["primaryAndSecondaryAuthentication", "secondaryAuthentication"]),
      source: `${caPolicy} (signInFrequencyAuthenticationType)`,
    },
    {
      path: "sessionControls.signInFrequencyInterval",
      check: oneOf(["timeBased", "everyTime"]),
      source: `${caPolicy} (signInFrequencyInterval)`,
    },
    {
      path: "sessionControls.persistentBrowserMode",
      check: oneOf(["always", "never"]),
      source: `${caPolicy} (persistentBrowserMode)`,
    },
  ],
  resource: [
    {
      rule: "grantControls or sessionControls, at least one",
      source: `${caPolicy} ("At least one of grantControls and/or sessionControls blocks must be specified")`,
      problems: (inputs) =>
        inputs.grantControls === undefined && inputs.sessionControls === undefined
          ? ["neither grantControls nor sessionControls"]
          : [],
    },
    {
      rule: "applications: includedApplications or includedUserActions, exactly one",
      source: `${caPolicy} (includedApplications: "Cannot be specified with includedUserActions. One of includedApplications or includedUserActions must be specified")`,
      problems: (inputs) => {
        const applications = objectOf(objectOf(inputs.conditions).applications);
        const both = [applications.includedApplications, applications.includedUserActions].filter(
          (v) => v !== undefined,
        );
        return both.length === 1
          ? []
          : [`conditions.applications: ${both.length} of includedApplications and includedUserActions`];
      },
    },
    {
      rule: "users: at least one of includedGroups, includedGuestsOrExternalUsers, includedRoles, includedUsers",
      source: `${caPolicy} (includedUsers: "At least one of includedGroups, includedGuestsOrExternalUsers, includedRoles or includedUsers must be specified")`,
      problems: (inputs) => {
        const users = objectOf(objectOf(inputs.conditions).users);
        return ["includedGroups", "includedGuestsOrExternalUsers", "includedRoles", "includedUsers"].some(
          (key) => listOf(users[key]).length > 0,
        )
          ? []
          : ["conditions.users includes no one"];
      },
    },
    {
      rule: "grantControls: at least one of authenticationStrengthPolicyId, builtInControls, termsOfUses",
      source: `${caPolicy} (termsOfUses: "At least one of authenticationStrengthPolicyId, builtInControls or termsOfUse must be specified")`,
      problems: (inputs) => {
        if (inputs.grantControls === undefined) return [];
        const grant = objectOf(inputs.grantControls);
        return grant.authenticationStrengthPolicyId !== undefined ||
          listOf(grant.builtInControls).length > 0 ||
          listOf(grant.termsOfUses).length > 0
          ? []
          : ["grantControls requires nothing"];
      },
    },
    {
      rule: "signInFrequency and signInFrequencyPeriod together",
      source: `${caPolicy} (signInFrequency and signInFrequencyPeriod: "Required when signInFrequencyPeriod is specified")`,
      problems: (inputs) => {
        const session = objectOf(inputs.sessionControls);
        return (session.signInFrequency === undefined) === (session.signInFrequencyPeriod === undefined)
          ? []
          : ["sessionControls: signInFrequency without signInFrequencyPeriod, or the other way round"];
      },
    },
  ],
  undocumented: [
    "displayName: no length limit in Microsoft Graph's conditionalAccessPolicy resource or the provider's schema",
    'sessionControls.signInFrequency: no range in Microsoft Graph (Int32, "The number of days or hours")',
  ],
};

/** The provider's example "with all possible combinations" (node_modules/@pulumi/azuread/authenticationStrengthPolicy.d.ts). */
const strengthCombinations = [
  "fido2",
  "password",
  "deviceBasedPush",
  "temporaryAccessPassOneTime",
  "federatedMultiFactor",
  "federatedSingleFactor",
  "hardwareOath,federatedSingleFactor",
  "microsoftAuthenticatorPush,federatedSingleFactor",
  "password,hardwareOath",
  "password,microsoftAuthenticatorPush",
  "password,sms",
  "password,softwareOath",
  "password,voice",
  "sms",
  "sms,federatedSingleFactor",
  "softwareOath,federatedSingleFactor",
  "temporaryAccessPassMultiUse",
  "voice,federatedSingleFactor",
  "windowsHelloForBusiness",
  "x509CertificateMultiFactor",
  "x509CertificateSingleFactor",
];
const authenticationStrengthPolicy: TypeRules = {
  api: "azuread 6.9.1 azuread.AuthenticationStrengthPolicy (Microsoft Graph authenticationStrengthPolicy)",
  fields: [
    {
      path: "displayName",
      required: true,
      check: nonEmptyText,
      source: `${azuread("authenticationStrengthPolicy.d.ts")} (required displayName)`,
    },
    {
      path: "allowedCombinations",
      required: true,
      check: items(1, strengthCombinations.length),
      source: `${azuread("authenticationStrengthPolicy.d.ts")} (required allowedCombinations)`,
    },
    {
      path: "allowedCombinations[]",
      check: oneOf(strengthCombinations),
      source: `${azuread("authenticationStrengthPolicy.d.ts")} (example "with all possible combinations"); https://learn.microsoft.com/en-us/graph/api/resources/authenticationstrengthpolicy (allowedCombinations: authenticationMethodModes)`,
    },
  ],
  resource: [
    {
      rule: "each combination once",
      source: azuread("authenticationStrengthPolicy.d.ts"),
      problems: (inputs) => repeated("combination", listOf(inputs.allowedCombinations)),
    },
  ],
  undocumented: [
    "displayName and description: no length limit in Microsoft Graph's authenticationStrengthPolicy resource or the provider's schema",
  ],
};

/** ARM's (and Graph's) rules by Pulumi type token. A declared azure-native or azuread type missing here fails the test. */
export const armRules: Record<string, TypeRules> = {
  "azure-native:monitor:ScheduledQueryRule": scheduledQueryRule,
  "azure-native:monitor:ActionGroup": actionGroup,
  "azure-native:operationalinsights:Workspace": workspace,
  "azure-native:operationalinsights:SavedSearch": savedSearch,
  "azure-native:securityinsights:ScheduledAlertRule": scheduledAlertRule,
  "azure-native:securityinsights:SentinelOnboardingState": sentinelOnboardingState,
  "azure-native:authorization:PimRoleEligibilitySchedule": pimRoleEligibilitySchedule,
  "azure-native:aadiam:DiagnosticSetting": aadiamDiagnosticSetting,
  "azure-native:monitor:DiagnosticSetting": monitorDiagnosticSetting,
  "azure-native:applicationinsights:Workbook": workbook,
  "azuread:index/group:Group": group,
  "azuread:index/groupMember:GroupMember": groupMember,
  "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy": conditionalAccessPolicy,
  "azuread:index/authenticationStrengthPolicy:AuthenticationStrengthPolicy": authenticationStrengthPolicy,
};

/** The Pulumi types ARM's (or Graph's) rules are for: every azure-native and azuread resource. */
export const isArmType = (type: string) => type.startsWith("azure-native:") || type.startsWith("azuread:");

// Rules across the resources of a stack.

export interface StackRule {
  rule: string;
  source: string;
  problems(declared: readonly DeclaredResource[]): string[];
}

const plain = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : undefined);
const ofType = (declared: readonly DeclaredResource[], type: string) =>
  declared.filter((r) => r.type === type);

/**
 * A resource's ARM id (lower-cased), for the types entra-tap names itself; undefined when it is auto-named or a part
 * of its path is not known offline. The path is the spec's PUT path for the type.
 */
function armIdOf(resource: DeclaredResource): string | undefined {
  const i = resource.inputs;
  const parts = (...values: unknown[]) =>
    values.every((v) => typeof v === "string") ? values.map(plain).join("/") : undefined;
  switch (resource.type) {
    case "azure-native:operationalinsights:Workspace":
      return parts("rg", i.resourceGroupName, "workspaces", i.workspaceName);
    case "azure-native:operationalinsights:SavedSearch":
      return parts(
        "rg",
        i.resourceGroupName,
        "workspaces",
        i.workspaceName,
        "savedSearches",
        i.savedSearchId,
      );
    case "azure-native:securityinsights:ScheduledAlertRule":
      return parts("rg", i.resourceGroupName, "workspaces", i.workspaceName, "alertRules", i.ruleId);
    case "azure-native:securityinsights:SentinelOnboardingState":
      return parts(
        "rg",
        i.resourceGroupName,
        "workspaces",
        i.workspaceName,
        "onboardingStates",
        i.sentinelOnboardingStateName,
      );
    case "azure-native:applicationinsights:Workbook":
      return parts("rg", i.resourceGroupName, "workbooks", i.resourceName);
    case "azure-native:monitor:DiagnosticSetting":
      return parts(i.resourceUri, "diagnosticSettings", i.name);
    case "azure-native:aadiam:DiagnosticSetting":
      return parts("aadiam/diagnosticSettings", i.name);
    default:
      return undefined;
  }
}

export const stackRules: StackRule[] = [
  {
    rule: "no two resources of the stack have the same ARM id (a PUT to an id updates the resource there)",
    source:
      "the specs' PUT paths of each type (e.g. .../workspaces/{workspaceName}/savedSearches/{savedSearchId}); ARM addresses a resource by its id",
    problems: (declared) => {
      const seen = new Map<string, string>();
      return declared.flatMap((resource) => {
        const id = armIdOf(resource);
        if (id === undefined) return [];
        const first = seen.get(id);
        if (first === undefined) {
          seen.set(id, resource.name);
          return [];
        }
        return [`${resource.name} and ${first} are both ${id}`];
      });
    },
  },
  {
    rule: "a Sentinel rule's workspace is onboarded to Sentinel in the stack (a SentinelOnboardingState of the workspace) before the rule is created (the rule depends on it)",
    source: `${osSpec}; ARM refuses a rule otherwise: "Workspace ... is not onboarded to Microsoft Sentinel" (../shared/reference/entra-tap.md §4)`,
    problems: (declared) => {
      const workspaces = new Set(
        ofType(declared, "azure-native:operationalinsights:Workspace").map(
          (w) => `${plain(w.inputs.resourceGroupName)}/${plain(w.inputs.workspaceName)}`,
        ),
      );
      const onboarding = ofType(declared, "azure-native:securityinsights:SentinelOnboardingState");
      return ofType(declared, "azure-native:securityinsights:ScheduledAlertRule").flatMap((rule) => {
        const key = `${plain(rule.inputs.resourceGroupName)}/${plain(rule.inputs.workspaceName)}`;
        // A workspace the stack does not create (an existing one by resource id) may be onboarded already.
        if (!workspaces.has(key)) return [];
        const state = onboarding.find(
          (o) => `${plain(o.inputs.resourceGroupName)}/${plain(o.inputs.workspaceName)}` === key,
        );
        if (!state) return [`${rule.name}: workspace ${key} is created here and never onboarded to Sentinel`];
        return rule.dependsOn.includes(state.name) ? [] : [`${rule.name}: does not depend on ${state.name}`];
      });
    },
  },
  {
    rule: "one PIM role eligibility per scope, principal and role",
    source: `${azureNative("authorization/pimRoleEligibilitySchedule.d.ts")} ("only one instance of this resource can exist for a given scope|principal|role tuple")`,
    problems: (declared) => {
      const seen = new Map<string, string>();
      return ofType(declared, "azure-native:authorization:PimRoleEligibilitySchedule").flatMap((resource) => {
        const role = roleIdForm.exec(String(resource.inputs.roleDefinitionId))?.[2];
        const key = `${plain(resource.inputs.scope)}|${String(resource.inputs.principalId)}|${plain(role)}`;
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, resource.name);
          return [];
        }
        return [`${resource.name} and ${first}: ${key}`];
      });
    },
  },
  {
    rule: "at most 5 diagnostic settings per resource",
    source: `${monitorLimits} (Diagnostic settings: "Maximum number of diagnostic settings per resource: 5")`,
    problems: (declared) => {
      const count = new Map<string, number>();
      for (const setting of ofType(declared, "azure-native:monitor:DiagnosticSetting")) {
        const uri = plain(setting.inputs.resourceUri) ?? "";
        count.set(uri, (count.get(uri) ?? 0) + 1);
      }
      return [...count].filter(([, n]) => n > 5).map(([uri, n]) => `${uri}: ${n} diagnostic settings`);
    },
  },
];
