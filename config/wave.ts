// `entra-tap:wave`: when a deploy reaches the stack's tenant. The workflows deploy the canary wave first and the rest
// only after an approval (docs/fleet.md); the program itself does not read it.
import { oneOf } from "../components/validation";

const deployWaves = ["canary", "rest"] as const;
export type DeployWave = (typeof deployWaves)[number];

/** A stack that names no wave is deployed with the rest, after the canaries and the approval. */
export function deployWaveSchema() {
  return oneOf(deployWaves).default("rest");
}
