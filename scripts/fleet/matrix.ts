// The fleet as GitHub Actions matrices (the workflows' `stacks` job, .github/workflows/fleet-stacks.yml): every stack,
// and the deploy's two waves, each split into chunks that one matrix can hold. A caller runs a matrix over the chunks
// and each chunk's called workflow a matrix over its stacks, so a fleet larger than one matrix still runs in one run.
import type { DeployWave } from "../../config/wave";

/**
 * GitHub: "A matrix will generate a maximum of 256 jobs per workflow run" (Workflow syntax for GitHub Actions,
 * jobs.<job_id>.strategy.matrix). Taken as per matrix, each called workflow's its own (unverified: docs/fleet.md, "The
 * workflows", says what a run over more stacks shows if GitHub counts them together).
 */
export const matrixLimit = 256;

/**
 * One job of a matrix: the stack, the tenant it signs in to and the subscription of its Azure resources, both its
 * stack file's (so a tenant is never only what an environment's variable says).
 */
export interface MatrixStack {
  stack: string;
  tenantId: string;
  subscriptionId: string;
}

export interface FleetMatrices {
  all: MatrixStack[][];
  canary: MatrixStack[][];
  rest: MatrixStack[][];
}

/** `items` in order, in runs of at most `size`; none for none (a matrix cannot be empty: the job is skipped). */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

export function fleetMatrices(
  stacks: readonly (MatrixStack & { wave: DeployWave })[],
  size = matrixLimit,
): FleetMatrices {
  const job = ({ stack, tenantId, subscriptionId }: MatrixStack): MatrixStack => ({
    stack,
    tenantId,
    subscriptionId,
  });
  const inWave = (wave: DeployWave) => stacks.filter((s) => s.wave === wave).map(job);
  return {
    all: chunked(stacks.map(job), size),
    canary: chunked(inWave("canary"), size),
    rest: chunked(inWave("rest"), size),
  };
}

/** The lines a step appends to $GITHUB_OUTPUT: each matrix as one line of JSON. */
export function githubOutputLines(matrices: FleetMatrices): string {
  return Object.entries(matrices)
    .map(([name, chunks]) => `${name}=${JSON.stringify(chunks)}\n`)
    .join("");
}
