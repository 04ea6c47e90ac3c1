// The role definition id a PIM role eligibility (azure-native `authorization.PimRoleEligibilitySchedule`) declares at
// its scope. Azure stores, and answers with, the id in the form of the scope: at a subscription, resource group or
// resource, `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>`; at a management group,
// `/providers/Microsoft.Authorization/roleDefinitions/<guid>` (the tenant form). azure-native, after creating the
// schedule request, waits for a schedule whose role definition id is its input: given the tenant form at a
// subscription scope, it never finds one and times out after 10 minutes (terraform-provider-azurerm#31052, #23775 and
// #29830 report the same of azurerm_pim_eligible_role_assignment).
//
// What Azure answers with:
// - at a subscription: the Azure REST API specs' Microsoft.Authorization examples of roleEligibilitySchedules
//   (specification/authorization/resource-manager/Microsoft.Authorization/stable/2020-10-01/examples/
//   GetRoleEligibilityScheduleByName.json and PutRoleEligibilityScheduleRequest.json; the same in
//   preview/2024-09-01-preview/examples/GetRoleEligibilityScheduleByName.json and
//   GetRoleEligibilityScheduleInstancesByScope.json) answer, for scope /subscriptions/dfa2a084-...,
//   "roleDefinitionId": "/subscriptions/dfa2a084-.../providers/Microsoft.Authorization/roleDefinitions/<guid>".
// - at a management group: the specs hold no roleEligibilitySchedules example at that scope (every one of them is at
//   a subscription). terraform-provider-azurerm's documentation of azurerm_pim_eligible_role_assignment
//   (website/docs/r/pim_eligible_role_assignment.html.markdown, "Example Usage (Management Group)") declares the
//   unscoped `data.azurerm_role_definition` id there, the tenant form, where its subscription example prefixes the
//   subscription id.
//
// Pulumi-free and pure: the config rules (config/grantRules.ts) and the component (temporaryAccessGrant.ts) both use it.

const guid = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const roleDefinitionsPath = "/providers/Microsoft.Authorization/roleDefinitions/";

const roleDefinitionIdSource = `^(?:/subscriptions/(${guid}))?/providers/Microsoft\\.Authorization/roleDefinitions/(${guid})$`;
const azureScopeSource = `^(?:/subscriptions/(${guid})(?:/.+)?|/providers/Microsoft\\.Management/managementGroups/[^/]+)$`;

/** A role definition id in either form: `[/subscriptions/<guid>]/providers/Microsoft.Authorization/roleDefinitions/<guid>`. */
export const roleDefinitionIdPattern = new RegExp(roleDefinitionIdSource);

/** An Azure scope a grant's role may have: `/subscriptions/<guid>[/...]` or a management group. */
export const azureScopePattern = new RegExp(azureScopeSource);

/** The same forms, whatever the case: Azure Resource Manager ids ignore case, and so does a role's identity. */
const anyCase = {
  roleDefinitionId: new RegExp(roleDefinitionIdSource, "i"),
  scope: new RegExp(azureScopeSource, "i"),
};

export type RoleDefinitionIdForScope =
  /** The id to declare. */
  | { ok: true; roleDefinitionId: string }
  /** Refused: `allowed` says what is allowed instead. */
  | { ok: false; allowed: string };

/**
 * The role definition id to declare for a role at `scope`, given the configured id in either form: at a subscription
 * (or a resource group or resource in it), the subscription form of that subscription; at a management group, the
 * tenant form. A subscription-form id of another subscription, or one at a management group, is refused. GUIDs are
 * compared ignoring case and kept as written (an id already in the right form is declared as it is).
 *
 * Undefined when the id or the scope is of no form this knows: the config schema refuses those, and says so.
 */
export function roleDefinitionIdForScope(
  roleDefinitionId: string,
  scope: string,
): RoleDefinitionIdForScope | undefined {
  return forScope(roleDefinitionId, scope, {
    roleDefinitionId: roleDefinitionIdPattern,
    scope: azureScopePattern,
  });
}

function forScope(
  roleDefinitionId: string,
  scope: string,
  patterns: { roleDefinitionId: RegExp; scope: RegExp },
): RoleDefinitionIdForScope | undefined {
  const role = patterns.roleDefinitionId.exec(roleDefinitionId);
  const at = patterns.scope.exec(scope);
  if (!role || !at) return undefined;
  const [, roleSubscription, roleGuid] = role;
  const scopeSubscription = at[1];
  const tenantForm = `${roleDefinitionsPath}${roleGuid}`;
  if (scopeSubscription === undefined) {
    // A management group.
    return roleSubscription === undefined
      ? { ok: true, roleDefinitionId }
      : { ok: false, allowed: `the tenant form at a management-group scope, ${tenantForm}` };
  }
  if (roleSubscription === undefined) {
    return { ok: true, roleDefinitionId: `/subscriptions/${scopeSubscription}${tenantForm}` };
  }
  return roleSubscription.toLowerCase() === scopeSubscription.toLowerCase()
    ? { ok: true, roleDefinitionId }
    : {
        ok: false,
        allowed:
          `a role definition id of the scope's subscription, /subscriptions/${scopeSubscription}${tenantForm}, ` +
          `or the tenant form, ${tenantForm}, which entra-tap converts to it`,
      };
}

/**
 * What makes a role at a scope one eligibility: the id it declares and its scope, ignoring case. Both forms of one
 * role at one scope have the same identity; it is the identity the subscription form always had (so the resource
 * named after it keeps its name). A refused or unknown id is its own identity: its refusal is reported elsewhere.
 */
export function roleAtScopeIdentity(roleDefinitionId: string, scope: string): string {
  const declared = forScope(roleDefinitionId, scope, anyCase);
  return `${declared?.ok ? declared.roleDefinitionId : roleDefinitionId}\n${scope}`.toLowerCase();
}
