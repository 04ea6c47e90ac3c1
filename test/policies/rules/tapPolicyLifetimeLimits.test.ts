import { resourceTypes } from "../../../policies/lib";
import { tapPolicyLifetimeLimits } from "../../../policies/rules/tapPolicyLifetimeLimits";
import type { CheckedResource } from "../../../scripts/policyRunner";
import { checkerFor, resourcesOfOtherTypes, validTapPolicyProps, violationsOf } from "../harness";

const policyName = "tap-policy-lifetime-limits";
const validPolicy = validTapPolicyProps;

/** Only the props given: a lifetime left out is one not known yet. */
function tapPolicy(props: Record<string, unknown>, name = "tap-policy"): CheckedResource {
  return { type: resourceTypes.tapPolicy, name, props };
}

const check = checkerFor(tapPolicyLifetimeLimits);
const violation = violationsOf(policyName, "tap-policy");

describe(policyName, () => {
  it("passes a policy within Microsoft's limits and in order", async () => {
    expect(await check([tapPolicy(validPolicy)])).toEqual([]);
  });

  it.each([
    { minimumLifetimeInMinutes: 10, defaultLifetimeInMinutes: 10, maximumLifetimeInMinutes: 43200 },
    { minimumLifetimeInMinutes: 10, defaultLifetimeInMinutes: 43200, maximumLifetimeInMinutes: 43200 },
    { minimumLifetimeInMinutes: 43200, defaultLifetimeInMinutes: 43200, maximumLifetimeInMinutes: 43200 },
    { minimumLifetimeInMinutes: 60, defaultLifetimeInMinutes: 60, maximumLifetimeInMinutes: 60 },
  ])("passes Microsoft's bounds and equal lifetimes: %o", async (lifetimes) => {
    expect(await check([tapPolicy({ ...validPolicy, ...lifetimes })])).toEqual([]);
  });

  describe.each(["minimumLifetimeInMinutes", "defaultLifetimeInMinutes", "maximumLifetimeInMinutes"])(
    "%s",
    (field) => {
      it.each([9, 43201, 0, -1])("refuses %d", async (value) => {
        // The other lifetimes unknown: only the field's own range is judged.
        expect(await check([tapPolicy({ [field]: value })])).toEqual([
          violation(`${field} is ${value}; Microsoft allows 10..43200 minutes.`),
        ]);
      });

      it.each([10, 43200])("accepts %d", async (value) => {
        expect(await check([tapPolicy({ [field]: value })])).toEqual([]);
      });
    },
  );

  it("reports a minimum of 9 in an otherwise valid policy once", async () => {
    expect(await check([tapPolicy({ ...validPolicy, minimumLifetimeInMinutes: 9 })])).toEqual([
      violation("minimumLifetimeInMinutes is 9; Microsoft allows 10..43200 minutes."),
    ]);
  });

  it("reports a maximum of 43201 in an otherwise valid policy once", async () => {
    expect(await check([tapPolicy({ ...validPolicy, maximumLifetimeInMinutes: 43201 })])).toEqual([
      violation("maximumLifetimeInMinutes is 43201; Microsoft allows 10..43200 minutes."),
    ]);
  });

  it("reports a default out of range that is also below the minimum once, by the range check", async () => {
    const props = { ...validPolicy, minimumLifetimeInMinutes: 10, defaultLifetimeInMinutes: 9 };
    expect(await check([tapPolicy(props)])).toEqual([
      violation("defaultLifetimeInMinutes is 9; Microsoft allows 10..43200 minutes."),
    ]);
  });

  it("reports a default out of range that is also above the maximum once, by the range check", async () => {
    const props = { ...validPolicy, defaultLifetimeInMinutes: 43201, maximumLifetimeInMinutes: 43200 };
    expect(await check([tapPolicy(props)])).toEqual([
      violation("defaultLifetimeInMinutes is 43201; Microsoft allows 10..43200 minutes."),
    ]);
  });

  it("does not compare a minimum out of range with the maximum", async () => {
    const props = { ...validPolicy, minimumLifetimeInMinutes: 43201, defaultLifetimeInMinutes: 60 };
    expect(await check([tapPolicy(props)])).toEqual([
      violation("minimumLifetimeInMinutes is 43201; Microsoft allows 10..43200 minutes."),
    ]);
  });

  it("does not compare a default with a minimum or maximum out of range", async () => {
    const belowMax = { ...validPolicy, defaultLifetimeInMinutes: 480, maximumLifetimeInMinutes: 9 };
    expect(await check([tapPolicy(belowMax)])).toEqual([
      violation("maximumLifetimeInMinutes is 9; Microsoft allows 10..43200 minutes."),
    ]);
    const aboveMin = { ...validPolicy, minimumLifetimeInMinutes: 43201, maximumLifetimeInMinutes: 43201 };
    expect(await check([tapPolicy(aboveMin)])).toEqual([
      violation("minimumLifetimeInMinutes is 43201; Microsoft allows 10..43200 minutes."),
      violation("maximumLifetimeInMinutes is 43201; Microsoft allows 10..43200 minutes."),
    ]);
  });

  it("still compares the values in range when another is out of range", async () => {
    const props = {
      minimumLifetimeInMinutes: 600,
      defaultLifetimeInMinutes: 9,
      maximumLifetimeInMinutes: 480,
    };
    expect(await check([tapPolicy(props)])).toEqual([
      violation("defaultLifetimeInMinutes is 9; Microsoft allows 10..43200 minutes."),
      violation("minimumLifetimeInMinutes (600) is above maximumLifetimeInMinutes (480)."),
    ]);
    const defaultInRange = {
      minimumLifetimeInMinutes: 9,
      defaultLifetimeInMinutes: 600,
      maximumLifetimeInMinutes: 480,
    };
    expect(await check([tapPolicy(defaultInRange)])).toEqual([
      violation("minimumLifetimeInMinutes is 9; Microsoft allows 10..43200 minutes."),
      violation("defaultLifetimeInMinutes (600) is above maximumLifetimeInMinutes (480)."),
    ]);
  });

  it("reports every field out of range", async () => {
    const props = {
      minimumLifetimeInMinutes: 9,
      defaultLifetimeInMinutes: 43201,
      maximumLifetimeInMinutes: 43201,
    };
    expect(await check([tapPolicy(props)])).toEqual([
      violation("minimumLifetimeInMinutes is 9; Microsoft allows 10..43200 minutes."),
      violation("defaultLifetimeInMinutes is 43201; Microsoft allows 10..43200 minutes."),
      violation("maximumLifetimeInMinutes is 43201; Microsoft allows 10..43200 minutes."),
    ]);
  });

  it("reports a minimum above the maximum (and not the default on top)", async () => {
    const props = {
      ...validPolicy,
      minimumLifetimeInMinutes: 600,
      defaultLifetimeInMinutes: 600,
      maximumLifetimeInMinutes: 480,
    };
    expect(await check([tapPolicy(props)])).toEqual([
      violation("minimumLifetimeInMinutes (600) is above maximumLifetimeInMinutes (480)."),
    ]);
  });

  it("reports a default below the minimum", async () => {
    expect(await check([tapPolicy({ ...validPolicy, defaultLifetimeInMinutes: 30 })])).toEqual([
      violation("defaultLifetimeInMinutes (30) is below minimumLifetimeInMinutes (60)."),
    ]);
  });

  it("reports a default above the maximum", async () => {
    expect(await check([tapPolicy({ ...validPolicy, defaultLifetimeInMinutes: 600 })])).toEqual([
      violation("defaultLifetimeInMinutes (600) is above maximumLifetimeInMinutes (480)."),
    ]);
  });

  it("checks each TAP policy in the stack on its own", async () => {
    const resources = [
      tapPolicy(validPolicy, "good"),
      tapPolicy({ ...validPolicy, maximumLifetimeInMinutes: 43201 }, "bad"),
    ];
    expect(await check(resources)).toEqual([
      violation("maximumLifetimeInMinutes is 43201; Microsoft allows 10..43200 minutes.", "mandatory", "bad"),
    ]);
  });

  describe("pack config", () => {
    const bad = tapPolicy({ ...validPolicy, minimumLifetimeInMinutes: 9 });
    const message = "minimumLifetimeInMinutes is 9; Microsoft allows 10..43200 minutes.";

    it("is mandatory by default", async () => {
      expect(await check([bad], {})).toEqual([violation(message, "mandatory")]);
    });

    it("reports at the level set for the policy", async () => {
      expect(await check([bad], { [policyName]: "advisory" })).toEqual([violation(message, "advisory")]);
      expect(await check([bad], { [policyName]: { enforcementLevel: "advisory" } })).toEqual([
        violation(message, "advisory"),
      ]);
      expect(await check([bad], { all: "advisory" })).toEqual([violation(message, "advisory")]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([bad], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([bad], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([bad], { all: "disabled" })).toEqual([]);
    });

    it("has no settings: Microsoft's limits stay whatever the config", async () => {
      expect(await check([bad], { [policyName]: { minLifetime: 1 } })).toEqual([violation(message)]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing when every lifetime is unknown", async () => {
      const props = {
        ...validPolicy,
        minimumLifetimeInMinutes: undefined,
        defaultLifetimeInMinutes: undefined,
        maximumLifetimeInMinutes: undefined,
      };
      expect(await check([tapPolicy(props)])).toEqual([]);
      expect(await check([tapPolicy({})])).toEqual([]);
    });

    it("does not compare with an unknown lifetime", async () => {
      expect(
        await check([
          tapPolicy({ ...validPolicy, minimumLifetimeInMinutes: undefined, defaultLifetimeInMinutes: 30 }),
        ]),
      ).toEqual([]);
      expect(
        await check([
          tapPolicy({ ...validPolicy, minimumLifetimeInMinutes: 600, defaultLifetimeInMinutes: undefined }),
        ]),
      ).toEqual([violation("minimumLifetimeInMinutes (600) is above maximumLifetimeInMinutes (480).")]);
    });

    it("still checks the known lifetimes", async () => {
      const props = { ...validPolicy, minimumLifetimeInMinutes: undefined, maximumLifetimeInMinutes: 43201 };
      expect(await check([tapPolicy(props)])).toEqual([
        violation("maximumLifetimeInMinutes is 43201; Microsoft allows 10..43200 minutes."),
      ]);
    });

    it("reports a default below a known minimum while the maximum is unknown", async () => {
      const props = { ...validPolicy, defaultLifetimeInMinutes: 30, maximumLifetimeInMinutes: undefined };
      expect(await check([tapPolicy(props)])).toEqual([
        violation("defaultLifetimeInMinutes (30) is below minimumLifetimeInMinutes (60)."),
      ]);
    });

    it("reports a default above a known maximum while the minimum is unknown", async () => {
      const props = { ...validPolicy, minimumLifetimeInMinutes: undefined, defaultLifetimeInMinutes: 600 };
      expect(await check([tapPolicy(props)])).toEqual([
        violation("defaultLifetimeInMinutes (600) is above maximumLifetimeInMinutes (480)."),
      ]);
    });

    it("does not compare the minimum and maximum with an unknown default, nor print an unknown bound", async () => {
      const props = {
        ...validPolicy,
        minimumLifetimeInMinutes: 60,
        defaultLifetimeInMinutes: undefined,
        maximumLifetimeInMinutes: undefined,
      };
      expect(await check([tapPolicy(props)])).toEqual([]);
      const defaultOnly = { defaultLifetimeInMinutes: 600 };
      expect(await check([tapPolicy(defaultOnly)])).toEqual([]);
    });

    it("ignores values that are not numbers", async () => {
      const props = { ...validPolicy, minimumLifetimeInMinutes: "9", maximumLifetimeInMinutes: Number.NaN };
      expect(await check([tapPolicy(props)])).toEqual([]);
    });
  });

  it("ignores resources of other types", async () => {
    const props = {
      minimumLifetimeInMinutes: 9,
      defaultLifetimeInMinutes: 5,
      maximumLifetimeInMinutes: 43201,
    };
    const others = resourcesOfOtherTypes(props, resourceTypes.tapPolicy);
    expect(await check(others)).toEqual([]);
  });
});
