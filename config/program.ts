// The running program's stack config: what the Pulumi CLI (or the offline plan's mock runtime) hands the program,
// validated by ./index.ts. Kept out of ./index.ts, which the commands load to read a stack's file: so they start
// without the Pulumi SDK's module tree.
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../components/validation";
import { parseStackConfig, type StackConfig } from "./index";

/**
 * The instant the running program judges its stack at, when something other than the clock decides it: the offline
 * plan sets it (`npm run plan -- --at`, or the plan's start) before it evaluates the program, so that the plan's own
 * validation, the program's and every component judge the stack at that one instant. Nothing sets it under the Pulumi
 * CLI: `pulumi preview` and `pulumi up` judge at the clock's time when the program loads its config.
 */
let judgedAt: number | undefined;

/** Makes the program that runs next in this process judge its stack at `instant` (ms since the epoch). */
export function judgeStackAt(instant: number): void {
  judgedAt = instant;
}

export interface LoadedStackConfig {
  config: StackConfig;
  /** The instant the config was judged at: the program passes it to every component that judges time. */
  now: Date;
}

/**
 * The stack config of the running program, judged at the instant set by `judgeStackAt`, else at the clock's time,
 * with that instant; an invalid stack stops here, with every problem listed.
 */
export function loadStackConfig(): LoadedStackConfig {
  const now = judgedAt ?? Date.now();
  try {
    return { config: parseStackConfig(pulumi.runtime.allConfig(), now), now: new Date(now) };
  } catch (error) {
    // RunError: Pulumi prints the message alone, without a stack trace.
    if (error instanceof ValidationError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
