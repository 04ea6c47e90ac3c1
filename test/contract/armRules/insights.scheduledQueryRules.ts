// ARM's rules for Microsoft.Insights/scheduledQueryRules: the log search alerts.
import {
  anyDuration,
  booleanValue,
  durationMinutes,
  durationOneOf,
  integerIn,
  items,
  jsonBytes,
  nonEmptyText,
  numberValue,
  oneOf,
  textLength,
  type TypeRules,
} from "../armChecks";
import { listOf, monitorLimits, objectOf, resourceGroupName, spec, tagLimits, tagRules } from "./common";

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

export const scheduledQueryRule: TypeRules = {
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
