// scripts/setup.sh, which every command's npm pre-script runs: a first run installs the dependencies, and what npm
// reports goes to stderr, so that the command's stdout (`npm run plan -- --json | jq`) holds its own output only.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeTempDir } from "../support/tempDirs";

const projectDir = path.resolve(__dirname, "../..");

/** A project folder with the real setup script, a lockfile and no node_modules; `npm` and `node` stand-ins on PATH. */
function freshCheckout(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = makeTempDir("entra-tap-setup-");
  fs.mkdirSync(path.join(dir, "scripts"));
  fs.copyFileSync(path.join(projectDir, "scripts", "setup.sh"), path.join(dir, "scripts", "setup.sh"));
  fs.writeFileSync(path.join(dir, "package-lock.json"), "{}\n");
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  // npm ci as it reports on stdout, leaving the marker the script checks.
  fs.writeFileSync(
    path.join(bin, "npm"),
    '#!/bin/sh\nmkdir -p node_modules && echo "{}" > node_modules/.package-lock.json\necho "added 504 packages in 3m"\n',
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(bin, "node"), "#!/bin/sh\necho 22\n", { mode: 0o755 });
  return { dir, env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` } };
}

describe("scripts/setup.sh", () => {
  it("installs on a fresh checkout, with npm's report on stderr and nothing on stdout", () => {
    const { dir, env } = freshCheckout();
    const first = spawnSync("bash", [path.join(dir, "scripts", "setup.sh")], { env, encoding: "utf8" });
    expect(first.status).toBe(0);
    expect(first.stdout).toBe("");
    expect(first.stderr).toContain("added 504 packages in 3m");
    expect(fs.existsSync(path.join(dir, "node_modules", ".package-lock.json"))).toBe(true);
    // Installed: the next run does nothing and says nothing.
    const next = spawnSync("bash", [path.join(dir, "scripts", "setup.sh")], { env, encoding: "utf8" });
    expect([next.status, next.stdout, next.stderr]).toEqual([0, "", ""]);
  });
});
