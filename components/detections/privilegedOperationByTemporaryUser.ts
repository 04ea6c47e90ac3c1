import { actorAccount, actorAddress, type Detection, type PrivilegedOperations } from "./detection";
import { grantUserAzureOperations, grantUserDirectoryChanges, joinedToGrants } from "./fragments";
import { grantLets } from "./grantFunctions";
import { kqlStringList } from "./kql";

/** The operations config starts from (`entra-tap:monitoring.privilegedOperations`). */
export const defaultPrivilegedOperations: PrivilegedOperations = {
  azure: [
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleDefinitions/write",
    "Microsoft.Authorization/policyAssignments/write",
    "Microsoft.Authorization/policyAssignments/delete",
    "Microsoft.Authorization/policyDefinitions/write",
    "Microsoft.Authorization/policyExemptions/write",
    "Microsoft.Authorization/locks/delete",
    "Microsoft.KeyVault/vaults/secrets/read",
    "Microsoft.KeyVault/vaults/accessPolicies/write",
    "Microsoft.Storage/storageAccounts/listKeys/action",
  ],
  directory: [
    "Add member to role",
    "Add eligible member to role",
    "Add owner to application",
    "Add service principal credentials",
    "Consent to application",
    "Reset user password",
    "Update conditional access policy",
    "Delete conditional access policy",
  ],
};

export const privilegedOperationByTemporaryUser: Detection = {
  key: "privilegedOperationByTemporaryUser",
  version: "1.0.0",
  tables: ["AuditLogs", "AzureActivity"],
  displayName: "Privileged operation by a user with temporary access",
  description:
    "A grant's user, from the grant's start on, performed one of the configured privileged operations: Azure role assignment or policy writes, Key Vault secret reads, storage key listing (AzureActivity), or directory role and credential changes (AuditLogs). DuringGrant says whether it was inside the window.",
  blindSpots:
    "Matches operation names from config exactly (case-insensitively): an operation not listed is not seen. AzureActivity holds the control plane only: reading a secret's value through the Key Vault data plane is in the vault's own diagnostic logs, not here. Needs the subscriptions' activity log in the workspace; subscriptions not listed under activityLog are not seen.",
  severity: 2,
  evaluationFrequency: "PT15M",
  windowSize: "PT15M",
  threshold: 0,
  tactics: ["PrivilegeEscalation", "Persistence", "DefenseEvasion", "CredentialAccess"],
  techniques: ["T1078", "T1098", "T1484", "T1555"],
  entities: [actorAccount, actorAddress],
  query: (context) => `${grantLets}
let PrivilegedAzureOperations = ${kqlStringList(context.privilegedOperations.azure)};
let PrivilegedDirectoryOperations = ${kqlStringList(context.privilegedOperations.directory)};
union
(${grantUserDirectoryChanges}
| where Operation in~ (PrivilegedDirectoryOperations)),
(${grantUserAzureOperations}
| where Operation in~ (PrivilegedAzureOperations))
${joinedToGrants}
| where TimeGenerated >= GrantStart
| summarize arg_max(GrantStart, GrantName, Ticket, GrantExpiry) by EventId, TimeGenerated, Source, Operation, Target, Actor, ActorId, IPAddress, Result, CorrelationId
| extend DuringGrant = TimeGenerated <= GrantExpiry
| project TimeGenerated, GrantName, Ticket, DuringGrant, Source, Operation, Target, Actor, ActorId, IPAddress, Result, CorrelationId`,
};
