// ARM's rules for the rest of Microsoft.Insights: action groups, a subscription's diagnostic settings, workbooks.
import {
  booleanValue,
  guid,
  integerIn,
  items,
  jsonText,
  nonEmptyText,
  oneOf,
  text,
  textLength,
  type TypeRules,
} from "../armChecks";
import {
  atLeastOneDestination,
  azureNative,
  listOf,
  monitorLimits,
  objectOf,
  repeated,
  resourceGroupName,
  spec,
  tagRules,
} from "./common";

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
export const actionGroup: TypeRules = {
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
export const monitorDiagnosticSetting: TypeRules = {
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
export const workbook: TypeRules = {
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
