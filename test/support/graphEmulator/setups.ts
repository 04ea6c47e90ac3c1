// Set-ups for a test file that runs against the emulator: each starts one before the file's tests and stops it after.
import {
  type GraphClient,
  type GraphClientOptions,
  graphClientFromEnvironment,
} from "../../../components/graph/client";
import { GraphEmulator } from "./server";

/**
 * For a test file whose code under test reads `process.env`: starts an emulator before the tests, points
 * ENTRA_TAP_GRAPH_ENDPOINT/TOKEN at it, hands it to `use`, and stops it and restores the environment after.
 */
export function useGraphEmulatorInProcessEnv(use: (emulator: GraphEmulator) => void): void {
  const savedEnv = { ...process.env };
  let started: GraphEmulator | undefined;
  beforeAll(async () => {
    started = await GraphEmulator.start();
    Object.assign(process.env, started.env());
    use(started);
  });
  afterAll(async () => {
    process.env = savedEnv;
    await started?.stop();
  });
}

/** Starts an emulator before the tests and stops it after; before each test, resets it and hands it to `use`. */
export function useResetGraphEmulator(use: (emulator: GraphEmulator) => void): void {
  let started: GraphEmulator;
  beforeAll(async () => {
    started = await GraphEmulator.start();
  });
  afterAll(() => started.stop());
  beforeEach(() => {
    started.reset();
    use(started);
  });
}

/**
 * For a test file of the Graph client: as useResetGraphEmulator, and before each test builds a client for the
 * emulator with `options` and hands both to `use`.
 */
export function useEmulatedGraphClient(
  options: Partial<Omit<GraphClientOptions, "endpoint" | "credential">>,
  use: (emulator: GraphEmulator, graph: GraphClient) => void,
): void {
  useResetGraphEmulator((emulator) =>
    use(emulator, graphClientFromEnvironment({ cloud: "global" }, emulator.env(), options)),
  );
}
