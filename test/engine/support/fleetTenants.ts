// A fleet's tenant as the engine suite and the bench make one: a stack file holding only what is the tenant's own (the
// policy is the standard's, Pulumi.yaml), for a tenant seeded as the sandbox's (test/support/sampleTenant.ts); its
// process's env file; and the standard's pack config with the audit trail advisory (it asks for monitoring, which
// needs azure-native, whose plugin cannot be had here).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { GraphEmulator } from "../../support/graphEmulator";
import { sampleGroups, sandboxGrantConfig, seedSandboxTenant } from "../../support/sampleTenant";
import { journalFile, tenantRunFiles } from "../../../scripts/fleet/journal";
import { fleetCommands } from "../../../scripts/fleet/result";
import { type PulumiWorkspace, repoDir } from "./pulumiCli";

const hour = 3_600_000;

/**
 * Writes the tenant's own config into its stack file (which `pulumi stack init` made: its secrets salt is kept): its
 * tenant, cloud, groups, the approver's handover key and one grant to Jane from `minute` for 8 hours.
 */
function writeTenantStack(stackFile: string, tenantId: string, approverKey: string, minute: number): void {
  const document = parseDocument(fs.existsSync(stackFile) ? fs.readFileSync(stackFile, "utf8") : "");
  document.set("config", {
    "entra-tap:cloud": "global",
    "entra-tap:tenantId": tenantId,
    "entra-tap:audience": {
      targets: { contractors: { objectId: sampleGroups.contractors.id } },
      exclusions: { breakGlass: { objectId: sampleGroups.breakGlass.id } },
    },
    "entra-tap:handover": { recipients: { "tom.becker@contoso.com": approverKey } },
    "entra-tap:grants": [
      sandboxGrantConfig(new Date(minute).toISOString(), new Date(minute + 8 * hour).toISOString()),
    ],
  });
  // Quoted: a plain ISO date is a YAML timestamp, which the CLI hands over as Go prints it (and the config refuses).
  fs.writeFileSync(
    stackFile,
    document.toString({ defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }),
  );
}

/** A fleet tenant's stack file, in the project (the fleet reads the project's stack files). */
export const tenantStackFile = (stack: string) => path.join(repoDir, `Pulumi.${stack}.yaml`);

/** Removes what the tenants' stacks left in the project: their stack files, the fleet's journals and run files. */
export function removeFleetTenants(stacks: readonly string[]): void {
  for (const command of fleetCommands) {
    fs.rmSync(journalFile(repoDir, command), { force: true });
    for (const stack of stacks) {
      for (const file of Object.values(tenantRunFiles(repoDir, command, stack)))
        fs.rmSync(file, { force: true });
    }
  }
  for (const stack of stacks) fs.rmSync(tenantStackFile(stack), { force: true });
}

/**
 * A tenant of a fleet: its own Graph emulator, seeded as the sandbox's; its stack in `pulumi`'s backend
 * (`Pulumi.<stack>.yaml` in the project, with the tenant's own config); its env file `<envDir>/<stack>.env`.
 */
export async function startFleetTenant(
  pulumi: PulumiWorkspace,
  stack: string,
  envDir: string,
  approverKey: string,
  minute: number,
): Promise<GraphEmulator> {
  const emulator = await GraphEmulator.start();
  seedSandboxTenant(emulator);
  const init = await pulumi.run(["stack", "init", stack], { cwd: repoDir });
  if (init.status !== 0) throw new Error(`pulumi stack init ${stack}: exit ${init.status}\n${init.stderr}`);
  // The stack holds only what is the tenant's own (init wrote its secrets salt); the policy is the standard's.
  writeTenantStack(tenantStackFile(stack), emulator.tenantId, approverKey, minute);
  writeTenantEnv(path.join(envDir, `${stack}.env`), emulator);
  return emulator;
}

/** The env file of a tenant's process (`npm run fleet -- --stack-env`): its emulator's endpoint and token. */
function writeTenantEnv(file: string, emulator: GraphEmulator): void {
  const env = Object.entries(emulator.env()).map(([key, value]) => `${key}=${value}`);
  fs.writeFileSync(file, `${env.join("\n")}\n`);
}

/** The standard's pack config (strict.json) with the audit trail advisory, written to `file`. */
export function writeFleetPackConfig(file: string): void {
  const strict = JSON.parse(
    fs.readFileSync(path.join(repoDir, "policies", "config", "strict.json"), "utf8"),
  ) as Record<string, object>;
  fs.writeFileSync(
    file,
    JSON.stringify({
      ...strict,
      "tap-audit-trail": { ...strict["tap-audit-trail"], enforcementLevel: "advisory" },
    }),
  );
}
