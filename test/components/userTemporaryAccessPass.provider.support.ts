// What the user pass provider's tests share: the emulated tenant with its TAP policy, a declared pass, a pass issued.
import {
  type UserTemporaryAccessPassInputs,
  type UserTemporaryAccessPassOutputs,
  userTemporaryAccessPassLifecycle as provider,
} from "../../components/userTemporaryAccessPass";
import {
  type EmulatedUser,
  GraphEmulator,
  useGraphEmulatorInProcessEnv,
  microsoftDefaultTapPolicy,
} from "../support/graphEmulator";
import { breakGlassGroupId as breakGlass, contractorsGroupId as contractors } from "../support/fixtures";
import { openSealedPasscode } from "../../components/handover";
import { type TestRecipient, testRecipient } from "../support/handoverIdentities";

export const hour = 3_600_000;

// This file's emulator, set by useTapTenant (each test file has its own copy of this module).
let emulator: GraphEmulator;
/** Who Jane's passes are sealed to (her grant's approver): the test holds the identity that opens them. */
export let approver: TestRecipient;

/**
 * Starts the test file's emulator; before each test resets it to a one-time TAP policy for the contractors group
 * (break-glass excluded) and Jane in that group, and hands both to `use`.
 */
export function useTapTenant(use: (emulator: GraphEmulator, jane: EmulatedUser) => void): void {
  useGraphEmulatorInProcessEnv((started) => (emulator = started));
  beforeAll(async () => {
    approver = await testRecipient("tom.becker@contoso.example");
  });
  beforeEach(() => {
    emulator.reset();
    emulator.policy = {
      ...microsoftDefaultTapPolicy(),
      state: "enabled",
      isUsableOnce: true,
      includeTargets: [{ id: contractors, targetType: "group", isRegistrationRequired: false }],
      excludeTargets: [{ id: breakGlass, targetType: "group" }],
    };
    const jane = emulator.addUser({ userPrincipalName: "jane.doe@contoso.example" });
    emulator.addMember(contractors, jane.id);
    use(emulator, jane);
  });
}

export function declared(
  overrides: Partial<UserTemporaryAccessPassInputs> = {},
): UserTemporaryAccessPassInputs {
  const start = new Date(Date.now() + hour).toISOString();
  return {
    cloud: "global",
    user: "jane.doe@contoso.example",
    startDateTime: start,
    lifetimeInMinutes: 120,
    isUsableOnce: true,
    grantExpiry: new Date(Date.now() + 14 * 24 * hour).toISOString(),
    grantEnded: false,
    reissue: 0,
    revokeSessionsOnDelete: true,
    scopeRetrySeconds: 2,
    sealTo: [{ name: approver.name, key: approver.key }],
    keepPasscodeInState: false,
    ...overrides,
  };
}

/** The passcode the pass's outputs hold, opened with the approver's identity (the state holds only ciphertext). */
export function openedPasscode(outs: UserTemporaryAccessPassOutputs): Promise<string> {
  return openSealedPasscode(outs.sealedPasscode!, [approver.identity]);
}

export async function issued(overrides: Partial<UserTemporaryAccessPassInputs> = {}) {
  const result = await provider.create!(declared(overrides));
  emulator.requests.length = 0;
  return result.outs as UserTemporaryAccessPassOutputs;
}

/**
 * The requests of the pass's own lifecycle (the policy, the pass, the sessions): the registration preflight's (the
 * user's object id, Conditional Access's What If) left out, so the tests of issuing and retrying count what they are
 * about.
 */
export function passRequests(emulator: GraphEmulator): GraphEmulator["requests"] {
  return emulator.requests.filter(
    (r) => r.path !== "/v1.0/identity/conditionalAccess/evaluate" && r.query !== "$select=id",
  );
}
