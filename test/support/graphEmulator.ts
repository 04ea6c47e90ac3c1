// A local Microsoft Graph for tests: a real HTTP server on 127.0.0.1 that enforces Graph's rules for the
// endpoints entra-tap uses, injects faults on demand and records every request. This is what tests import; the
// emulator lives in ./graphEmulator, one module per Graph resource as in components/graph.
export type { EmulatedCaPolicy, EmulatedTapPolicy, EmulatedUser } from "./graphEmulator/model";
export { pimScheduleRequestsPath, pimSchedulesPath } from "./graphEmulator/pimForGroups";
export { GraphEmulator } from "./graphEmulator/server";
export { useEmulatedGraphClient, useGraphEmulatorInProcessEnv } from "./graphEmulator/setups";
export { microsoftDefaultTapPolicy, tapPolicyODataType, tapPolicyPath } from "./graphEmulator/tapPolicy";
