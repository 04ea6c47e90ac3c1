// ARM's rules for Microsoft.SecurityInsights (Sentinel): scheduled analytics rules and the workspace's onboarding.
import {
  anyDuration,
  booleanValue,
  durationBetween,
  durationMinutes,
  integerIn,
  items,
  nonEmptyText,
  oneOf,
  text,
  textLength,
  type TypeRules,
} from "../armChecks";
import { resourceGroupName, spec } from "./common";

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
export const scheduledAlertRule: TypeRules = {
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
export const osSpec = spec(
  "securityinsights/resource-manager/Microsoft.SecurityInsights/stable/2024-09-01/OnboardingStates.json",
  "2024-09-01",
);
export const sentinelOnboardingState: TypeRules = {
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
