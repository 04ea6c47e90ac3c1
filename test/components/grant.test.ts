// A grant's facts, directly: when it and its roles have ended, its window, its roles' keys, its justification, and the
// field rules the config and the pass provider share.
import { z } from "zod";
import {
  calendarTime,
  grantUser,
  grantWindow,
  hasEnded,
  hasGrantEnded,
  isRoleDeclared,
  justificationSchema,
  justificationText,
  roleKey,
} from "../../components/grant";
import { billingScope, billingSubscriptionId, readerRoleId } from "../support/fixtures";

const expiry = "2027-12-01T00:00:00Z";

describe("hasEnded and hasGrantEnded", () => {
  it("are true from the end on, not before", () => {
    expect(hasEnded(expiry, Date.parse(expiry) - 1)).toBe(false);
    expect(hasEnded(expiry, Date.parse(expiry))).toBe(true);
    expect(hasGrantEnded({ expiry }, Date.parse(expiry) - 1)).toBe(false);
    expect(hasGrantEnded({ expiry }, Date.parse(expiry))).toBe(true);
  });
});

describe("isRoleDeclared", () => {
  it("holds until the role's own end, or the grant's expiry when it has none", () => {
    const end = "2027-11-20T00:00:00Z";
    expect(isRoleDeclared({ end }, { expiry }, Date.parse(end) - 1)).toBe(true);
    expect(isRoleDeclared({ end }, { expiry }, Date.parse(end))).toBe(false);
    expect(isRoleDeclared({}, { expiry }, Date.parse(end))).toBe(true);
    expect(isRoleDeclared({}, { expiry }, Date.parse(expiry))).toBe(false);
  });
});

describe("calendarTime and grantWindow", () => {
  it("reads a calendar date and time, and nothing else", () => {
    expect(calendarTime("2027-02-28T10:00:00Z")).toBe(Date.parse("2027-02-28T10:00:00Z"));
    expect(calendarTime("2027-02-30T10:00:00Z")).toBeUndefined(); // Date.parse rolls it into March
    expect(calendarTime("2027-02-28")).toBeUndefined();
    expect(calendarTime(20270228)).toBeUndefined();
  });

  it("gives the window only when both ends are dates", () => {
    expect(grantWindow({ start: "2027-11-01T00:00:00Z", expiry })).toEqual({
      start: Date.parse("2027-11-01T00:00:00Z"),
      expiry: Date.parse(expiry),
    });
    expect(grantWindow({ start: "soon", expiry })).toBeUndefined();
    expect(grantWindow({ start: "2027-11-01T00:00:00Z" })).toBeUndefined();
  });
});

describe("roleKey", () => {
  const tenantForm = readerRoleId;
  const subscriptionForm = `/subscriptions/${billingSubscriptionId}${readerRoleId}`;

  it("is the same for both forms of a role's id, so switching forms replaces nothing", () => {
    expect(roleKey({ roleDefinitionId: tenantForm, scope: billingScope })).toBe(
      roleKey({ roleDefinitionId: subscriptionForm, scope: billingScope }),
    );
  });

  it("differs by scope, and starts with the role definition's guid", () => {
    const atGroup = roleKey({ roleDefinitionId: tenantForm, scope: billingScope });
    const atSubscription = roleKey({
      roleDefinitionId: tenantForm,
      scope: `/subscriptions/${billingSubscriptionId}`,
    });
    expect(atGroup).not.toBe(atSubscription);
    expect(atGroup).toMatch(new RegExp(`^${readerRoleId.split("/").pop()!.slice(0, 8)}-[0-9a-f]{8}$`));
  });
});

describe("the justification", () => {
  const justification = {
    reason: "Laptop replacement",
    ticket: "CHG-1042",
    requestedBy: "ahmed.khan@contoso.com",
    approvedBy: "sam.lee@contoso.com",
  };

  it("is one line of text where Entra and Azure keep one: reason, ticket, approver", () => {
    expect(justificationText(justification)).toBe(
      "Laptop replacement (CHG-1042, approved by sam.lee@contoso.com)",
    );
  });

  it("refuses a blank field, naming what it is, and keeps the others trimmed", () => {
    const blank = justificationSchema().safeParse({ ...justification, ticket: "  " });
    expect(blank.success).toBe(false);
    expect(blank.error!.issues).toMatchObject([
      { path: ["ticket"], message: "the ticket of the request, not empty" },
    ]);
    expect(justificationSchema().parse({ ...justification, reason: " Laptop replacement " }).reason).toBe(
      "Laptop replacement",
    );
  });

  it("refuses an unknown field (a typo is not a justification)", () => {
    expect(justificationSchema().safeParse({ ...justification, aprovedBy: "x" }).success).toBe(false);
  });
});

describe("grantUser", () => {
  const user = z.object({ user: grantUser() });

  it("takes a user principal name or an object id", () => {
    expect(user.safeParse({ user: "jane.doe@contoso.com" }).success).toBe(true);
    expect(user.safeParse({ user: "6b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e" }).success).toBe(true);
  });

  it("refuses anything else, saying what is allowed", () => {
    const result = user.safeParse({ user: "jane" });
    expect(result.error!.issues[0].message).toBe("a user principal name (name@domain) or object id");
  });
});
