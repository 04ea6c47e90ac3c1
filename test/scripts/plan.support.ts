// What the plan's tests share: the plan run as a user runs it (a process per plan), the dev stack's config, stack files.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { makeTempDir } from "../support/tempDirs";

export const projectDir = path.resolve(__dirname, "../..");
const tsxCli = require.resolve("tsx/cli");

/**
 * The plan as a user runs it: a process per plan (the mock runtime evaluates a program once per process), with the
 * real stack files, exit statuses and output.
 */
export function plan(...args: string[]) {
  const result = spawnSync(process.execPath, [tsxCli, "scripts/plan.ts", ...args], {
    cwd: projectDir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The dev stack's config, as its file holds it: a base for variations. */
export function devStackConfig(): Record<string, Record<string, unknown>> {
  const file = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.dev.yaml"), "utf8")) as {
    config: Record<string, Record<string, unknown>>;
  };
  return file.config;
}

export function stackFile(config: Record<string, unknown>): string {
  const dir = makeTempDir("entra-tap-plan-");
  const file = path.join(dir, "Pulumi.test.yaml");
  // Strings quoted, as in the dev stack: an unquoted date is a YAML timestamp, which the CLI hands over as Go prints it.
  fs.writeFileSync(
    file,
    stringifyYaml({ config }, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }),
  );
  return file;
}
