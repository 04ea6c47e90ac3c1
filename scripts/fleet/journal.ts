// What a fleet command has done so far, kept in .fleet/<command>.json after each tenant: running the same command
// again continues the work (the tenants that finished keep their result, the others run), until every selected
// tenant has finished; the next run after that starts afresh.
import * as fs from "node:fs";
import * as path from "node:path";
import type { FleetCommand, TenantResult } from "./result";

export interface Journal {
  command: FleetCommand;
  startedAt: string;
  /** Each tenant that finished (well or needing attention), by stack; a failed one is run again. */
  finished: Record<string, TenantResult>;
}

export function journalFile(dir: string, command: FleetCommand): string {
  return path.join(dir, ".fleet", `${command}.json`);
}

/** Where one tenant's worker writes its result and its log (the engine's output) for `command`. */
export function tenantRunFiles(dir: string, command: FleetCommand, stack: string) {
  const runs = path.join(dir, ".fleet", "runs");
  return {
    result: path.join(runs, `${command}-${stack}.json`),
    log: path.join(runs, `${command}-${stack}.log`),
  };
}

/** The unfinished run of `command` to continue, or a new one (`restart`, none, or the last one complete). */
export function openJournal(
  file: string,
  command: FleetCommand,
  stacks: readonly string[],
  restart: boolean,
  now: Date,
): Journal {
  const fresh: Journal = { command, startedAt: now.toISOString(), finished: {} };
  if (restart || !fs.existsSync(file)) return fresh;
  const kept = JSON.parse(fs.readFileSync(file, "utf8")) as Journal;
  const complete = stacks.every((stack) => stack in kept.finished);
  return complete ? fresh : kept;
}

export function saveJournal(file: string, journal: Journal): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(journal, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}
