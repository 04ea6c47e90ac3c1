// `npm run fleet-matrix -- [--stacks <glob>]`: the fleet's stacks as the workflows' matrices, from the stack files
// (Pulumi.<tenant>.yaml): `all`, and the deploy's waves `canary` and `rest` by each stack's entra-tap:wave, each a JSON
// list of chunks of at most 256 `{ stack, tenantId, subscriptionId }`, printed as the lines a step appends to
// $GITHUB_OUTPUT. Each job signs in to its stack file's entra-tap:tenantId and azure-native:subscriptionId (required
// here). The names become GitHub environments and concurrency groups: a file whose name is not a stack name, or an id
// that is not a GUID, is refused, never passed on.
import * as path from "node:path";
import { z } from "zod";
import { type DeployWave, deployWaveSchema } from "../config/wave";
import { formatProblem, objectId, problemsFromZod } from "../components/validation";
import {
  type CliIo,
  CommandFailure,
  type CommandSpec,
  exitCodes,
  problemList,
  processIo,
  runAsMain,
  runCommand,
  shownError,
  type StackOptions,
} from "./cli";
import { fleetStacks } from "./fleet";
import { fleetMatrices, githubOutputLines } from "./fleet/matrix";
import { isStackName, projectDir, projectName, readStackFile, stackNameRule } from "./stackFile";

interface FleetMatrixOptions extends Partial<StackOptions> {
  stacks: string;
}

const fleetMatrixCommand: CommandSpec<FleetMatrixOptions> = {
  command: "fleet-matrix",
  description:
    "The fleet's stacks as GitHub Actions matrices for the workflows: all, and the deploy's waves canary and rest " +
    "(entra-tap:wave), each in chunks of at most 256 (one matrix's limit), as lines for $GITHUB_OUTPUT.",
  options: (program) => program.option("--stacks <glob>", "the stacks (by their files' names) to list", "*"),
  helpAfter: ['See docs/fleet.md, "The workflows".'],
};

const keys = {
  tenantId: `${projectName}:tenantId`,
  subscriptionId: "azure-native:subscriptionId",
  wave: `${projectName}:wave`,
} as const;

/** What a stack file must name for its jobs to sign in, and its wave; its other keys are the stack's plan's to judge. */
const matrixKeysSchema = z.object({
  [keys.tenantId]: objectId("the tenant's id (a GUID)"),
  [keys.subscriptionId]: objectId(
    "the id (a GUID) of a subscription in the stack's tenant, the one its jobs sign in to",
  ),
  [keys.wave]: deployWaveSchema(),
});

/** Where the command reads: the project's folder (a test's). */
export interface FleetMatrixIo extends CliIo {
  projectDir?: string;
}

/** A stack's tenant, subscription and wave, or why its file cannot be in the fleet's matrices (one problem a key). */
function matrixStackOf(
  dir: string,
  stack: string,
): { tenantId: string; subscriptionId: string; wave: DeployWave } | { problems: string[] } {
  const file = `Pulumi.${stack}.yaml`;
  if (!isStackName(stack)) return { problems: [`${file}: not a stack name; allowed: ${stackNameRule}`] };
  let config: Record<string, string>;
  try {
    config = readStackFile(path.join(dir, file)).config;
  } catch (error) {
    return { problems: [`${file}: ${shownError(error)}`] };
  }
  const parsed = matrixKeysSchema.safeParse(config, { reportInput: true });
  if (!parsed.success) {
    return {
      problems: problemsFromZod(parsed.error).map((problem) =>
        formatProblem(`${file}: ${String(problem.path[0])}`, { ...problem, path: [] }),
      ),
    };
  }
  return {
    tenantId: parsed.data[keys.tenantId],
    subscriptionId: parsed.data[keys.subscriptionId],
    wave: parsed.data[keys.wave],
  };
}

export function runFleetMatrix(argv: string[], io: FleetMatrixIo): Promise<number> {
  return runCommand(fleetMatrixCommand, argv, io, async (options) => {
    const dir = io.projectDir ?? projectDir;
    const stacks = fleetStacks(dir, options.stacks);
    if (stacks.length === 0) {
      throw new CommandFailure(
        `--stacks ${JSON.stringify(options.stacks)}: no stack file matches`,
        exitCodes["fleet-matrix"].usage,
      );
    }
    const read = stacks.map((stack) => ({ stack, ...matrixStackOf(dir, stack) }));
    const problems = read.flatMap((s) => ("problems" in s ? s.problems : []));
    if (problems.length > 0) {
      io.stderr(problemList("fleet-matrix: these stack files cannot be in the fleet:", problems));
      return exitCodes["fleet-matrix"].usage;
    }
    io.stdout(githubOutputLines(fleetMatrices(read.flatMap((s) => ("problems" in s ? [] : [s])))));
    return exitCodes["fleet-matrix"].ok;
  });
}

if (require.main === module) runAsMain(runFleetMatrix, processIo());
