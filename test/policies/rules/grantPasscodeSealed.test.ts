import * as fs from "node:fs";
import * as path from "node:path";
import { resourceTypes } from "../../../policies/lib";
import { grantPasscodeSealed } from "../../../policies/rules/grantPasscodeSealed";
import type { CheckedResource, PackConfig } from "../../../scripts/policyRunner";
import { checkerFor, resourcesOfOtherTypes, userTapResource, violationsOf } from "../harness";

const policyName = "tap-grant-passcode-sealed";
const messages = {
  plaintext:
    "the pass's passcode is kept in plaintext in the state (keepPasscodeInState): anyone who can open the stack's secrets can read it.",
  sealedToNobody: "the pass is sealed to nobody: no recipient can open its passcode.",
};

const recipient = { name: "tom", key: "age1yglehn3npyzaqe0d4qk34cy8sxmdfxxw5h953q7m4s7qlnk62cvq4udlsn" };

const pass = userTapResource;

/** The valid pass without its sealTo key. */
function passWithoutSealTo(props: Record<string, unknown> = {}, name?: string): CheckedResource {
  const { sealTo: _sealTo, ...rest } = pass(props, name).props;
  return { type: resourceTypes.userTap, name: name ?? "alice-pass", props: rest };
}

function packConfig(file: string): PackConfig {
  return JSON.parse(
    fs.readFileSync(path.join(__dirname, "../../../policies/config", file), "utf8"),
  ) as PackConfig;
}

const check = checkerFor(grantPasscodeSealed);
const violation = violationsOf(policyName, "alice-pass");

describe(policyName, () => {
  it("passes a pass sealed to its recipients, its passcode not in the state", async () => {
    expect(await check([pass()])).toEqual([]);
    expect(await check([pass({ sealTo: [recipient, { name: "lisa", key: recipient.key }] })])).toEqual([]);
  });

  it("passes a pass whose keepPasscodeInState is left out (the provider's default: false)", async () => {
    const { keepPasscodeInState: _keep, ...props } = pass().props;
    expect(await check([{ type: resourceTypes.userTap, name: "alice-pass", props }])).toEqual([]);
  });

  it("reports the plaintext opt-in", async () => {
    expect(await check([pass({ keepPasscodeInState: true })])).toEqual([violation(messages.plaintext)]);
  });

  it("reports a pass sealed to nobody: an empty sealTo", async () => {
    expect(await check([pass({ sealTo: [] })])).toEqual([violation(messages.sealedToNobody)]);
  });

  it("reports a pass sealed to nobody: no sealTo key (the provider's default: [])", async () => {
    expect(await check([passWithoutSealTo()])).toEqual([violation(messages.sealedToNobody)]);
    expect(await check([{ type: resourceTypes.userTap, name: "alice-pass", props: {} }])).toEqual([
      violation(messages.sealedToNobody),
    ]);
  });

  it.each([null, "tom", 42, { name: "tom" }])(
    "reports a sealTo that is not a list (%j) as sealed to nobody",
    async (sealTo) => {
      expect(await check([pass({ sealTo })])).toEqual([violation(messages.sealedToNobody)]);
    },
  );

  it("reports the plaintext opt-in and a pass sealed to nobody together", async () => {
    expect(await check([pass({ keepPasscodeInState: true, sealTo: [] })])).toEqual([
      violation(messages.plaintext),
      violation(messages.sealedToNobody),
    ]);
  });

  it("reports keepPasscodeInState only when it is true", async () => {
    for (const keepPasscodeInState of [false, "true", 1, null])
      expect(await check([pass({ keepPasscodeInState })])).toEqual([]);
  });

  describe("an ended grant's pass", () => {
    it("is skipped: it is only deleted, so it needs no recipient", async () => {
      expect(await check([pass({ grantEnded: true, sealTo: [] })])).toEqual([]);
      expect(await check([passWithoutSealTo({ grantEnded: true })])).toEqual([]);
      expect(await check([pass({ grantEnded: true, keepPasscodeInState: true, sealTo: [] })])).toEqual([]);
    });

    it("is checked while its grant has not ended", async () => {
      expect(await check([pass({ grantEnded: false, sealTo: [] })])).toEqual([
        violation(messages.sealedToNobody),
      ]);
      // Not known yet: the grant has not ended, as far as the policy knows.
      expect(await check([pass({ grantEnded: undefined, keepPasscodeInState: true })])).toEqual([
        violation(messages.plaintext),
      ]);
    });
  });

  describe("config", () => {
    it("has no settings", async () => {
      expect(await check([pass({ sealTo: [] })], { [policyName]: { allowUnsealed: true } })).toEqual([
        violation(messages.sealedToNobody),
      ]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check([pass({ sealTo: [] })], { [policyName]: "advisory" })).toEqual([
        violation(messages.sealedToNobody, "advisory"),
      ]);
      expect(
        await check([pass({ keepPasscodeInState: true })], {
          [policyName]: { enforcementLevel: "advisory" },
        }),
      ).toEqual([violation(messages.plaintext, "advisory")]);
    });

    it("reports nothing when disabled", async () => {
      const bad = pass({ keepPasscodeInState: true, sealTo: [] });
      expect(await check([bad], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([bad], { [policyName]: { enforcementLevel: "disabled" } })).toEqual([]);
      expect(await check([bad], { all: "disabled" })).toEqual([]);
    });

    it("is advisory under the baseline pack config and mandatory under the strict one", async () => {
      const bad = pass({ keepPasscodeInState: true });
      expect(await check([bad], packConfig("baseline.json"))).toEqual([
        violation(messages.plaintext, "advisory"),
      ]);
      expect(await check([bad], packConfig("strict.json"))).toEqual([
        violation(messages.plaintext, "mandatory"),
      ]);
    });
  });

  describe("unknown values", () => {
    it("reports nothing while sealTo is unknown", async () => {
      expect(await check([pass({ sealTo: undefined })])).toEqual([]);
    });

    it("still checks keepPasscodeInState when sealTo is unknown", async () => {
      expect(await check([pass({ sealTo: undefined, keepPasscodeInState: true })])).toEqual([
        violation(messages.plaintext),
      ]);
    });

    it("reports nothing for an unknown keepPasscodeInState, and still checks sealTo", async () => {
      expect(await check([pass({ keepPasscodeInState: undefined })])).toEqual([]);
      expect(await check([pass({ keepPasscodeInState: undefined, sealTo: [] })])).toEqual([
        violation(messages.sealedToNobody),
      ]);
    });

    it("passes a list of recipients whose keys are not known yet", async () => {
      expect(await check([pass({ sealTo: [{ name: "tom", key: undefined }] })])).toEqual([]);
    });

    it("checks sealTo when other fields are unknown", async () => {
      expect(await check([pass({ user: undefined, startDateTime: undefined })])).toEqual([]);
      expect(await check([pass({ user: undefined, startDateTime: undefined, sealTo: [] })])).toEqual([
        violation(messages.sealedToNobody),
      ]);
    });
  });

  it("reports each pass by its own name", async () => {
    const resources = [
      pass({}, "alice-pass"),
      pass({ sealTo: [] }, "bob-pass"),
      pass({ keepPasscodeInState: true }, "carol-pass"),
      pass({ grantEnded: true, sealTo: [] }, "dave-pass"),
      passWithoutSealTo({}, "erin-pass"),
    ];
    expect(await check(resources)).toEqual([
      violation(messages.sealedToNobody, "mandatory", "bob-pass"),
      violation(messages.plaintext, "mandatory", "carol-pass"),
      violation(messages.sealedToNobody, "mandatory", "erin-pass"),
    ]);
  });

  it("ignores resources of other types", async () => {
    const others = resourcesOfOtherTypes({ sealTo: [], keepPasscodeInState: true }, resourceTypes.userTap);
    expect(await check(others)).toEqual([]);
  });
});
