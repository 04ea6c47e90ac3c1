// The role definition id a PIM role eligibility declares at its scope: the subscription form at a subscription,
// resource group or resource, the tenant form at a management group, whichever form the config holds.
import { roleAtScopeIdentity, roleDefinitionIdForScope } from "../../components/roleDefinitionId";

const subscription = "5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59";
const otherSubscription = "1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6";
const reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const tenantForm = `/providers/Microsoft.Authorization/roleDefinitions/${reader}`;
const subscriptionForm = `/subscriptions/${subscription}${tenantForm}`;
const managementGroup = "/providers/Microsoft.Management/managementGroups/mg-contoso-platform";

const scopes = {
  subscription: `/subscriptions/${subscription}`,
  "resource group": `/subscriptions/${subscription}/resourceGroups/rg-billing-exports`,
  resource: `/subscriptions/${subscription}/resourceGroups/rg-billing-exports/providers/Microsoft.Storage/storageAccounts/stexports`,
};

describe("roleDefinitionIdForScope", () => {
  describe.each(Object.entries(scopes))("at a %s scope", (_kind, scope) => {
    it("declares the subscription form of a tenant-form id, in the scope's subscription", () => {
      expect(roleDefinitionIdForScope(tenantForm, scope)).toEqual({
        ok: true,
        roleDefinitionId: subscriptionForm,
      });
    });

    it("declares a subscription-form id of the scope's subscription as it is", () => {
      expect(roleDefinitionIdForScope(subscriptionForm, scope)).toEqual({
        ok: true,
        roleDefinitionId: subscriptionForm,
      });
    });

    it("refuses a subscription-form id of another subscription, naming the forms allowed", () => {
      expect(roleDefinitionIdForScope(`/subscriptions/${otherSubscription}${tenantForm}`, scope)).toEqual({
        ok: false,
        allowed:
          `a role definition id of the scope's subscription, /subscriptions/${subscription}/providers/` +
          `Microsoft.Authorization/roleDefinitions/${reader}, or the tenant form, ${tenantForm}, which entra-tap ` +
          "converts to it",
      });
    });
  });

  it("compares subscriptions ignoring case, and keeps each GUID as written", () => {
    const upperScope = `/subscriptions/${subscription.toUpperCase()}/resourceGroups/rg-billing-exports`;
    const upperRole = tenantForm.replace(reader, reader.toUpperCase());
    expect(roleDefinitionIdForScope(subscriptionForm, upperScope)).toEqual({
      ok: true,
      roleDefinitionId: subscriptionForm,
    });
    expect(roleDefinitionIdForScope(upperRole, upperScope)).toEqual({
      ok: true,
      roleDefinitionId: `/subscriptions/${subscription.toUpperCase()}${upperRole}`,
    });
  });

  describe("at a management-group scope", () => {
    it("declares the tenant form as it is", () => {
      expect(roleDefinitionIdForScope(tenantForm, managementGroup)).toEqual({
        ok: true,
        roleDefinitionId: tenantForm,
      });
    });

    it("refuses a subscription-form id, naming the tenant form", () => {
      expect(roleDefinitionIdForScope(subscriptionForm, managementGroup)).toEqual({
        ok: false,
        allowed: `the tenant form at a management-group scope, ${tenantForm}`,
      });
    });
  });

  it.each([
    ["a role name", "Reader", scopes.subscription],
    ["a bare GUID", reader, scopes.subscription],
    [
      "a role id of another provider",
      `/providers/Microsoft.Web/roleDefinitions/${reader}`,
      scopes.subscription,
    ],
    ["a scope that is no Azure scope", tenantForm, "/resourceGroups/rg-billing-exports"],
    ["a subscription that is no GUID", tenantForm, "/subscriptions/billing"],
  ])("judges nothing of %s (the config schema refuses it)", (_what, roleDefinitionId, scope) => {
    expect(roleDefinitionIdForScope(roleDefinitionId, scope)).toBeUndefined();
  });
});

describe("roleAtScopeIdentity", () => {
  it("is the same for both forms of one role at one scope, whatever the case", () => {
    const scope = scopes["resource group"];
    const identity = roleAtScopeIdentity(subscriptionForm, scope);
    expect(roleAtScopeIdentity(tenantForm, scope)).toBe(identity);
    const upperScope = scope.replace(subscription, subscription.toUpperCase());
    expect(roleAtScopeIdentity(tenantForm.replace(reader, reader.toUpperCase()), upperScope)).toBe(identity);
    expect(roleAtScopeIdentity(tenantForm, scope.toUpperCase())).toBe(identity);
    expect(roleAtScopeIdentity(subscriptionForm.toUpperCase(), scope)).toBe(identity);
  });

  it("tells apart scopes, roles and a management group", () => {
    const identities = new Set([
      roleAtScopeIdentity(tenantForm, scopes.subscription),
      roleAtScopeIdentity(tenantForm, scopes["resource group"]),
      roleAtScopeIdentity(
        tenantForm.replace(reader, "b24988ac-6180-42a0-ab88-20f7382dd24c"),
        scopes.subscription,
      ),
      roleAtScopeIdentity(tenantForm, managementGroup),
    ]);
    expect(identities.size).toBe(4);
  });

  it("is the declared id and the scope, lower-cased (the identity the subscription form always had)", () => {
    expect(roleAtScopeIdentity(tenantForm, scopes.subscription)).toBe(
      `${subscriptionForm}\n${scopes.subscription}`.toLowerCase(),
    );
    // A refused or unknown id is its own identity: its refusal is reported elsewhere.
    expect(roleAtScopeIdentity(subscriptionForm, managementGroup)).toBe(
      `${subscriptionForm}\n${managementGroup}`.toLowerCase(),
    );
  });
});
