// What the review's tests share: `npm run review` in-process against this file's Graph emulator, its output read.
import { runReview } from "../../../scripts/review";
import type { Review } from "../../../scripts/review/classify";
import { type EmulatedUser, GraphEmulator } from "../../support/graphEmulator";
import { writeStackFile } from "../../support/sampleTenant";

// This file's emulator, started by useReviewEmulator (each test file has its own copy of this module).
let emulator: GraphEmulator;

/** Starts the test file's emulator before its tests, resets it before each and stops it after; hands it to `use`. */
export function useReviewEmulator(use: (emulator: GraphEmulator) => void): void {
  beforeAll(async () => {
    emulator = await GraphEmulator.start();
    use(emulator);
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.reset());
}

export const hour = 3_600_000;
export const day = 24 * hour;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  questions: string[];
}

export async function review(
  args: string[],
  options: {
    config?: Record<string, unknown>;
    tty?: boolean;
    answer?: boolean;
    progressStream?: NodeJS.WritableStream;
  } = {},
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const file = options.config ? writeStackFile(options.config) : undefined;
  const code = await runReview([...(file ? ["--stack", "sample", "--config-file", file] : []), ...args], {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    stdinIsTTY: options.tty ?? false,
    confirm: async (question) => {
      questions.push(question);
      return options.answer ?? false;
    },
    env: emulator.env(),
    graphOptions: { retryDelayInMs: 10, maxRetries: 3 },
    progressStream: options.progressStream,
  });
  return { code, stdout: out.join(""), stderr: err.join(""), questions };
}

export function json(
  run: Run,
): Review & { revocation?: { result?: { done: unknown[]; notDone: unknown[] } } } {
  return JSON.parse(run.stdout);
}

export function userByUpn(upn: string): EmulatedUser {
  return [...emulator.users.values()].find((u) => u.userPrincipalName === upn)!;
}
