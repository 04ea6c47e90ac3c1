// ARM's rules (armRules.ts) over every Azure and Entra resource the dev stack (Pulumi.dev.yaml) declares.
import { devStackFile, evaluateContractStack } from "../support/contractStacks";
import { describeArmContract } from "./armContract";

describeArmContract("dev", () => evaluateContractStack(devStackFile, "dev"), {
  timeoutMs: 120_000,
  mustDeclare: [
    "azure-native:monitor:ScheduledQueryRule",
    "azure-native:monitor:ActionGroup",
    "azure-native:operationalinsights:Workspace",
    "azure-native:authorization:PimRoleEligibilitySchedule",
    "azure-native:aadiam:DiagnosticSetting",
    "azure-native:monitor:DiagnosticSetting",
    "azure-native:applicationinsights:Workbook",
    "azuread:index/group:Group",
    "azuread:index/groupMember:GroupMember",
    "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy",
  ],
});
