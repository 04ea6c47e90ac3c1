// What the PIM for Groups membership provider's tests share: the emulated tenant, a declared membership, the clock.
import {
  type PimGroupMembershipInputs,
  type PimGroupMembershipOutputs,
  pimGroupMembershipLifecycle as provider,
} from "../../components/pimGroupMembership";
import {
  type EmulatedUser,
  GraphEmulator,
  pimScheduleRequestsPath,
  useGraphEmulatorInProcessEnv,
} from "../support/graphEmulator";
import { contractorsGroupId as contractors } from "../support/fixtures";

export const hour = 3_600_000;

// This file's emulator and user, set before each test by usePimTenant (each test file has its own copy of this module).
let emulator: GraphEmulator;
let jane: EmulatedUser;

/** The clock as it is: tests that move it (movePast) get it back after each test. */
export const realNow = Date.now;

/**
 * Starts the test file's emulator; before each test resets it to the contractors group and Jane, and hands both to
 * `use`; after each test puts the clock back.
 */
export function usePimTenant(use: (emulator: GraphEmulator, jane: EmulatedUser) => void): void {
  useGraphEmulatorInProcessEnv((started) => (emulator = started));
  beforeEach(() => {
    emulator.reset();
    emulator.addGroup({ id: contractors, displayName: "TAP contractors" });
    jane = emulator.addUser({ userPrincipalName: "jane.doe@contoso.example" });
    use(emulator, jane);
  });
  afterEach(() => {
    Date.now = realNow;
  });
}

export function declared(overrides: Partial<PimGroupMembershipInputs> = {}): PimGroupMembershipInputs {
  return {
    cloud: "global",
    groupId: contractors,
    principalId: jane.id,
    endDateTime: new Date(Date.now() + 48 * hour).toISOString(),
    justification: {
      reason: "Laptop replacement",
      ticket: "CHG-1042",
      requestedBy: "ahmed.khan@contoso.example",
      approvedBy: "Sam Lee",
    },
    ...overrides,
  };
}

export async function assigned(overrides: Partial<PimGroupMembershipInputs> = {}) {
  const result = await provider.create!(declared(overrides));
  emulator.requests.length = 0;
  return result.outs as PimGroupMembershipOutputs;
}

export const scheduleRequests = () =>
  emulator.requests.filter((r) => r.method === "POST" && r.path === pimScheduleRequestsPath);
/** Moves time past `iso`, for Entra (the emulator) and for the provider alike. */
export const movePast = (iso: string) => {
  const at = Date.parse(iso) + 60_000;
  emulator.now = () => at;
  Date.now = () => at;
};
