// The registration preflight against the emulator over HTTP, through Conditional Access's What If: a policy on
// registering security info that would refuse the pass (by its authentication strength, or by blocking), who it applies
// to (users, nested groups, exclusions), what What If cannot settle (a location), and an onboarding user who already has
// a phishing-resistant method.
import type { GraphClient } from "../../../components/graph/client";
import { registrationPreflight } from "../../../components/graph/registrationPreflight";
import {
  type EmulatedCaPolicy,
  type GraphEmulator,
  useEmulatedGraphClient,
} from "../../support/graphEmulator";

let emulator: GraphEmulator;
let graph: GraphClient;
useEmulatedGraphClient({ retryDelayInMs: 1, maxRetries: 1 }, (started, client) => {
  emulator = started;
  graph = client;
});

const phishingResistant = {
  id: "00000000-0000-0000-0000-000000000004",
  displayName: "Phishing-resistant MFA",
  policyType: "builtIn" as const,
  allowedCombinations: ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
};
const withPass = {
  id: "7d4e2b1c-0a3f-4e5d-9c8b-1a2b3c4d5e6f",
  displayName: "Passkey or one-time pass",
  policyType: "custom" as const,
  allowedCombinations: ["fido2", "temporaryAccessPassOneTime"],
};

function registrationPolicy(
  users: Partial<EmulatedCaPolicy["conditions"]["users"]>,
  strength: { id: string; displayName: string } = phishingResistant,
) {
  const policy: EmulatedCaPolicy = {
    id: "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e",
    displayName: "Register security info with a strong method",
    state: "enabled",
    conditions: {
      users: {
        includeUsers: [],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
        ...users,
      },
      applications: { includeApplications: [], includeUserActions: ["urn:user:registersecurityinfo"] },
    },
    grantControls: {
      operator: "OR",
      builtInControls: [],
      authenticationStrength: { id: strength.id, displayName: strength.displayName },
    },
  };
  emulator.conditionalAccessPolicies.push(policy);
  return policy;
}

let userId: string;
const passStart = "2026-12-04T08:00:00.000Z";
const preflight = (overrides: { isUsableOnce?: boolean; purpose?: "passkey-onboarding" | "support" } = {}) =>
  registrationPreflight(graph, {
    user: "jane.doe@contoso.com",
    isUsableOnce: overrides.isUsableOnce ?? true,
    purpose: overrides.purpose,
    passStart,
  });

beforeEach(() => {
  emulator.authenticationStrengths.set(phishingResistant.id, phishingResistant);
  emulator.authenticationStrengths.set(withPass.id, withPass);
  userId = emulator.addUser({ userPrincipalName: "jane.doe@contoso.com" }).id;
});

describe("the registration preflight", () => {
  it("warns when a policy on registering security info requires a strength without the pass, naming both", async () => {
    registrationPolicy({ includeUsers: ["All"] });
    expect(await preflight()).toEqual([
      'Conditional Access policy "Register security info with a strong method" requires "Phishing-resistant MFA" to ' +
        "register security info, which does not allow a one-time Temporary Access Pass (temporaryAccessPassOneTime): " +
        "the pass cannot register a method",
    ]);
  });

  it("says nothing when the strength allows the pass's kind, and tells a multi-use pass from a one-time one", async () => {
    registrationPolicy({ includeUsers: ["All"] }, withPass);
    expect(await preflight()).toEqual([]);
    expect(await preflight({ isUsableOnce: false })).toEqual([
      expect.stringContaining(
        "does not allow a multi-use Temporary Access Pass (temporaryAccessPassMultiUse)",
      ),
    ]);
  });

  it("applies a policy through a nested group, and not to a user it excludes", async () => {
    const outer = emulator.addGroup({ displayName: "Everyone registering" });
    const inner = emulator.addGroup({ displayName: "New hires" });
    emulator.nestGroup(outer.id, inner.id);
    emulator.addMember(inner.id, userId);
    registrationPolicy({ includeGroups: [outer.id] });
    expect(await preflight()).toHaveLength(1);
    emulator.conditionalAccessPolicies.length = 0;
    registrationPolicy({ includeUsers: ["All"], excludeGroups: [outer.id] });
    expect(await preflight()).toEqual([]);
    emulator.conditionalAccessPolicies.length = 0;
    registrationPolicy({ includeUsers: ["All"], excludeUsers: [userId] });
    expect(await preflight()).toEqual([]);
  });

  it("leaves report-only policies and policies on another user action out, and counts one on all resources", async () => {
    registrationPolicy({ includeUsers: ["All"] }).state = "enabledForReportingButNotEnforced";
    const otherAction = registrationPolicy({ includeUsers: ["All"] });
    otherAction.conditions.applications.includeUserActions = ["urn:user:registerdevice"];
    expect(await preflight()).toEqual([]);
    // What If applies a policy on all resources to registering security info (Microsoft's example 3).
    otherAction.conditions.applications.includeApplications = ["All"];
    expect(await preflight()).toHaveLength(1);
  });

  it("says a policy What If cannot settle without the sign-in's location may require its strength", async () => {
    registrationPolicy({ includeUsers: ["All"] }).conditions.locations = {
      includeLocations: ["All"],
      excludeLocations: ["AllTrusted"],
    };
    expect(await preflight()).toEqual([
      expect.stringContaining(
        'may require "Phishing-resistant MFA" to register security info (it depends on where and how the pass is used)',
      ),
    ]);
  });

  it("says a policy that blocks registering security info stops the pass, whatever its kind", async () => {
    registrationPolicy({ includeUsers: ["All"] }).grantControls = {
      operator: "OR",
      builtInControls: ["block"],
    };
    expect(await preflight({ isUsableOnce: false })).toEqual([
      'Conditional Access policy "Register security info with a strong method" blocks registering security info: ' +
        "the pass cannot register a method",
    ]);
  });

  it("asks What If once, as the user by object id, for registering security info with nothing else known", async () => {
    registrationPolicy({ includeUsers: ["All"] });
    await preflight();
    const evaluations = emulator.requests.filter((r) => r.path.endsWith("/conditionalAccess/evaluate"));
    expect(evaluations).toHaveLength(1);
    expect(evaluations[0].body).toEqual({
      signInIdentity: { "@odata.type": "#microsoft.graph.userSignIn", userId },
      signInContext: {
        "@odata.type": "#microsoft.graph.userActionContext",
        userAction: "registerSecurityInformation",
      },
      signInConditions: {},
      appliedPoliciesOnly: false,
    });
    expect(emulator.writes()).toEqual([]);
  });

  it("fails loudly on a strength given without its combinations, naming where to look", async () => {
    const bare = { ...phishingResistant, allowedCombinations: undefined as unknown as string[] };
    emulator.authenticationStrengths.set(bare.id, bare);
    registrationPolicy({ includeUsers: ["All"] });
    await expect(preflight()).rejects.toThrow(
      /without its allowedCombinations: docs\/monitoring\.md, Preflight of the registration path/,
    );
  });

  it("says what it could not check without Policy.Read.ConditionalAccess", async () => {
    emulator.conditionalAccessForbidden = true;
    expect(await preflight()).toEqual([
      expect.stringMatching(
        /^the registration path was not checked: Conditional Access's What If needs Policy\.Read\.ConditionalAccess/,
      ),
    ]);
  });

  it("tells an onboarding that its user already has a phishing-resistant method, not one registered since", async () => {
    emulator.registerMethod(userId, "fido2", Date.parse(passStart) - 3_600_000);
    expect(await preflight({ purpose: "passkey-onboarding" })).toEqual([
      expect.stringMatching(
        /^the user already has passkey \(FIDO2\) \(registered .*\): an onboarding pass may not be needed$/,
      ),
    ]);
    expect(await preflight({ purpose: "support" })).toEqual([]);
    emulator.users.get(userId)!.methods.length = 0;
    emulator.registerMethod(userId, "fido2", Date.parse(passStart) + 60_000);
    expect(await preflight({ purpose: "passkey-onboarding" })).toEqual([]);
  });
});
