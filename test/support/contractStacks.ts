// The stacks the ARM contract test (test/contract/) checks: the dev stack as Pulumi.dev.yaml holds it, and a large stack
// of generated grants (bench/stackOf.ts) with Azure roles, expected locations and Sentinel on. Each is evaluated by
// index.ts under Pulumi's mock runtime, in a child process (see evaluateContractStack); evaluate once per test file.
//
//   npx tsx test/support/contractStacks.ts <stack file> <stack> <answer.json>   (what evaluateContractStack runs)
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify as stringifyYaml } from "yaml";
import { devStackBase, generatedGrants } from "../../bench/stackOf";
import type { DeclaredResource } from "../../scripts/declaredResources";
import { mockGroupId } from "./devStackProgram";
// The billing subscription: the dev stack's support grant holds a role in it; the large stack's roles use it too.
import { billingScope, billingSubscriptionId as subscription, readerRoleId } from "./fixtures";

const projectDir = path.resolve(__dirname, "../..");

/** The time both stacks are judged at: before the dev stack's grants end, as test/support/devStackProgram.ts does. */
const contractNow = Date.parse("2027-11-26T22:00:00Z");

const monitoringReader = "43d0d8ad-25c7-4714-9337-8ba259a9fe05";

/**
 * The Azure roles of generated grant `i`: one grant in 25 holds one, in the three forms a stack file may hold them —
 * the tenant form at a resource group (as the dev stack's support grant does), the subscription form at the
 * subscription, and the tenant form at a management group.
 */
function rolesOf(i: number): Record<string, unknown>[] | undefined {
  if (i % 25 !== 0) return undefined;
  switch ((i / 25) % 3) {
    case 0:
      return [{ roleDefinitionId: readerRoleId, scope: billingScope }];
    case 1:
      return [
        {
          roleDefinitionId: `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${monitoringReader}`,
          scope: `/subscriptions/${subscription}`,
        },
      ];
    default:
      return [
        {
          roleDefinitionId: readerRoleId,
          scope: "/providers/Microsoft.Management/managementGroups/mg-contoso-platform",
        },
      ];
  }
}

/**
 * The large stack's config: the dev stack's policy, audience and monitoring with Sentinel on, and `count` generated
 * grants (their windows start 30 days after `contractNow`); one in 25 holds an Azure role, one in 10 declares where
 * its user signs in from, one in 50 joins through PIM for Groups.
 */
function largeStackConfig(count: number): Record<string, unknown> {
  const base = devStackBase();
  const monitoring = { ...(base["entra-tap:monitoring"] as Record<string, unknown>), sentinel: true };
  const grants = generatedGrants(count, contractNow).map((grant, i) => ({
    ...grant,
    ...(rolesOf(i) ? { azureRoles: rolesOf(i) } : {}),
    ...(i % 10 === 0
      ? {
          expectedLocations: {
            countries: ["NL", "BE"],
            ipRanges: [`198.51.${i % 256}.0/24`, "2001:db8::/32"],
          },
        }
      : {}),
    ...(i % 50 === 0 ? { membership: "pim" } : {}),
  }));
  return { ...base, "entra-tap:monitoring": monitoring, "entra-tap:grants": grants };
}

/** Writes `config` as a stack file in `dir` (strings quoted, as bench/stackOf.ts writes them); returns its path. */
function writeStackFile(dir: string, config: Record<string, unknown>, stack: string): string {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(
    file,
    stringifyYaml({ config }, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 }),
  );
  return file;
}

/**
 * What the mock gives a resource beyond its inputs, as Azure and Entra would: a group's object id
 * (`mockGroupId`), and a workspace's `name` (its `workspaceName`: ARM names the resource by its path). Ids stay the
 * mock's `<name>-id`.
 */
function contractOutputsOf(resource: DeclaredResource): Record<string, unknown> {
  if (resource.type === "azuread:index/group:Group") return { objectId: mockGroupId(resource.name) };
  if (resource.type === "azure-native:operationalinsights:Workspace")
    return { name: resource.inputs.workspaceName };
  return {};
}

/** How an unknown value (known only after apply) is written in the child's answer. */
export const unknownMarker = { "entra-tap-contract": "unknown" } as const;

/** Whether `value` is `unknownMarker`: a value the mock runtime could not know. */
export function isUnknownMarker(value: unknown): boolean {
  return (
    !!value &&
    typeof value === "object" &&
    (value as Record<string, unknown>)["entra-tap-contract"] === unknownMarker["entra-tap-contract"]
  );
}

/**
 * Evaluates index.ts for the stack in `stackFile` at `contractNow` and returns what it declares. Users get
 * `id-of-<upn>`; privileged groups have no members.
 *
 * The program runs in a child process under tsx, as the offline plan runs it (scripts/plan.ts): inside jest (its module
 * wrapper, async hooks and source-mapped stack traces), 1,000 grants took 68 s here and 5,000 grants 567 s (with a
 * jest spy on Date.now, which records every call); the child evaluates 5,000 grants in about 35 s. Its answer is the declared resources as JSON: secrets stay wrapped as the mock monitor passes them
 * (`isSecretValue` still tells them) and unknown values become `unknownMarker`.
 */
export function evaluateContractStack(stackFile: string, stack: string): DeclaredResource[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-contract-"));
  try {
    return evaluateIn(dir, stackFile, stack);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The large stack of `count` grants (largeStackConfig), written as a stack file and evaluated. */
export function evaluateLargeStack(count: number): DeclaredResource[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-tap-contract-"));
  try {
    return evaluateIn(dir, writeStackFile(dir, largeStackConfig(count), "large"), "large");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function evaluateIn(dir: string, stackFile: string, stack: string): DeclaredResource[] {
  const answer = path.join(dir, `declared.${stack}.json`);
  const result = spawnSync(
    process.execPath,
    [require.resolve("tsx/cli"), __filename, stackFile, stack, answer],
    {
      cwd: projectDir,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) {
    throw new Error(`evaluating ${stackFile} failed (${result.status}):\n${result.stderr}\n${result.stdout}`);
  }
  return JSON.parse(fs.readFileSync(answer, "utf8")) as DeclaredResource[];
}

/** The child: evaluates the program for the stack file under the mock runtime and writes what it declares. */
async function evaluateInThisProcess(stackFile: string, stack: string, answer: string): Promise<void> {
  // The plan's settings: one instant for the whole program, and the SDK's stack traces left unmapped.
  Date.now = () => contractNow;
  process.setSourceMapsEnabled(false);
  const pulumi = await import("@pulumi/pulumi");
  const { readStackFile } = await import("../../scripts/stackFile");
  const { isUnknownValue } = await import("../../scripts/declaredResources");
  const { mockRuntime } = await import("./mockRuntime");
  // A stack of this project, wherever its file is: under the checkout's standard, as the CLI run here reads it.
  const file = readStackFile(stackFile, "entra-tap", path.join(projectDir, "Pulumi.yaml"));
  pulumi.runtime.setAllConfig(file.config, file.secretKeys);
  const declared = await mockRuntime({
    stack,
    outputsOf: contractOutputsOf,
    invokeResults: (token, inputs) => {
      if (token === "azuread:index/getUser:getUser")
        return { ...inputs, objectId: `id-of-${inputs.userPrincipalName}` };
      if (token === "azuread:index/getGroup:getGroup") return { ...inputs, members: [] };
      return undefined;
    },
  });
  const program = (await import("../../index")) as Record<string, unknown>;
  await new Promise<void>((resolve) =>
    (program.tapPolicyState as import("@pulumi/pulumi").Output<string>).apply(() => resolve()),
  );
  // disconnect waits for the registrations still in flight (a rule whose query waits on an invoke).
  await pulumi.runtime.disconnect();
  const mapUnknowns = (value: unknown): unknown => {
    if (isUnknownValue(value)) return unknownMarker;
    if (Array.isArray(value)) return value.map(mapUnknowns);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapUnknowns(v)]));
    }
    return value;
  };
  const written = declared.map((resource) => {
    return { ...resource, inputs: mapUnknowns(resource.inputs) };
  });
  fs.writeFileSync(answer, JSON.stringify(written));
}

if (require.main === module) {
  const [stackFile, stack, answer] = process.argv.slice(2);
  evaluateInThisProcess(stackFile, stack, answer).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}

/** The dev stack's file. */
export const devStackFile = path.join(projectDir, "Pulumi.dev.yaml");
