// The offline plan's core (planStack) over a program folder and a stack file, printed as JSON: the engine suite runs
// it beside `pulumi preview` to check that both refuse and flag the same things. Run with tsx:
//   tsx test/engine/support/offlinePlan.ts <program dir> <project> <stack file> [<pack config>]
import * as fs from "node:fs";
import { planStack } from "../../../scripts/planStack";
import type { PackConfig } from "../../../scripts/policyRunner";
import { readStackFile } from "../../../scripts/stackFile";

async function main(): Promise<void> {
  const [programDir, project, stackFile, packConfigFile] = process.argv.slice(2);
  const stackConfig = readStackFile(stackFile, project);
  const packConfig = packConfigFile
    ? (JSON.parse(fs.readFileSync(packConfigFile, "utf8")) as PackConfig)
    : {};
  const plan = await planStack(programDir, "offline", stackConfig, packConfig);
  console.log(
    JSON.stringify({ refusals: plan.refusals, warnings: plan.warnings, violations: plan.violations }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
