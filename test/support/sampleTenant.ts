// A sample tenant for the review and export: the emulator seeded with the dev stack's groups, people holding passes
// in each situation the review tells apart, and the stack config that declares their grants. Dates are relative to
// `now`, so the tenant looks the same whenever it is built.
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify as stringifyYaml } from "yaml";
import {
  billingScope,
  breakGlassGroupId,
  contractorsGroupId,
  readerRoleId,
  validTapPolicy,
  validHandover,
} from "./fixtures";
import { type GraphEmulator, microsoftDefaultTapPolicy } from "./graphEmulator";
import { makeTempDir } from "./tempDirs";

export const sampleGroups = {
  contractors: { id: contractorsGroupId, displayName: "TAP - Contractors" },
  support: { id: "5b0e9d47-2c1f-4a83-b6e5-8d7c3a1f0e92", displayName: "TAP - Support engineers" },
  onboarding: { id: "c81d4f6a-9e2b-4d70-a3f5-1b6e8c0d2a47", displayName: "TAP - New hires" },
  breakGlass: { id: breakGlassGroupId, displayName: "Break-glass accounts" },
} as const;

const hour = 3_600_000;
const day = 24 * hour;

function iso(time: number): string {
  return new Date(time).toISOString();
}

/** A grant as the stack file holds it. */
export function sampleGrant(
  name: string,
  user: string,
  group: string,
  start: number,
  expiry: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    user,
    reason: `Sample grant ${name}`,
    ticket: `CHG-${1000 + name.length}`,
    requestedBy: "maria.garcia@contoso.com",
    approvedBy: "tom.becker@contoso.com",
    start: iso(start),
    expiry: iso(expiry),
    lifetimeInMinutes: 120,
    group,
    ...extra,
  };
}

/** The app that issues new hires' passes in the sample tenant: Lifecycle Workflows, as the audit log names it. */
export const sampleKnownIssuer = {
  name: "Lifecycle Workflows",
  appId: "ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7",
  servicePrincipalId: "0a4b6c8d-2e1f-4a3b-8c5d-7e9f1a2b3c4d",
} as const;

/** The stack config of the sample tenant: the dev stack's audience (groups entra-tap creates, by name) and grants. */
export function sampleStackConfig(grants: Record<string, unknown>[]): Record<string, unknown> {
  return {
    "entra-tap:cloud": "global",
    // The targets come from the audience.
    "entra-tap:policy": { ...validTapPolicy, includeTargets: [], excludeTargets: [] },
    "entra-tap:audience": {
      targets: {
        contractors: {
          displayName: sampleGroups.contractors.displayName,
          description: "Contractors",
          owners: ["7c1e4b2a-9d3f-4a6e-8b5c-2f1d0e9a8b7c"],
        },
        support: {
          displayName: sampleGroups.support.displayName,
          description: "Support engineers",
          owners: ["7c1e4b2a-9d3f-4a6e-8b5c-2f1d0e9a8b7c"],
        },
        onboarding: {
          displayName: sampleGroups.onboarding.displayName,
          description: "New hires",
          owners: ["7c1e4b2a-9d3f-4a6e-8b5c-2f1d0e9a8b7c"],
          isRegistrationRequired: true,
        },
      },
      exclusions: { breakGlass: { objectId: sampleGroups.breakGlass.id } },
    },
    "entra-tap:grants": grants,
    "entra-tap:handover": validHandover,
    "entra-tap:knownIssuers": [{ name: sampleKnownIssuer.name, id: sampleKnownIssuer.servicePrincipalId }],
  };
}

/**
 * Writes `Pulumi.<stack>.yaml` with `config` into a new temporary directory (removed by removeTempDirs: under jest,
 * when the test file ends); returns its path.
 */
export function writeStackFile(config: Record<string, unknown>, stack = "sample"): string {
  const dir = makeTempDir("entra-tap-review-");
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  // Quoted, as a stack file must hold dates: unquoted, YAML reads them as timestamps.
  fs.writeFileSync(
    file,
    stringifyYaml({ config }, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }),
  );
  return file;
}

/** The TAP policy of the sample tenant: the three targeted groups, break-glass accounts excluded. */
export function seedSamplePolicy(emulator: GraphEmulator): void {
  emulator.policy = {
    ...microsoftDefaultTapPolicy(),
    state: "enabled",
    defaultLength: 14,
    isUsableOnce: true,
    includeTargets: [
      { id: sampleGroups.contractors.id, targetType: "group", isRegistrationRequired: false },
      { id: sampleGroups.support.id, targetType: "group", isRegistrationRequired: false },
      { id: sampleGroups.onboarding.id, targetType: "group", isRegistrationRequired: true },
    ],
    excludeTargets: [{ id: sampleGroups.breakGlass.id, targetType: "group" }],
  };
  for (const group of Object.values(sampleGroups)) emulator.addGroup(group);
}

/**
 * The sample tenant: a grant under way with a usable pass, an upcoming one with a pass not yet valid, a one-time pass
 * already used, a grant that ended and left its pass and membership, a pass no grant declares, a member without a
 * grant, and a break-glass account holding a pass; two new hires' passkey onboardings, one that did its job and one
 * that left no passkey; and a new hire whose pass Lifecycle Workflows issued. Returns the stack config that goes with
 * it.
 */
export function seedSampleTenant(emulator: GraphEmulator, now = Date.now()): Record<string, unknown> {
  seedSamplePolicy(emulator);
  const user = (upn: string, groups: string[]) => {
    const created = emulator.addUser({ userPrincipalName: upn });
    for (const group of groups) emulator.addMember(group, created.id);
    return created;
  };
  const { contractors, support, onboarding, breakGlass } = sampleGroups;

  const jane = user("jane.doe@contoso.com", [contractors.id]);
  emulator.addPass(jane.id, { startDateTime: iso(now - 30 * 60_000), lifetimeInMinutes: 240 });
  const sofia = user("sofia.rossi@contoso.com", [onboarding.id]);
  emulator.addPass(sofia.id, { startDateTime: iso(now + day), lifetimeInMinutes: 480 });
  const li = user("li.wei@contoso.com", [support.id]);
  emulator.addPass(li.id, { startDateTime: iso(now - 2 * hour), lifetimeInMinutes: 240, used: true });
  const ahmed = user("ahmed.khan@contoso.com", [support.id]);
  emulator.addPass(ahmed.id, { startDateTime: iso(now - 3 * day + hour), lifetimeInMinutes: 120 });
  const mallory = user("mallory.miller@contoso.com", [contractors.id]);
  emulator.addPass(mallory.id, {
    startDateTime: iso(now - hour),
    lifetimeInMinutes: 480,
    isUsableOnce: false,
  });
  user("omar.haddad@contoso.com", [support.id]);
  const admin = user("admin.breakglass1@contoso.onmicrosoft.com", [breakGlass.id]);
  emulator.addPass(admin.id, { startDateTime: iso(now - hour), lifetimeInMinutes: 480 });
  // Someone outside every targeted group, holding nothing: never listed.
  user("alex.wilber@contoso.com", []);
  // Onboardings: Priya registered a passkey with her pass (it did its job); Kenji used his and registered nothing.
  const priya = user("priya.nair@contoso.com", [onboarding.id]);
  emulator.addPass(priya.id, { startDateTime: iso(now - 2 * hour), lifetimeInMinutes: 180, used: true });
  emulator.registerMethod(priya.id, "fido2", now - 100 * 60_000);
  const kenji = user("kenji.sato@contoso.com", [onboarding.id]);
  emulator.addPass(kenji.id, { startDateTime: iso(now - 3 * hour), lifetimeInMinutes: 240, used: true });
  emulator.registerMethod(kenji.id, "phone", now - 170 * 60_000);
  // Lifecycle Workflows issued Lucas's pass on his first day.
  const lucas = user("lucas.martin@contoso.com", [onboarding.id]);
  emulator.addPass(lucas.id, {
    startDateTime: iso(now - 20 * 60_000),
    lifetimeInMinutes: 480,
    issuedBy: { app: { ...sampleKnownIssuer, displayName: sampleKnownIssuer.name } },
  });

  return sampleStackConfig([
    sampleGrant("contractor-jane-doe", "jane.doe@contoso.com", "contractors", now - day, now + 14 * day, {
      lifetimeInMinutes: 240,
      reason: "Data platform migration, phase 2",
      ticket: "CHG-20418",
    }),
    sampleGrant(
      "new-hire-sofia-rossi",
      "sofia.rossi@contoso.com",
      "onboarding",
      now + day,
      now + day + 9 * hour,
      {
        lifetimeInMinutes: 480,
        reason: "Onboarding, first day",
        ticket: "HR-5520",
        requestedBy: "hr.onboarding@contoso.com",
        // Entra ends the membership at the expiry by itself.
        membership: "pim",
      },
    ),
    sampleGrant("support-li-wei", "li.wei@contoso.com", "support", now - 3 * hour, now + 5 * hour, {
      lifetimeInMinutes: 240,
      reason: "Restore the billing exports (INC-7802)",
      ticket: "INC-7802",
    }),
    sampleGrant(
      "new-hire-priya-nair",
      "priya.nair@contoso.com",
      "onboarding",
      now - 3 * hour,
      now + 5 * hour,
      {
        reason: "Onboarding: register a passkey",
        ticket: "HR-5531",
        requestedBy: "hr.onboarding@contoso.com",
        purpose: "passkey-onboarding",
      },
    ),
    sampleGrant(
      "new-hire-kenji-sato",
      "kenji.sato@contoso.com",
      "onboarding",
      now - 4 * hour,
      now + 4 * hour,
      {
        lifetimeInMinutes: 240,
        reason: "Onboarding: register a passkey",
        ticket: "HR-5534",
        requestedBy: "hr.onboarding@contoso.com",
        purpose: "passkey-onboarding",
      },
    ),
    sampleGrant("support-ahmed-khan", "ahmed.khan@contoso.com", "support", now - 3 * day, now - 2 * day, {
      reason: "Troubleshoot failed nightly exports (INC-7731)",
      ticket: "INC-7731",
      approvedBy: "lisa.wong@contoso.com",
      azureRoles: [{ roleDefinitionId: readerRoleId, scope: billingScope }],
    }),
  ]);
}

/** The people of the sandbox tenant (`npm run sandbox`), with fixed object ids so the stack file can name them. */
export const sandboxUsers = {
  jane: { id: "3f6c2a91-7d4e-4b8a-9c1f-5e2d8a0b6c47", userPrincipalName: "jane.doe@contoso.com" },
  mallory: { id: "8b1e5d03-2a6f-4c9e-b7d4-0f3a9c2e1b58", userPrincipalName: "mallory.miller@contoso.com" },
  admin: {
    id: "d2a7f4c8-1b3e-4f6a-8c9d-7e0b2a5f3c91",
    userPrincipalName: "admin.breakglass1@contoso.onmicrosoft.com",
  },
} as const;

/**
 * The sandbox tenant: Microsoft's default TAP policy (off), the sample's groups, and three people: Jane, whom the
 * sandbox stack grants access; Mallory, a contractor holding a pass no grant declares (the review finds it); and a
 * break-glass account.
 */
export function seedSandboxTenant(emulator: GraphEmulator, now = Date.now()): void {
  for (const group of Object.values(sampleGroups)) emulator.addGroup(group);
  const { jane, mallory, admin } = sandboxUsers;
  emulator.addUser(jane);
  emulator.addUser(mallory);
  emulator.addMember(sampleGroups.contractors.id, mallory.id);
  emulator.addUser(admin);
  emulator.addMember(sampleGroups.breakGlass.id, admin.id);
  emulator.addPass(mallory.id, {
    startDateTime: iso(now - hour),
    lifetimeInMinutes: 480,
    isUsableOnce: false,
  });
}

/**
 * The sandbox's grant to Jane (PIM for Groups membership of contractors, an hour's pass), as a stack file declares it:
 * `start` and `expiry` as the file writes them (ISO text, or a YAML scalar that keeps them quoted).
 */
export function sandboxGrantConfig<T>(start: T, expiry: T) {
  return {
    name: "contractor-jane-doe",
    user: sandboxUsers.jane.id,
    reason: "Data platform migration, phase 2",
    ticket: "CHG-20418",
    requestedBy: "maria.garcia@contoso.com",
    approvedBy: "tom.becker@contoso.com",
    start,
    expiry,
    lifetimeInMinutes: 60,
    group: "contractors",
    membership: "pim",
  };
}
