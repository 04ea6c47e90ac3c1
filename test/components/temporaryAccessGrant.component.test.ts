import type { DeclaredResource } from "../../scripts/declaredResources";
import {
  approverRecipientKeys,
  billingScope as scope,
  contractorsGroupId as group,
  readerRoleId as reader,
  validGrant,
} from "../support/fixtures";
import { mockRuntime } from "../support/mockRuntime";
import { settled } from "../support/outputs";

const janeObjectId = "2d4f6a8c-0e1b-4c3d-9e5f-7a9b1c3d5e7f";
const formerApprover = {
  name: "former.approver@contoso.com",
  key: approverRecipientKeys["lisa.wong@contoso.com"],
};

/** The sample grant as index.ts passes it to the component: its group resolved to an object id. */
const { name: _name, group: _group, ...grantFields } = validGrant;
const grant = {
  ...grantFields,
  groupObjectId: group,
  isUsableOnce: true,
  sealTo: [{ name: grantFields.approvedBy, key: approverRecipientKeys["tom.becker@contoso.com"] }],
};

describe("TemporaryAccessGrant under the mock runtime", () => {
  let declared: DeclaredResource[];
  let Grant: typeof import("../../components/temporaryAccessGrant").TemporaryAccessGrant;
  const before = new Date("2026-11-26T12:00:00Z");
  const after = new Date("2026-12-19T00:00:00Z");

  beforeAll(async () => {
    declared = await mockRuntime({
      outputsOf: (resource) =>
        resource.type === "entra-tap:graph:UserTemporaryAccessPass"
          ? {
              temporaryAccessPass: null,
              sealedPasscode:
                "-----BEGIN AGE ENCRYPTED FILE-----\n(sealed)\n-----END AGE ENCRYPTED FILE-----\n",
              // Whom the state says it was sealed to: a pass named "stale" was sealed to a former approver.
              sealedTo: resource.name.startsWith("stale") ? [formerApprover] : resource.inputs.sealTo,
              status: "issued",
              passEndDateTime: "2026-11-30T12:00:00Z",
            }
          : {},
      invokeResults: (token, inputs) =>
        token === "azuread:index/getUser:getUser" ? { ...inputs, objectId: janeObjectId } : undefined,
    });
    ({ TemporaryAccessGrant: Grant } = await import("../../components/temporaryAccessGrant"));
  });

  const named = (name: string) => declared.find((r) => r.name === name);

  /** The messages `declare` gives pulumi.log.warn, recorded instead of printed (the mock runtime prints them). */
  async function warningsOf(declare: () => Promise<unknown>): Promise<string[]> {
    const pulumi = await import("@pulumi/pulumi");
    const warn = jest.spyOn(pulumi.log, "warn").mockResolvedValue();
    try {
      await declare();
      return warn.mock.calls.map(([message]) => message);
    } finally {
      warn.mockRestore();
    }
  }

  const endedWarning = (name: string) =>
    `grant ${name} ended at ${grant.expiry}: its group membership and Azure roles are removed and its pass ` +
    "deleted; remove it from entra-tap:grants";

  it("puts the user in the group, then issues the pass, named from the grant and parented to it", async () => {
    const active = new Grant("jane", { ...grant, now: before });
    await settled(active.tapStatus);
    expect(named("jane-membership")).toMatchObject({
      type: "azuread:index/groupMember:GroupMember",
      parent: "jane",
      inputs: { groupObjectId: group, memberObjectId: janeObjectId },
    });
    const pass = named("jane-tap")!;
    expect(pass).toMatchObject({
      type: "entra-tap:graph:UserTemporaryAccessPass",
      parent: "jane",
      inputs: {
        user: "jane.doe@contoso.com",
        startDateTime: grant.start,
        lifetimeInMinutes: 240,
        isUsableOnce: true,
        grantExpiry: grant.expiry,
        grantEnded: false,
      },
    });
    expect(pass.dependsOn).toContain("jane-membership");
  });

  it("keeps the passcode secret: the engine is asked to, and the component's output is secret", async () => {
    const active = new Grant("jane-secret", { ...grant, now: before });
    await settled(active.tapStatus);
    expect(named("jane-secret-tap")!.additionalSecretOutputs).toEqual(["temporaryAccessPass"]);
    const pulumi = await import("@pulumi/pulumi");
    const { displayInputs } = await import("../../scripts/declaredResources");
    const passcodes = pulumi.secret({ jane: active.temporaryAccessPass });
    expect(await pulumi.isSecret(passcodes)).toBe(true);
    expect(JSON.stringify(declared.map((r) => displayInputs(r.inputs)))).not.toContain(
      "Xy7-passcode-from-graph",
    );
  });

  it("seals the pass to the grant's recipients, and gives the sealed passcode and their names", async () => {
    const active = new Grant("jane-sealed", { ...grant, now: before });
    expect(await settled(active.sealedTo)).toEqual([grant.approvedBy]);
    expect(await settled(active.sealedPasscode)).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    expect(named("jane-sealed-tap")!.inputs).toMatchObject({ sealTo: grant.sealTo });
  });

  it("warns when a live pass was sealed to someone the grant no longer declares, naming them", async () => {
    const warnings = await warningsOf(async () => {
      const stale = new Grant("stale-jane", { ...grant, now: before });
      await settled(stale.sealedTo);
    });
    expect(warnings).toEqual([
      'grant stale-jane: its pass was sealed to "former.approver@contoso.com", who the grant no longer declares ' +
        "(removed, or a new key): they can still open the passcode. To seal a new pass to today's recipients, " +
        "raise the grant's reissue",
    ]);
    expect(
      await warningsOf(async () => settled(new Grant("jane-current", { ...grant, now: before }).sealedTo)),
    ).toEqual([]);
  });

  it("issues after the resources it is told to wait for (the TAP policy)", async () => {
    const pulumi = await import("@pulumi/pulumi");
    class Policy extends pulumi.CustomResource {
      constructor(name: string) {
        super("test:index:Policy", name, {});
      }
    }
    const policy = new Policy("tap-policy-stand-in");
    const active = new Grant("jane-after", { ...grant, now: before, issueAfter: [policy] });
    await settled(active.tapStatus);
    expect(named("jane-after-tap")!.dependsOn).toEqual(["jane-after-membership", "tap-policy-stand-in"]);
  });

  it("makes Azure roles eligible for the grant's window only, with reason and ticket", async () => {
    const withRoles = new Grant("ahmed", {
      ...grant,
      user: janeObjectId,
      now: before,
      azureRoles: [
        { roleDefinitionId: reader, scope },
        {
          roleDefinitionId: reader,
          scope: "/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59",
          end: "2026-12-01T00:00:00Z",
        },
      ],
    });
    await settled(withRoles.tapStatus);
    const roles = declared.filter(
      (r) => r.parent === "ahmed" && r.type.endsWith("PimRoleEligibilitySchedule"),
    );
    expect(roles[0]).toMatchObject({
      type: "azure-native:authorization:PimRoleEligibilitySchedule",
      parent: "ahmed",
      inputs: {
        principalId: janeObjectId,
        // The subscription form of the scope's subscription, for the tenant form in the config.
        roleDefinitionId: `/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59${reader}`,
        scope,
        justification: "Data platform migration (CHG-20418, approved by tom.becker@contoso.com)",
        scheduleInfo: {
          startDateTime: grant.start,
          expiration: { type: "AfterDateTime", endDateTime: grant.expiry },
        },
        ticketInfo: { ticketNumber: "CHG-20418" },
      },
    });
    expect(roles[1].inputs).toMatchObject({
      scheduleInfo: { expiration: { endDateTime: "2026-12-01T00:00:00Z" } },
    });
    // An object id is used as is: no lookup by user principal name.
    expect(named("ahmed-membership")!.inputs.memberObjectId).toBe(janeObjectId);
  });

  it("names each role from the role and its scope, so reordering the list replaces nothing", async () => {
    const roles = [
      { roleDefinitionId: reader, scope },
      { roleDefinitionId: reader, scope: "/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59" },
    ];
    const roleNames = (grantName: string) =>
      declared
        .filter((r) => r.parent === grantName && r.type.endsWith("PimRoleEligibilitySchedule"))
        .map((r) => r.name.slice(grantName.length));
    await settled(new Grant("order-a", { ...grant, now: before, azureRoles: roles }).tapStatus);
    await settled(
      new Grant("order-b", { ...grant, now: before, azureRoles: [...roles].reverse() }).tapStatus,
    );
    expect(roleNames("order-a")).toHaveLength(2);
    expect(new Set(roleNames("order-a"))).toEqual(new Set(roleNames("order-b")));
    expect(roleNames("order-a")[0]).toMatch(/^-role-acdd72a7-[0-9a-f]{8}$/);
  });

  it("declares the form each scope needs, named alike whichever form the config holds", async () => {
    const subscriptionForm = `/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59${reader}`;
    const rolesOf = (grantName: string) =>
      declared.filter((r) => r.parent === grantName && r.type.endsWith("PimRoleEligibilitySchedule"));
    await settled(
      new Grant("tenant-form", { ...grant, now: before, azureRoles: [{ roleDefinitionId: reader, scope }] })
        .tapStatus,
    );
    await settled(
      new Grant("subscription-form", {
        ...grant,
        now: before,
        azureRoles: [{ roleDefinitionId: subscriptionForm, scope }],
      }).tapStatus,
    );
    const [fromTenantForm] = rolesOf("tenant-form");
    const [fromSubscriptionForm] = rolesOf("subscription-form");
    expect(fromTenantForm.inputs).toMatchObject({ roleDefinitionId: subscriptionForm, scope });
    expect(fromSubscriptionForm.inputs).toMatchObject({ roleDefinitionId: subscriptionForm, scope });
    // Switching the config from one form to the other replaces nothing; the name is the one the subscription form
    // has always had.
    expect(fromTenantForm.name.slice("tenant-form".length)).toBe("-role-acdd72a7-323719f6");
    expect(fromSubscriptionForm.name.slice("subscription-form".length)).toBe("-role-acdd72a7-323719f6");
    // At a management group, the tenant form, under the name it has always had.
    const managementGroup = "/providers/Microsoft.Management/managementGroups/mg-contoso-platform";
    await settled(
      new Grant("mg-role", {
        ...grant,
        now: before,
        azureRoles: [{ roleDefinitionId: reader, scope: managementGroup }],
      }).tapStatus,
    );
    const [atManagementGroup] = rolesOf("mg-role");
    expect(atManagementGroup.inputs).toMatchObject({ roleDefinitionId: reader, scope: managementGroup });
    expect(atManagementGroup.name).toBe("mg-role-role-acdd72a7-519adaaa");
  });

  it("refuses a role definition id of another subscription than its scope's", () => {
    const other = `/subscriptions/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6${reader}`;
    expect(
      () =>
        new Grant("other-subscription", {
          ...grant,
          now: before,
          azureRoles: [{ roleDefinitionId: other, scope }],
        }),
    ).toThrow(
      `grant other-subscription: azureRoles[0].roleDefinitionId "${other}" is not allowed; expected a role ` +
        "definition id of the scope's subscription",
    );
  });

  it("after its expiry declares no membership and no roles, only the pass marked ended", async () => {
    const count = declared.length;
    let ended!: InstanceType<typeof Grant>;
    const warnings = await warningsOf(async () => {
      ended = new Grant("old", {
        ...grant,
        now: after,
        azureRoles: [{ roleDefinitionId: reader, scope }],
      });
      await settled(ended.tapStatus);
    });
    expect(warnings).toEqual([endedWarning("old")]);
    expect(ended.ended).toBe(true);
    const added = declared.slice(count);
    expect(added.map((r) => r.name)).toEqual(["old", "old-tap"]);
    expect(named("old-tap")!.inputs.grantEnded).toBe(true);
  });

  it("with membership pim, joins the group through PIM for Groups until the expiry, before the pass", async () => {
    const pim = new Grant("jane-pim", { ...grant, membership: "pim", now: before });
    await settled(pim.tapStatus);
    expect(pim.membershipMode).toBe("pim");
    expect(named("jane-pim-membership")).toBeUndefined();
    expect(named("jane-pim-pim-membership")).toMatchObject({
      type: "entra-tap:graph:PimGroupMembership",
      parent: "jane-pim",
      inputs: {
        groupId: group,
        principalId: janeObjectId,
        endDateTime: grant.expiry,
        justification: {
          reason: "Data platform migration",
          ticket: "CHG-20418",
          approvedBy: "tom.becker@contoso.com",
        },
      },
    });
    expect(named("jane-pim-tap")!.dependsOn).toEqual(["jane-pim-pim-membership"]);
  });

  it("with membership pim, after its expiry declares no schedule (Entra removed it: never re-created)", async () => {
    const count = declared.length;
    const warnings = await warningsOf(async () => {
      const ended = new Grant("old-pim", { ...grant, membership: "pim", now: after });
      await settled(ended.tapStatus);
    });
    expect(warnings).toEqual([endedWarning("old-pim")]);
    expect(declared.slice(count).map((r) => r.name)).toEqual(["old-pim", "old-pim-tap"]);
  });

  it("stops declaring a role whose own end has passed while the grant goes on", async () => {
    const during = new Date("2026-12-05T00:00:00Z");
    const shortRole = { roleDefinitionId: reader, scope, end: "2026-12-01T00:00:00Z" };
    const longRole = {
      roleDefinitionId: reader,
      scope: "/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59",
    };
    const ongoing = new Grant("roles-later", { ...grant, now: during, azureRoles: [shortRole, longRole] });
    await settled(ongoing.tapStatus);
    const roles = declared.filter(
      (r) => r.parent === "roles-later" && r.type.endsWith("PimRoleEligibilitySchedule"),
    );
    expect(roles.map((r) => r.inputs.scope)).toEqual([longRole.scope]);
  });
});
