import { resourceTypes } from "../../../policies/lib";
import { eligibilityEnd, grantAzureRoles } from "../../../policies/rules/grantAzureRoles";
import type { CheckedResource, PackConfig } from "../../../scripts/policyRunner";
import { checkerFor, resourcesOfOtherTypes, violationsOf } from "../harness";

const policyName = "tap-grant-azure-roles";
const subscription = "/subscriptions/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6";
const reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const roleId = (guid: string, prefix = subscription) =>
  `${prefix}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const ends = { type: "AfterDateTime", endDateTime: "2026-03-06T17:00:00Z" };

function eligibility(
  roleDefinitionId: unknown,
  expiration: unknown = ends,
  name = "alice-reader",
): CheckedResource {
  return {
    type: resourceTypes.pimEligibility,
    name,
    props: {
      principalId: "2a3b4c5d-6e7f-4081-92a3-b4c5d6e7f809",
      roleDefinitionId,
      scope: subscription,
      justification: "Lost phone (OPS-42, approved by bob)",
      scheduleInfo: { startDateTime: "2026-03-02T08:00:00Z", expiration },
      ticketInfo: { ticketNumber: "OPS-42", ticketSystem: "entra-tap" },
    },
  };
}

const check = checkerFor(grantAzureRoles);
const violation = violationsOf(policyName, "alice-reader");

const notAllowed = (role: string, allowed = reader) =>
  violation(`role ${role} is not in the allowed list (${allowed}).`);
const noEnd = (reason: string) =>
  violation(`the role eligibility has no end (${reason}); it must end with its grant.`);

describe(policyName, () => {
  it("passes Reader with an end date", async () => {
    expect(await check([eligibility(roleId(reader))])).toEqual([]);
  });

  describe("roles", () => {
    it("allows Reader by default, with or without a subscription prefix", async () => {
      expect(await check([eligibility(roleId(reader))])).toEqual([]);
      expect(await check([eligibility(roleId(reader, ""))])).toEqual([]);
      expect(await check([eligibility(roleId(reader.toUpperCase()))])).toEqual([]);
    });

    it("refuses Contributor by default", async () => {
      expect(await check([eligibility(roleId(contributor))])).toEqual([notAllowed(roleId(contributor))]);
      expect(await check([eligibility(roleId(contributor, ""))])).toEqual([
        notAllowed(roleId(contributor, "")),
      ]);
    });

    it("uses the allowed list from the pack config", async () => {
      const config: PackConfig = { [policyName]: { allowedRoleDefinitionIds: [contributor] } };
      expect(await check([eligibility(roleId(contributor))], config)).toEqual([]);
      expect(await check([eligibility(roleId(reader))], config)).toEqual([
        notAllowed(roleId(reader), contributor),
      ]);
    });

    it("accepts allowed ids written as full role definition ids, in any case", async () => {
      const config: PackConfig = {
        [policyName]: { allowedRoleDefinitionIds: [roleId(reader, ""), roleId(contributor.toUpperCase())] },
      };
      expect(await check([eligibility(roleId(reader))], config)).toEqual([]);
      expect(await check([eligibility(roleId(contributor, ""))], config)).toEqual([]);
    });

    it("names every allowed role in the message", async () => {
      const owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
      const config: PackConfig = { [policyName]: { allowedRoleDefinitionIds: [reader, contributor] } };
      expect(await check([eligibility(roleId(owner))], config)).toEqual([
        notAllowed(roleId(owner), `${reader}, ${contributor}`),
      ]);
    });
  });

  describe("expiration", () => {
    it("passes AfterDateTime with an end date", async () => {
      expect(await check([eligibility(roleId(reader), ends)])).toEqual([]);
    });

    it("passes AfterDuration with a duration", async () => {
      expect(await check([eligibility(roleId(reader), { type: "AfterDuration", duration: "PT8H" })])).toEqual(
        [],
      );
    });

    it("refuses NoExpiration", async () => {
      expect(await check([eligibility(roleId(reader), { type: "NoExpiration" })])).toEqual([
        noEnd('expiration type "NoExpiration"'),
      ]);
      const withDate = { type: "NoExpiration", endDateTime: "2026-03-06T17:00:00Z" };
      expect(await check([eligibility(roleId(reader), withDate)])).toEqual([
        noEnd('expiration type "NoExpiration"'),
      ]);
    });

    it("refuses a missing expiration or a schedule that is not an object", async () => {
      const { scheduleInfo: _scheduleInfo, ...props } = eligibility(roleId(reader)).props;
      const withoutExpiration = { ...props, scheduleInfo: { startDateTime: "2026-03-02T08:00:00Z" } };
      expect(
        await check([{ type: resourceTypes.pimEligibility, name: "alice-reader", props: withoutExpiration }]),
      ).toEqual([noEnd("no expiration")]);
      const nullSchedule = { ...props, scheduleInfo: null };
      expect(
        await check([{ type: resourceTypes.pimEligibility, name: "alice-reader", props: nullSchedule }]),
      ).toEqual([noEnd("no expiration")]);
    });

    it("refuses an eligibility declared without a schedule", async () => {
      const { scheduleInfo: _scheduleInfo, ...withoutSchedule } = eligibility(roleId(reader)).props;
      expect(
        await check([{ type: resourceTypes.pimEligibility, name: "alice-reader", props: withoutSchedule }]),
      ).toEqual([noEnd("no schedule")]);
    });

    it("refuses an expiration without a type", async () => {
      expect(await check([eligibility(roleId(reader), null)])).toEqual([
        noEnd("an expiration without a type"),
      ]);
      expect(await check([eligibility(roleId(reader), { endDateTime: "2026-03-06T17:00:00Z" })])).toEqual([
        noEnd("an expiration without a type"),
      ]);
    });

    it("refuses a type without its end", async () => {
      expect(await check([eligibility(roleId(reader), { type: "AfterDateTime" })])).toEqual([
        noEnd("expiration AfterDateTime without endDateTime"),
      ]);
      const mismatched = { type: "AfterDuration", endDateTime: "2026-03-06T17:00:00Z" };
      expect(await check([eligibility(roleId(reader), mismatched)])).toEqual([
        noEnd("expiration AfterDuration without duration"),
      ]);
    });

    it("refuses an end that is empty or not text", async () => {
      expect(await check([eligibility(roleId(reader), { type: "AfterDateTime", endDateTime: "" })])).toEqual([
        noEnd('expiration AfterDateTime with endDateTime ""'),
      ]);
      expect(await check([eligibility(roleId(reader), { type: "AfterDuration", duration: null })])).toEqual([
        noEnd("expiration AfterDuration with duration null"),
      ]);
    });

    it("refuses an unknown expiration type", async () => {
      expect(
        await check([eligibility(roleId(reader), { type: "Never", endDateTime: ends.endDateTime })]),
      ).toEqual([noEnd('expiration type "Never"')]);
    });

    it("reports a disallowed role and a missing end together", async () => {
      expect(await check([eligibility(roleId(contributor), { type: "NoExpiration" })])).toEqual([
        notAllowed(roleId(contributor)),
        noEnd('expiration type "NoExpiration"'),
      ]);
    });
  });

  describe("eligibilityEnd", () => {
    // The schedule as a resource's props hold it; an absent scheduleInfo key is tested on its own below.
    const endOf = (scheduleInfo: unknown) => eligibilityEnd({ scheduleInfo });

    it("has no schedule when the props have no scheduleInfo", () => {
      expect(eligibilityEnd({})).toBe("no schedule");
    });

    const endDateTime = "2026-03-06T17:00:00Z";

    it("ends with AfterDateTime and an end date, or AfterDuration and a duration", () => {
      expect(endOf({ expiration: { type: "AfterDateTime", endDateTime } })).toBe("ends");
      expect(endOf({ expiration: { type: "AfterDuration", duration: "PT8H" } })).toBe("ends");
      expect(
        endOf({
          startDateTime: "2026-03-02T08:00:00Z",
          expiration: { type: "AfterDateTime", endDateTime },
        }),
      ).toBe("ends");
    });

    it("is unknown while the schedule is unknown", () => {
      expect(endOf(undefined)).toBe("unknown");
    });

    it.each([null, 42, "AfterDateTime", true])(
      "has no expiration when the schedule is %j",
      (scheduleInfo) => {
        expect(endOf(scheduleInfo)).toBe("no expiration");
      },
    );

    it("has no expiration when the schedule has no expiration key", () => {
      expect(endOf({})).toBe("no expiration");
      expect(endOf({ startDateTime: "2026-03-02T08:00:00Z" })).toBe("no expiration");
      expect(endOf([])).toBe("no expiration");
    });

    it("is unknown while the expiration is unknown", () => {
      expect(endOf({ expiration: undefined })).toBe("unknown");
    });

    it("reports an expiration without a type", () => {
      expect(endOf({ expiration: null })).toBe("an expiration without a type");
      expect(endOf({ expiration: {} })).toBe("an expiration without a type");
      expect(endOf({ expiration: { endDateTime } })).toBe("an expiration without a type");
    });

    it("is unknown while the type is unknown, whatever else the expiration holds", () => {
      expect(endOf({ expiration: { type: undefined } })).toBe("unknown");
      expect(endOf({ expiration: { type: undefined, endDateTime: undefined } })).toBe("unknown");
      expect(endOf({ expiration: { type: undefined, endDateTime } })).toBe("unknown");
    });

    it("reports a type that does not end", () => {
      expect(endOf({ expiration: { type: "NoExpiration" } })).toBe('expiration type "NoExpiration"');
      expect(endOf({ expiration: { type: "NoExpiration", endDateTime } })).toBe(
        'expiration type "NoExpiration"',
      );
      expect(endOf({ expiration: { type: "afterDateTime", endDateTime } })).toBe(
        'expiration type "afterDateTime"',
      );
      expect(endOf({ expiration: { type: null } })).toBe("expiration type null");
      expect(endOf({ expiration: { type: 42 } })).toBe("expiration type 42");
    });

    it("reports a type without its end field", () => {
      expect(endOf({ expiration: { type: "AfterDateTime" } })).toBe(
        "expiration AfterDateTime without endDateTime",
      );
      expect(endOf({ expiration: { type: "AfterDateTime", duration: "PT8H" } })).toBe(
        "expiration AfterDateTime without endDateTime",
      );
      expect(endOf({ expiration: { type: "AfterDuration" } })).toBe(
        "expiration AfterDuration without duration",
      );
      expect(endOf({ expiration: { type: "AfterDuration", endDateTime } })).toBe(
        "expiration AfterDuration without duration",
      );
    });

    it("is unknown while the end field is unknown", () => {
      expect(endOf({ expiration: { type: "AfterDateTime", endDateTime: undefined } })).toBe("unknown");
      expect(endOf({ expiration: { type: "AfterDuration", duration: undefined } })).toBe("unknown");
    });

    it("reports an end field that is empty or not text", () => {
      expect(endOf({ expiration: { type: "AfterDateTime", endDateTime: "" } })).toBe(
        'expiration AfterDateTime with endDateTime ""',
      );
      expect(endOf({ expiration: { type: "AfterDateTime", endDateTime: null } })).toBe(
        "expiration AfterDateTime with endDateTime null",
      );
      expect(endOf({ expiration: { type: "AfterDuration", duration: 8 } })).toBe(
        "expiration AfterDuration with duration 8",
      );
      expect(endOf({ expiration: { type: "AfterDuration", duration: "" } })).toBe(
        'expiration AfterDuration with duration ""',
      );
    });
  });

  describe("config", () => {
    const bad = eligibility(roleId(contributor));

    it("reports at the advisory level when configured so", async () => {
      expect(await check([bad], { [policyName]: "advisory" })).toEqual([
        { ...notAllowed(roleId(contributor)), enforcementLevel: "advisory" },
      ]);
      expect(
        await check([eligibility(roleId(reader))], {
          [policyName]: { enforcementLevel: "advisory", allowedRoleDefinitionIds: [contributor] },
        }),
      ).toEqual([{ ...notAllowed(roleId(reader), contributor), enforcementLevel: "advisory" }]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([bad], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([bad], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([bad], { all: "disabled" })).toEqual([]);
    });
  });

  describe("unknown values", () => {
    it("skips the role check while the role is unknown, and still checks the expiration", async () => {
      expect(await check([eligibility(undefined)])).toEqual([]);
      expect(await check([eligibility(undefined, { type: "NoExpiration" })])).toEqual([
        noEnd('expiration type "NoExpiration"'),
      ]);
    });

    it("still checks a known role while the expiration's fields are unknown", async () => {
      const unknownExpiration = { type: undefined, endDateTime: undefined };
      expect(await check([eligibility(roleId(reader), unknownExpiration)])).toEqual([]);
      expect(await check([eligibility(roleId(contributor), unknownExpiration)])).toEqual([
        notAllowed(roleId(contributor)),
      ]);
    });

    it("reports nothing while the expiration or the schedule is unknown", async () => {
      const { scheduleInfo: _scheduleInfo, ...props } = eligibility(roleId(reader)).props;
      const unknownExpiration = {
        ...props,
        scheduleInfo: { startDateTime: "2026-03-02T08:00:00Z", expiration: undefined },
      };
      expect(
        await check([{ type: resourceTypes.pimEligibility, name: "alice-reader", props: unknownExpiration }]),
      ).toEqual([]);
      const unknownSchedule = { ...props, scheduleInfo: undefined };
      expect(
        await check([{ type: resourceTypes.pimEligibility, name: "alice-reader", props: unknownSchedule }]),
      ).toEqual([]);
    });

    it("still checks a known role while the schedule is unknown", async () => {
      const { scheduleInfo: _scheduleInfo, ...props } = eligibility(roleId(contributor)).props;
      expect(
        await check([
          {
            type: resourceTypes.pimEligibility,
            name: "alice-reader",
            props: { ...props, scheduleInfo: undefined },
          },
        ]),
      ).toEqual([notAllowed(roleId(contributor))]);
    });

    it("reports nothing for AfterDateTime while its end date is unknown", async () => {
      expect(
        await check([eligibility(roleId(reader), { type: "AfterDateTime", endDateTime: undefined })]),
      ).toEqual([]);
    });

    it("reports nothing for AfterDuration while its duration is unknown", async () => {
      expect(
        await check([eligibility(roleId(reader), { type: "AfterDuration", duration: undefined })]),
      ).toEqual([]);
    });
  });

  it("checks each eligibility on its own", async () => {
    const resources = [
      eligibility(roleId(reader), ends, "alice-reader"),
      eligibility(roleId(contributor), ends, "alice-contributor"),
    ];
    expect(await check(resources)).toEqual([
      violation(
        `role ${roleId(contributor)} is not in the allowed list (${reader}).`,
        "mandatory",
        "alice-contributor",
      ),
    ]);
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes(
      { roleDefinitionId: roleId(contributor), scheduleInfo: { expiration: { type: "NoExpiration" } } },
      resourceTypes.pimEligibility,
    );
    expect(await check(others)).toEqual([]);
    expect(
      await check([
        {
          type: "azure-native:authorization:RoleAssignment",
          name: "owner",
          props: { roleDefinitionId: roleId(contributor) },
        },
      ]),
    ).toEqual([]);
  });
});
