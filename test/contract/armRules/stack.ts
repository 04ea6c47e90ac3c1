// Rules across the resources of a stack: ARM ids, Sentinel's onboarding, PIM eligibilities, diagnostic settings.
import type { DeclaredResource } from "../../../scripts/declaredResources";
import { roleIdForm } from "./authorization";
import { azureNative, monitorLimits } from "./common";
import { osSpec } from "./securityInsights";

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
