// ARM's rules for microsoft.aadiam: Entra's diagnostic settings (its log routing).
import { booleanValue, integerIn, nonEmptyText, oneOf, type TypeRules } from "../armChecks";
import { atLeastOneDestination, listOf, objectOf, repeated, spec } from "./common";

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
export const aadiamDiagnosticSetting: TypeRules = {
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
