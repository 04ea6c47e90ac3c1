import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  enforcementLevelOf,
  hasMandatoryViolation,
  policyConfig,
  policyProps,
  runPolicies,
} from "../../scripts/policyRunner";

const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };
const unknown = { __pulumiUnknown: true };

describe("policyProps", () => {
  it("gives policies secrets as their values, and values not known yet as undefined", () => {
    expect(
      policyProps({
        passcode: secret,
        nested: { id: unknown, list: [secret, "x"] },
      }),
    ).toEqual({ passcode: "hunter2", nested: { id: undefined, list: ["hunter2", "x"] } });
  });
});

describe("policyConfig", () => {
  const withSchema: ResourceValidationPolicy = {
    name: "with-schema",
    description: "a policy with config defaults",
    configSchema: {
      properties: {
        limit: { type: "number", default: 2 },
        names: { type: "array", default: ["a"] },
        free: {},
      },
    },
    validateResource: () => undefined,
  };

  it("applies the config schema's defaults, as the engine does, with the pack config on top", () => {
    expect(policyConfig(withSchema, {})).toEqual({ limit: 2, names: ["a"] });
    expect(policyConfig(withSchema, { "with-schema": { enforcementLevel: "advisory", limit: 5 } })).toEqual({
      limit: 5,
      names: ["a"],
    });
  });

  it("hands each run its own copy of a default, so a policy cannot change it for the next", () => {
    (policyConfig(withSchema, {}).names as string[]).push("b");
    expect(policyConfig(withSchema, {}).names).toEqual(["a"]);
  });
});

describe("runPolicies", () => {
  const resource = { type: "test:index:Thing", name: "thing", props: { size: 3 } };
  const sizeLimit: ResourceValidationPolicy = {
    name: "size-limit",
    description: "size at most a limit",
    enforcementLevel: "mandatory",
    validateResource: async (args, report) => {
      const limit = args.getConfig<{ limit?: number }>().limit ?? 2;
      await Promise.resolve();
      if (args.props.size > limit) report(`size is ${args.props.size}; at most ${limit}`);
    },
  };
  const notForThings: StackValidationPolicy = {
    name: "not-for-things",
    description: "not applicable",
    validateStack: (args) => args.notApplicable("nothing to check"),
  };

  it("awaits async policies and reports with the policy's level and the resource's name", async () => {
    expect(await runPolicies([sizeLimit], [resource])).toEqual([
      {
        policy: "size-limit",
        enforcementLevel: "mandatory",
        message: "size is 3; at most 2",
        resource: "thing",
      },
    ]);
  });

  it("passes a policy its own config from the pack config, and its level", async () => {
    expect(await runPolicies([sizeLimit], [resource], { "size-limit": { limit: 5 } })).toEqual([]);
    const advisory = await runPolicies([sizeLimit], [resource], { "size-limit": "advisory" });
    expect(advisory.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    expect(hasMandatoryViolation(advisory)).toBe(false);
    expect(await runPolicies([sizeLimit], [resource], { all: "disabled" })).toEqual([]);
  });

  it("treats a policy that is not applicable as passing", async () => {
    expect(await runPolicies([notForThings], [resource])).toEqual([]);
  });

  it("takes a policy's own level over `all`, and `all` over its default", () => {
    expect(
      enforcementLevelOf(sizeLimit, { all: "advisory", "size-limit": { enforcementLevel: "disabled" } }),
    ).toBe("disabled");
    expect(enforcementLevelOf(sizeLimit, { all: "advisory" })).toBe("advisory");
    expect(enforcementLevelOf(notForThings, {})).toBe("advisory");
  });
});
