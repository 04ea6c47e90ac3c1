// Runs `npm run review` against the emulator's sample tenant and prints what it prints: the README's example output.
//
//   npx tsx scripts/demo/reviewSample.ts [review flags, e.g. --markdown]
import { runReview } from "../review";
import { GraphEmulator } from "../../test/support/graphEmulator";
import { seedSampleTenant, writeStackFile } from "../../test/support/sampleTenant";
import { removeTempDirs } from "../../test/support/tempDirs";

async function main(): Promise<number> {
  const emulator = await GraphEmulator.start();
  try {
    const file = writeStackFile(seedSampleTenant(emulator), "sample");
    return await runReview(["--stack", "sample", "--config-file", file, ...process.argv.slice(2)], {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      stdinIsTTY: false,
      confirm: async () => false,
      env: { ...process.env, ...emulator.env() },
    });
  } finally {
    await emulator.stop();
    removeTempDirs();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
