// A stack file with N generated grants, for the benchmark: the dev stack's policy, audience and monitoring, and N
// grants valid for the config rules (distinct users, windows within the dev stack's lifetimes, all in the future),
// so the plan declares a component and two custom resources per grant.
//
//   npx tsx bench/stackOf.ts <grants> <file>
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { readProjectConfig } from "../scripts/stackFile";

const projectDir = path.resolve(__dirname, "..");
const groups = ["contractors", "support", "onboarding"] as const;
const hour = 3_600_000;

/**
 * The dev stack's config without its grants, the project's standard included (Pulumi.yaml under Pulumi.dev.yaml): the
 * fixed part of every benchmarked stack, whose file then holds it all and can be read on its own.
 */
export function devStackBase(): Record<string, unknown> {
  const file = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.dev.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  const standard = readProjectConfig(path.join(projectDir, "Pulumi.yaml")).config;
  const { "entra-tap:grants": _grants, ...base } = { ...standard, ...file.config };
  return base;
}

/**
 * `count` grants for distinct users, each a working day's window starting at least 30 days after `now` (valid until
 * then, whatever the machine's clock), a 4-hour pass (within the dev stack's 60..480 minutes), no Azure roles.
 */
export function generatedGrants(count: number, now: number = Date.now()): Record<string, unknown>[] {
  const firstDay = Math.ceil((now + 30 * 24 * hour) / (24 * hour)) * 24 * hour;
  return Array.from({ length: count }, (_, i) => {
    const start = firstDay + Math.floor(i / 100) * 24 * hour + 8 * hour;
    const id = String(i).padStart(5, "0");
    return {
      name: `bench-grant-${id}`,
      user: `bench.user${id}@contoso.com`,
      reason: `Benchmark grant ${id}: onboarding wave, registers a passkey with the pass`,
      ticket: `BENCH-${id}`,
      requestedBy: "hr.onboarding@contoso.com",
      approvedBy: "tom.becker@contoso.com",
      start: new Date(start).toISOString().replace(".000Z", "Z"),
      expiry: new Date(start + 9 * hour).toISOString().replace(".000Z", "Z"),
      lifetimeInMinutes: 240,
      group: groups[i % groups.length],
    };
  });
}

/** Writes the stack file (strings quoted, as the dev stack quotes its dates) and returns its path. */
export function writeStackFile(file: string, grants: number, now: number = Date.now()): string {
  const config = { ...devStackBase(), "entra-tap:grants": generatedGrants(grants, now) };
  fs.writeFileSync(
    file,
    stringifyYaml({ config }, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 }),
  );
  return file;
}

if (require.main === module) {
  const [count, file] = process.argv.slice(2);
  if (!count || !file || !/^\d+$/.test(count)) {
    console.error("usage: npx tsx bench/stackOf.ts <grants> <file>");
    process.exit(2);
  }
  writeStackFile(file, Number(count));
}
