// A valid stack config with an audience and grants: what parsing fills in, keeps, and judges afresh.
import { parseStackConfig } from "../../config";
import { breakGlassGroupId as breakGlassGroup, validHandover } from "../support/fixtures";
import { audience, contractors, grant, now, policy, raw, supportGrant, supportGroup } from "./grants.support";

describe("a valid config with an audience and grants", () => {
  it("parses, filling the documented defaults", () => {
    const config = parseStackConfig(raw({ policy, audience, grants: [grant, supportGrant] }), now);
    expect(config).toEqual({
      cloud: "global",
      wave: "rest",
      policy: { ...policy, defaultLength: 14, onDestroy: "restore" },
      audience: {
        targets: {
          contractors: { ...contractors, isRegistrationRequired: false },
          support: { objectId: supportGroup, isRegistrationRequired: true },
        },
        exclusions: { breakGlass: { objectId: breakGlassGroup } },
      },
      grants: [
        {
          ...grant,
          membership: "direct",
          isUsableOnce: true,
          azureRoles: [],
          revokeSessionsOnEnd: true,
          reissue: 0,
        },
        // Left out in the file: the policy's default lifetime, filled in by the config.
        {
          ...supportGrant,
          lifetimeInMinutes: policy.defaultLifetimeInMinutes,
          membership: "direct",
          isUsableOnce: true,
          revokeSessionsOnEnd: true,
          reissue: 0,
        },
      ],
      handover: { ...validHandover, passcodeInState: false },
      knownIssuers: [],
      bootstrap: { registrationWithinMinutes: 60 },
    });
    expect(config.audience?.sessionControls).toBeUndefined();
  });

  it("keeps the values given instead of the defaults", () => {
    const given = {
      ...grant,
      membership: "pim",
      isUsableOnce: true,
      azureRoles: [],
      revokeSessionsOnEnd: false,
      reissue: 2,
    };
    expect(parseStackConfig(raw({ policy, audience, grants: [given] }), now).grants).toEqual([given]);
  });

  it("fills the session controls' defaults", () => {
    const config = parseStackConfig(raw({ policy, audience: { ...audience, sessionControls: {} } }), now);
    expect(config.audience?.sessionControls).toEqual({
      state: "enabledForReportingButNotEnforced",
      requireTapToRegisterSecurityInfo: true,
    });
  });

  it("judges the same config afresh at another time (an earlier valid answer is not reused)", () => {
    const expired = { ...grant, start: "2026-11-20T08:00:00Z", expiry: "2026-11-25T18:00:00Z" };
    const current = {
      ...supportGrant,
      user: grant.user,
      start: "2026-11-24T08:00:00Z",
      expiry: "2026-12-05T18:00:00Z",
    };
    const config = raw({ policy, audience, grants: [expired, current] });
    expect(parseStackConfig(config, now).grants).toHaveLength(2);
    expect(parseStackConfig(config, now)).toEqual(parseStackConfig(config, now));
    // Before the first grant expired, the two overlap.
    expect(() => parseStackConfig(config, Date.parse("2026-11-24T12:00:00Z"))).toThrow(
      /at most one active grant per user/,
    );
  });

  it("has no grants when entra-tap:grants is left out", () => {
    expect(parseStackConfig(raw({ policy, audience }), now).grants).toEqual([]);
  });
});
