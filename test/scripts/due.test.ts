// `npm run due`: what came due in the window, judged from the stack's config alone, and its exit statuses.
import * as path from "node:path";
import { dueEvents, dueExitCodes, runDue } from "../../scripts/due";
import { parseStackConfig } from "../../config";
import { readStackFile } from "../../scripts/stackFile";
import { sampleGrant, sampleStackConfig, writeStackFile } from "../support/sampleTenant";

const at = Date.parse("2026-12-03T12:00:00Z");
const minute = 60_000;

/** A stack file with one grant from `start` to `expiry`, written where the command reads it with --config-file. */
function stackWith(start: number, expiry: number, extra: Record<string, unknown> = {}): string {
  return writeStackFile(
    sampleStackConfig([
      sampleGrant("contractor-jane-doe", "jane.doe@contoso.com", "contractors", start, expiry, extra),
    ]),
    "due",
  );
}

async function due(argv: string[]) {
  const run = { code: -1, stdout: "", stderr: "" };
  run.code = await runDue(argv, {
    stdout: (text) => (run.stdout += text),
    stderr: (text) => (run.stderr += text),
    env: {},
    now: () => at,
  });
  return run;
}

describe("npm run due", () => {
  it("exits 0 when no start or expiry came in the last interval", async () => {
    const file = stackWith(at - 60 * minute, at + 60 * minute);
    const run = await due(["--stack", "due", "--config-file", file]);
    expect(run).toMatchObject({ code: dueExitCodes.ok, stderr: "" });
    expect(run.stdout).toContain("Nothing due");
  });

  it("exits 3 when an expiry came since the last run, naming the grant and what to end", async () => {
    const file = stackWith(at - 180 * minute, at - 5 * minute);
    const run = await due(["--stack", "due", "--config-file", file]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(dueExitCodes.due);
    expect(run.stdout).toContain(
      "contractor-jane-doe expired: its membership, pass and sessions to end (2026-12-03T11:55:00.000Z)",
    );
    // Judged from a run before the window, it is still due; from a run after the expiry, it is done.
    expect(
      (await due(["--stack", "due", "--config-file", file, "--since", "2026-12-03T10:00:00Z"])).code,
    ).toBe(dueExitCodes.due);
    expect(
      (await due(["--stack", "due", "--config-file", file, "--since", "2026-12-03T11:56:00Z"])).code,
    ).toBe(dueExitCodes.ok);
  });

  it("counts a start and a role's own end, each instant once: after since, up to at", () => {
    const file = stackWith(at - 15 * minute, at + 60 * minute, {
      lifetimeInMinutes: 60,
      azureRoles: [
        {
          roleDefinitionId:
            "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
          scope: "/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59",
          end: new Date(at).toISOString(),
        },
      ],
    });
    const config = parseStackConfig(readStackFile(file).config, at);
    expect(dueEvents(config, at - 15 * minute, at).map((e) => e.kind)).toEqual(["roleEnd"]);
    expect(dueEvents(config, at - 16 * minute, at).map((e) => e.kind)).toEqual(["start", "roleEnd"]);
    expect(dueEvents(config, at - 16 * minute, at - minute).map((e) => e.kind)).toEqual(["start"]);
  });

  it("prints JSON with --json", async () => {
    const file = stackWith(at - 180 * minute, at - 5 * minute);
    const run = await due(["--stack", "due", "--config-file", file, "--json"]);
    expect(JSON.parse(run.stdout)).toEqual({
      stack: "due",
      since: "2026-12-03T11:45:00.000Z",
      at: "2026-12-03T12:00:00.000Z",
      due: [{ grant: "contractor-jane-doe", kind: "expiry", at: "2026-12-03T11:55:00.000Z" }],
    });
  });

  it.each([
    [["--since", "yesterday"], '--since "yesterday": allowed: an ISO 8601 date and time'],
    [
      ["--since", "2026-12-03T13:00:00Z", "--at", "2026-12-03T12:00:00Z"],
      '--since "2026-12-03T13:00:00Z": allowed: a time no later than --at',
    ],
  ])("refuses %j", async (argv, message) => {
    const run = await due(["--stack", "dev", ...argv]);
    expect(run.code).toBe(dueExitCodes.usage);
    expect(run.stderr).toContain(message);
  });

  it("refuses a stack whose config is invalid, naming the problem", async () => {
    const file = stackWith(at, at - minute);
    const run = await due(["--stack", "due", "--config-file", path.resolve(file)]);
    expect(run.code).toBe(dueExitCodes.usage);
    expect(run.stderr).toContain("entra-tap:grants[0]");
  });
});
