// What one tenant's part of a fleet run gives back (scripts/fleet/worker.ts writes it, scripts/fleet.ts reports it),
// and the standard's pack config every part runs the policy pack with.
import * as path from "node:path";
import { projectDir } from "../stackFile";

export const fleetCommands = ["plan", "preview", "up", "review"] as const;
export type FleetCommand = (typeof fleetCommands)[number];

/** The standard's policy pack config, the one every workflow passes too. */
export const standardPackConfig = path.join(projectDir, "policies", "config", "strict.json");

export interface Violations {
  mandatory: number;
  advisory: number;
  messages: string[];
}

/** A tenant's passes against what its stack declares (the ledger), and what else its review found. */
export interface TenantLedger {
  passes: number;
  /** Explained by a grant of the stack (running or ended). */
  declared: number;
  /** Issued by a process the stack names in entra-tap:knownIssuers. */
  knownIssuer: number;
  /** Nobody declared them. */
  undeclared: number;
  endedGrantsLeft: number;
  unexplainedMembers: number;
}

export interface TenantResult {
  stack: string;
  tenantId?: string;
  status: "ok" | "attention" | "failed";
  /** What would change or changed, by operation (create, update, delete, same, ...); the plan: resources declared. */
  changes?: Record<string, number>;
  violations?: Violations;
  review?: TenantLedger;
  error?: string;
  seconds: number;
}
