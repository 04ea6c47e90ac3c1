// Temporary folders that tests (and the scripts that reuse test support) create, removed once they are done: under
// jest after each test file (jest.config.js runs tempDirs.setup.ts in every file), in a script by removeTempDirs().
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// Kept on the global object, so that every module registry of a test file (jest.isolateModules) shares one list.
const registry = Symbol.for("entra-tap.test.tempDirs");

function created(): string[] {
  const holder = globalThis as unknown as Record<symbol, string[] | undefined>;
  return (holder[registry] ??= []);
}

/** A new folder in the system's temporary folder, named `<prefix><random>`, to be removed by removeTempDirs. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created().push(dir);
  return dir;
}

/** Removes every folder makeTempDir created (and what is in them). */
export function removeTempDirs(): void {
  for (const dir of created().splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
