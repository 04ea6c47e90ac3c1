// Azure Resource Manager's own rules (and Microsoft Graph's, for the azuread resources), as data: per resource type,
// the field rules and the rules across fields, each with where it is written; and the rules across resources of a
// stack. Taken from the Azure REST API specs (github.com/Azure/azure-rest-api-specs, `specification/...`, at the
// api-version azure-native 3.28 uses for the resource), Microsoft's documentation, and the providers' schemas. A limit
// that was looked for and not found is listed under `undocumented`, never guessed.
//
// The numbers are the services' rules, not entra-tap's config rules (config/), which may be stricter.
//
// The rules live in armRules/, one file per resource provider namespace (and its largest type on its own); this
// module assembles them by Pulumi type token.
import type { TypeRules } from "./armChecks";
import { aadiamDiagnosticSetting } from "./armRules/aadiam";
import { pimRoleEligibilitySchedule } from "./armRules/authorization";
import {
  authenticationStrengthPolicy,
  conditionalAccessPolicy,
  group,
  groupMember,
} from "./armRules/azuread";
import { actionGroup, monitorDiagnosticSetting, workbook } from "./armRules/insights";
import { scheduledQueryRule } from "./armRules/insights.scheduledQueryRules";
import { savedSearch, workspace } from "./armRules/operationalInsights";
import { scheduledAlertRule, sentinelOnboardingState } from "./armRules/securityInsights";

export { logAlertPropertiesMaxBytes } from "./armRules/insights.scheduledQueryRules";
export { stackRules } from "./armRules/stack";

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
