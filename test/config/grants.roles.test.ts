// entra-tap:grants' azureRoles: role definition ids in the scope's form, scopes, ends within the grant's window.
import {
  billingScope,
  billingSubscriptionId as subscription,
  readerRoleId as readerRole,
} from "../support/fixtures";
import { grantProblems, type Json } from "./grants.support";

describe("entra-tap:grants", () => {
  describe("azureRoles", () => {
    const withRole = (role: Json) =>
      grantProblems({ azureRoles: [{ roleDefinitionId: readerRole, ...role }] });

    it("accepts a subscription-scoped role definition and a subscription scope", () => {
      expect(
        withRole({
          roleDefinitionId: `/subscriptions/${subscription}${readerRole}`,
          scope: `/subscriptions/${subscription}`,
        }),
      ).toEqual([]);
    });

    it.each([
      "Reader",
      "acdd72a7-3385-48ef-bd42-f606fba81ae7",
      "/providers/Microsoft.Authorization/roleDefinitions/reader",
    ])("refuses roleDefinitionId %p", (roleDefinitionId) => {
      expect(withRole({ roleDefinitionId, scope: billingScope })).toEqual([
        `entra-tap:grants[0].azureRoles[0].roleDefinitionId: "${roleDefinitionId}" is not allowed; expected a role definition id, /providers/Microsoft.Authorization/roleDefinitions/<guid>`,
      ]);
    });

    it.each(["/resourceGroups/rg-billing-exports", "/subscriptions/billing", subscription, "/"])(
      "refuses scope %p",
      (scope) => {
        expect(withRole({ scope })).toEqual([
          `entra-tap:grants[0].azureRoles[0].scope: "${scope}" is not allowed; expected an Azure scope: /subscriptions/<guid>[/...] or a management group`,
        ]);
      },
    );

    it("refuses a missing scope", () => {
      expect(withRole({})).toEqual([
        "entra-tap:grants[0].azureRoles[0].scope: missing is not allowed; expected an Azure scope: /subscriptions/<guid>[/...] or a management group",
      ]);
    });

    it("accepts a management-group scope", () => {
      expect(
        withRole({ scope: "/providers/Microsoft.Management/managementGroups/mg-contoso-platform" }),
      ).toEqual([]);
    });

    it("refuses an end after the grant's expiry", () => {
      expect(withRole({ scope: billingScope, end: "2026-12-19T08:00:00Z" })).toEqual([
        'entra-tap:grants[0].azureRoles[0].end: "2026-12-19T08:00:00Z" is not allowed; expected a time after the grant\'s start and no later than its expiry (2026-12-18T18:00:00Z)',
      ]);
    });

    it.each(["2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z"])(
      "refuses end %s, not after the start",
      (end) => {
        expect(withRole({ scope: billingScope, end })).toEqual([
          `entra-tap:grants[0].azureRoles[0].end: "${end}" is not allowed; expected a time after the grant's start and no later than its expiry (2026-12-18T18:00:00Z)`,
        ]);
      },
    );

    it.each(["2026-12-05T18:00:00Z", "2026-12-18T18:00:00Z"])("accepts end %s, within the window", (end) => {
      expect(withRole({ scope: billingScope, end })).toEqual([]);
    });

    it("refuses an end that is not an ISO 8601 date and time", () => {
      expect(withRole({ scope: billingScope, end: "next friday" })).toEqual([
        'entra-tap:grants[0].azureRoles[0].end: "next friday" is not allowed; expected an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z',
      ]);
    });

    it("numbers the role in the message", () => {
      const roles = [
        { roleDefinitionId: readerRole, scope: billingScope },
        { roleDefinitionId: readerRole, scope: `${billingScope}-archive`, end: "2027-01-01T00:00:00Z" },
      ];
      expect(grantProblems({ azureRoles: roles })).toEqual([
        'entra-tap:grants[0].azureRoles[1].end: "2027-01-01T00:00:00Z" is not allowed; expected a time after the grant\'s start and no later than its expiry (2026-12-18T18:00:00Z)',
      ]);
    });

    it("refuses the same role at the same scope twice (one eligibility, one resource)", () => {
      const roles = [
        { roleDefinitionId: readerRole, scope: billingScope },
        { roleDefinitionId: readerRole.replace("acdd72a7", "ACDD72A7"), scope: billingScope },
      ];
      expect(grantProblems({ azureRoles: roles })).toEqual([
        `entra-tap:grants[0].azureRoles[1]: ${JSON.stringify(roles[1])} is not allowed; expected each role definition once per scope (the same as azureRoles[0])`,
      ]);
    });

    it("refuses a subscription-form role definition id of another subscription than the scope's", () => {
      const other = "1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6";
      const roleDefinitionId = `/subscriptions/${other}${readerRole}`;
      expect(withRole({ roleDefinitionId, scope: billingScope })).toEqual([
        `entra-tap:grants[0].azureRoles[0].roleDefinitionId: "${roleDefinitionId}" is not allowed; expected a role definition id of the scope's subscription, /subscriptions/${subscription}${readerRole}, or the tenant form, ${readerRole}, which entra-tap converts to it`,
      ]);
      // Either form of the scope's own subscription (in any case) at a subscription, resource group or resource.
      for (const scope of [
        `/subscriptions/${subscription}`,
        billingScope,
        `${billingScope}/providers/Microsoft.Storage/storageAccounts/stexports`,
      ]) {
        expect(withRole({ roleDefinitionId: readerRole, scope })).toEqual([]);
        expect(
          withRole({ roleDefinitionId: `/subscriptions/${subscription.toUpperCase()}${readerRole}`, scope }),
        ).toEqual([]);
      }
    });

    it("refuses a subscription-form role definition id at a management-group scope", () => {
      const roleDefinitionId = `/subscriptions/${subscription}${readerRole}`;
      const scope = "/providers/Microsoft.Management/managementGroups/mg-contoso-platform";
      expect(withRole({ roleDefinitionId, scope })).toEqual([
        `entra-tap:grants[0].azureRoles[0].roleDefinitionId: "${roleDefinitionId}" is not allowed; expected the tenant form at a management-group scope, ${readerRole}`,
      ]);
    });

    it("refuses one role at one scope in both forms (one eligibility, one resource)", () => {
      const roles = [
        { roleDefinitionId: readerRole, scope: billingScope },
        { roleDefinitionId: `/subscriptions/${subscription}${readerRole}`, scope: billingScope },
      ];
      expect(grantProblems({ azureRoles: roles })).toEqual([
        `entra-tap:grants[0].azureRoles[1]: ${JSON.stringify(roles[1])} is not allowed; expected each role definition once per scope (the same as azureRoles[0])`,
      ]);
    });

    it("refuses an unknown key in a role", () => {
      expect(withRole({ scope: billingScope, endDateTime: "2026-12-05T18:00:00Z" })).toEqual([
        "entra-tap:grants[0].azureRoles[0].endDateTime: not a known key; known keys: roleDefinitionId, scope, end",
      ]);
    });
  });
});
