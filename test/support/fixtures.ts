// Values that many tests share: the sample tenant's group ids, the TAP policy every check accepts, and the sample grant
// (jane.doe's contractor access). A test that spells a value to show it (a default, a limit, a message) keeps its own.
import type { OnDestroy, TapPolicySettings } from "../../components/tapPolicySettings";

/** The targeted contractors group ("TAP - Contractors" in the sample tenant). */
export const contractorsGroupId = "3f2b8c1e-7d4a-4e59-9b61-0c5a2e8d7f14";
/** The excluded break-glass accounts group ("Break-glass accounts"; the dev stack excludes it too). */
export const breakGlassGroupId = "9a41d6e2-58c3-4b0f-a7e9-2d6c1b3f8e05";

/** The sample grant's user. */
export const sampleUser = "jane.doe@contoso.com";

/** Azure's built-in Reader role, in the tenant form of a role definition id. */
export const readerRoleId =
  "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7";
/** The billing subscription, and the resource group of its exports: where grants' Azure roles are scoped. */
export const billingSubscriptionId = "5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59";
export const billingScope = `/subscriptions/${billingSubscriptionId}/resourceGroups/rg-billing-exports`;

/**
 * A complete TAP policy that the config, the provider and every policy rule accept: the recommended lifetimes and
 * length, one-time passes, the contractors targeted, the break-glass accounts excluded, restored on destroy.
 */
export const validTapPolicy: TapPolicySettings & { onDestroy: OnDestroy } = {
  state: "enabled",
  minimumLifetimeInMinutes: 60,
  defaultLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLength: 14,
  isUsableOnce: true,
  includeTargets: [{ id: contractorsGroupId, isRegistrationRequired: false }],
  excludeTargets: [{ id: breakGlassGroupId }],
  onDestroy: "restore",
};

/**
 * The sample grant, as `entra-tap:grants` holds it: jane.doe's access to the contractors group for a data platform
 * migration, requested and approved by two other people, from 2026-11-30 08:00 to 2026-12-18 18:00 UTC.
 */
export const validGrant = {
  name: "contractor-jane-doe",
  user: sampleUser,
  reason: "Data platform migration",
  ticket: "CHG-20418",
  requestedBy: "maria.garcia@contoso.com",
  approvedBy: "tom.becker@contoso.com",
  start: "2026-11-30T08:00:00Z",
  expiry: "2026-12-18T18:00:00Z",
  lifetimeInMinutes: 240,
  group: "contractors",
};

/**
 * The approvers' age public keys, as the dev stack declares them (only the public halves exist: tests that open a
 * sealed passcode make identities of their own, test/support/handoverIdentities.ts).
 */
export const approverRecipientKeys = {
  "tom.becker@contoso.com": "age1n8apj95m7nptqvkmr6xpatp5scwn2auarn0spljkvxp300clxpkq3tfj5r",
  "lisa.wong@contoso.com": "age1yglehn3npyzaqe0d4qk34cy8sxmdfxxw5h953q7m4s7qlnk62cvq4udlsn",
};

/** `entra-tap:handover` with the approvers' keys. */
export const validHandover = { recipients: approverRecipientKeys };
