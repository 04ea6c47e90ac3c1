// `npm run review`'s arguments and config: refused before any Graph call, and documented in --help.
import { exitStatusSentence } from "../../../scripts/cli";
import { exitCodes } from "../../../scripts/review";
import { GraphEmulator } from "../../support/graphEmulator";
import { sampleStackConfig } from "../../support/sampleTenant";
import { review, useReviewEmulator } from "./review.support";

let emulator: GraphEmulator;
useReviewEmulator((started) => (emulator = started));

describe("arguments", () => {
  it.each([
    [[], /required option '--stack <name>' not specified/],
    [["--stack", "dev", "--json", "--csv"], /option '--json' cannot be used with option '--csv'/],
    [["--stack", "dev", "--concurrency", "0"], /--concurrency "0": allowed: an integer from 1 to 16/],
    [
      ["--stack", "dev", "--revoke", "jane"],
      /--revoke "jane": allowed: a user principal name \(name@domain\) or an object id/,
    ],
    [["--stack", "../etc"], /--stack "..\/etc": not a stack name/],
    [["--stack", "dev", "--frobnicate"], /unknown option '--frobnicate'/],
    [["--stack", "nosuchstack"], /--stack nosuchstack: no stack config file .*Pulumi\.nosuchstack\.yaml/],
  ])("refuses %j with exit status 2 before any Graph call", async (args, message) => {
    const run = await review(args);
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(message);
    expect(emulator.requests).toEqual([]);
  });

  it("refuses an invalid stack config, naming each problem", async () => {
    const config = sampleStackConfig([]);
    (config["entra-tap:policy"] as Record<string, unknown>).defaultLength = 99;
    const run = await review([], { config });
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(/entra-tap:policy\.defaultLength: 99 is not allowed/);
    expect(emulator.requests).toEqual([]);
  });

  it("documents every flag in --help", async () => {
    const run = await review(["--help"]);
    expect(run.code).toBe(exitCodes.ok);
    for (const flag of [
      "--stack",
      "--config-file",
      "--json",
      "--csv",
      "--markdown",
      "--full-scan",
      "--concurrency",
      "--revoke-ended",
      "--revoke-undeclared",
      "--revoke <user>",
      "--yes",
      "--help",
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout.replace(/\s+/g, " ")).toContain(exitStatusSentence("review"));
  });
});
