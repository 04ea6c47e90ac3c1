// A grant's purpose, entra-tap:bootstrap and entra-tap:knownIssuers: what the review and the detections judge passes by.
import { parseStackConfig } from "../../config";
import { knownIssuersLimit } from "../../config/knownIssuers";
import { audience, grant, grantProblems, now, policy, problems, raw } from "./grants.support";

const lifecycleWorkflows = { name: "Lifecycle Workflows", id: "CE79FDC4-CD1D-4EA5-8139-E74D7DBE0BB7" };

describe("a grant's purpose", () => {
  it("is one of the documented purposes, or left out", () => {
    expect(grantProblems({ purpose: "passkey-onboarding" })).toEqual([]);
    expect(grantProblems({ purpose: "support" })).toEqual([]);
    expect(grantProblems({ purpose: "passkeys" })).toEqual([
      'entra-tap:grants[0].purpose: "passkeys" is not allowed; expected one of "passkey-onboarding", "windows-hello-onboarding", "device-setup", "support"',
    ]);
  });
});

describe("entra-tap:bootstrap", () => {
  it("gives an onboarding 60 minutes to register a method by default", () => {
    expect(parseStackConfig(raw({ policy, audience, grants: [grant] }), now).bootstrap).toEqual({
      registrationWithinMinutes: 60,
    });
  });

  it("refuses a time outside 10 to 720 minutes, and unknown keys", () => {
    const bootstrapProblems = (bootstrap: unknown) => problems(raw({ policy, audience, bootstrap }));
    expect(bootstrapProblems({ registrationWithinMinutes: 720 })).toEqual([]);
    expect(bootstrapProblems({ registrationWithinMinutes: 5 })).toEqual([
      "entra-tap:bootstrap.registrationWithinMinutes: 5 is not allowed; expected an integer from 10 to 720",
    ]);
    expect(bootstrapProblems({ withinMinutes: 30 })).toEqual([
      "entra-tap:bootstrap.withinMinutes: not a known key; known keys: registrationWithinMinutes",
    ]);
  });
});

describe("entra-tap:knownIssuers", () => {
  const issuersProblems = (knownIssuers: unknown) => problems(raw({ policy, audience, knownIssuers }));

  it("holds each issuer's name and id, the id lower-cased as the audit log is compared with it", () => {
    const config = parseStackConfig(raw({ policy, audience, knownIssuers: [lifecycleWorkflows] }), now);
    expect(config.knownIssuers).toEqual([
      { name: "Lifecycle Workflows", id: "ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7" },
    ]);
    expect(parseStackConfig(raw({ policy, audience }), now).knownIssuers).toEqual([]);
  });

  it("refuses an id that is not a GUID, an empty name, and the same id twice in any case", () => {
    expect(issuersProblems([{ name: "Recovery", id: "account-recovery" }])).toEqual([
      'entra-tap:knownIssuers[0].id: "account-recovery" is not allowed; expected an application (client) id or service principal object id (GUID)',
    ]);
    expect(issuersProblems([{ name: " ", id: lifecycleWorkflows.id }])).toEqual([
      'entra-tap:knownIssuers[0].name: " " is not allowed; expected a name for people (e.g. Lifecycle Workflows)',
    ]);
    expect(
      issuersProblems([lifecycleWorkflows, { name: "Again", id: lifecycleWorkflows.id.toLowerCase() }]),
    ).toEqual([
      'entra-tap:knownIssuers[1].id: "ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7" is not allowed; expected each id once',
    ]);
  });

  it(`holds at most ${knownIssuersLimit} issuers: the out-of-process detection embeds their ids`, () => {
    const many = Array.from({ length: knownIssuersLimit + 1 }, (_, i) => ({
      name: `app ${i}`,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    }));
    expect(issuersProblems(many.slice(0, knownIssuersLimit))).toEqual([]);
    expect(issuersProblems(many)).toEqual([
      expect.stringMatching(/^entra-tap:knownIssuers: .* expected at most 50 issuers$/),
    ]);
  });
});
