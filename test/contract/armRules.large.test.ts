// ARM's rules (armRules.ts) over every Azure and Entra resource a stack of 5,000 generated grants declares: Azure roles
// in the three forms a stack file may hold them, expected locations, PIM for Groups memberships, and Sentinel on.
// Evaluating 5,000 grants takes a while (about 40 s here, two minutes on a busy machine): once, in beforeAll.
import { evaluateLargeStack } from "../support/contractStacks";
import { describeArmContract } from "./armContract";

describeArmContract("5,000-grant", () => evaluateLargeStack(5000), {
  timeoutMs: 900_000,
  mustDeclare: [
    "azure-native:monitor:ScheduledQueryRule",
    "azure-native:securityinsights:ScheduledAlertRule",
    "azure-native:authorization:PimRoleEligibilitySchedule",
    "azure-native:operationalinsights:Workspace",
    "azuread:index/groupMember:GroupMember",
  ],
});
