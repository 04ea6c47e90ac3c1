// What the tenant can inject into what people read: `neutralise` itself, then every output for people (the review's
// table, revocation list, Markdown and CSV; export's summary and stack file) run against the Graph emulator with
// generated hostile group names and user principal names.
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { tapPolicySettingsFromGraph } from "../../components/graph/tapPolicy";
import { declaredConfig, runExport } from "../../scripts/export";
import { controlOrBidiCharacter, neutralise, neutraliseStrings } from "../../components/neutralise";
import { exitCodes, runReview } from "../../scripts/review";
import { GraphEmulator } from "../support/graphEmulator";
import { sampleStackConfig, seedSamplePolicy, writeStackFile } from "../support/sampleTenant";
import { makeTempDir } from "../support/tempDirs";

/** Undoes `neutralise`: JavaScript's escapes, as its doc comment says. */
function unescape(text: string): string {
  const named: Record<string, string> = { t: "\t", n: "\n", r: "\r", "\\": "\\" };
  return text.replace(/\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|([tnr\\]))/g, (_, x, u, c) =>
    c ? named[c] : String.fromCharCode(parseInt(x ?? u, 16)),
  );
}

/** The control and bidirectional characters in `text`, as code points: what a test expects to be none. */
function rawCharacters(text: string): string[] {
  return [...text]
    .filter((c) => controlOrBidiCharacter.test(c))
    .map((c) => `U+${c.codePointAt(0)!.toString(16)}`);
}

/** Pieces of names that attack an output: terminal sequences, every kind of line break, bidi overrides, markup. */
const hostilePiece = fc.constantFrom(
  "\u001b]8;;http://evil\u001b\\click\u001b]8;;\u001b\\",
  "\u001b[2J\u001b[H",
  "\u001b[31m",
  "\u009b31m",
  "\u001b]0;title\u0007",
  "\r",
  "\n",
  "\r\n",
  "\u0085",
  "\u2028",
  "\u2029",
  "\u202e",
  "\u202a",
  "\u2066",
  "\u2069",
  "\u061c",
  "\u200f",
  "\u0000",
  "\t",
  "\u007f",
  "|",
  "\\",
  "\\x1b",
  "\\u202e",
  "&#x202e;",
  "=cmd()",
  '"',
  ",",
  "# ",
  "\n| forged | row |\n",
  "\rkey: injected",
);
const hostileText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: hostilePiece },
      fc.string({ unit: "binary-ascii", maxLength: 6 }),
      fc.string({ unit: "binary", maxLength: 6 }),
    ),
    { maxLength: 6 },
  )
  .map((pieces) => pieces.join(""));

describe("neutralise", () => {
  // Described in words: jest would print the characters themselves into the test's name.
  it.each([
    ["ESC as \\x1b", "\u001b[2J", "\\x1b[2J"],
    ["a lone CR as \\r", "a\rb", "a\\rb"],
    ["LF and tab as \\n and \\t", "a\nb\tc", "a\\nb\\tc"],
    ["NUL, DEL, NEL and C1's CSI as \\xhh", "\u0000\u007f\u0085\u009b", "\\x00\\x7f\\x85\\x9b"],
    ["the line and paragraph separators as \\uhhhh", "\u2028\u2029", "\\u2028\\u2029"],
    ["a right-to-left override as \\u202e", "abc\u202edef", "abc\\u202edef"],
    [
      "the other bidirectional controls as \\uhhhh",
      "\u061c\u200e\u200f\u202a\u202d\u2066\u2069",
      "\\u061c\\u200e\\u200f\\u202a\\u202d\\u2066\\u2069",
    ],
    ["a backslash as \\\\, so that it cannot spell an escape", "C:\\x1b", "C:\\\\x1b"],
    ["a plain name as it is", "TAP - Contractors", "TAP - Contractors"],
    ["letters, dashes and emoji as they are", "Zoë Müller — 東京 😀", "Zoë Müller — 東京 😀"],
  ])("shows %s", (_, text, shown) => {
    expect(neutralise(text)).toBe(shown);
  });

  it("leaves no control or bidirectional character, and is one line", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(rawCharacters(neutralise(text))).toEqual([]);
      }),
    );
  });

  it("can be undone, so two names never show alike: a backslash in a name cannot spell an escape", () => {
    const anyCodeUnit = fc.string({
      unit: fc.oneof(
        fc.constantFrom("\\", "x", "u", "1", "b", "2", "e"),
        fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
      ),
    });
    fc.assert(
      fc.property(fc.oneof(hostileText, anyCodeUnit), (text) => {
        const shown = neutralise(text);
        expect(unescape(shown)).toBe(text);
        // Every backslash starts one of the escapes.
        expect(shown.replace(/\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|[tnr\\])/g, "")).not.toContain("\\");
      }),
    );
  });

  it("leaves text with none of those characters and no backslash as it is", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        fc.pre(!controlOrBidiCharacter.test(text) && !text.includes("\\"));
        expect(neutralise(text)).toBe(text);
      }),
    );
  });

  it("neutraliseStrings neutralises every string of plain data, and nothing else", () => {
    expect(
      neutraliseStrings({
        user: "a\u001b",
        count: 2,
        ok: true,
        none: null,
        list: ["\r", { name: "\u202e" }],
      }),
    ).toEqual({ user: "a\\x1b", count: 2, ok: true, none: null, list: ["\\r", { name: "\\u202e" }] });
  });
});

describe("every output for people, with hostile names in the tenant", () => {
  let emulator: GraphEmulator;
  beforeAll(async () => {
    emulator = await GraphEmulator.start();
  });
  afterAll(() => emulator.stop());

  interface Tenant {
    /** Names of groups the live policy targets; each user is a member of one. */
    groups: string[];
    excluded: string;
    /** The hostile part of each user's user principal name. */
    users: string[];
  }
  const tenantArbitrary = fc.record({
    groups: fc.array(hostileText, { minLength: 1, maxLength: 3 }),
    excluded: hostileText,
    users: fc.array(hostileText, { minLength: 1, maxLength: 4 }),
  });

  /** A recognisable start, so each user's row can be found and counted: guests' names derive from addresses. */
  const upnOf = (index: number, hostile: string) => `user${index}-${hostile}@contoso.com`;

  /** The emulator seeded with the tenant, every user holding a pass no grant declares; the groups' ids, the users. */
  function seed(tenant: Tenant): { groupIds: string[]; excludedId: string; upns: string[] } {
    emulator.reset();
    seedSamplePolicy(emulator);
    const groupIds = tenant.groups.map((displayName) => {
      const group = emulator.addGroup({ displayName });
      emulator.policy.includeTargets.push({
        id: group.id,
        targetType: "group",
        isRegistrationRequired: false,
      });
      return group.id;
    });
    const excluded = emulator.addGroup({ displayName: tenant.excluded });
    emulator.policy.excludeTargets.push({ id: excluded.id, targetType: "group" });
    const upns = tenant.users.map((hostile, index) => {
      const user = emulator.addUser({ userPrincipalName: upnOf(index, hostile) });
      emulator.addMember(groupIds[index % groupIds.length], user.id);
      if (index === 0) emulator.addMember(excluded.id, user.id);
      emulator.addPass(user.id, { startDateTime: new Date().toISOString(), lifetimeInMinutes: 60 });
      return user.userPrincipalName;
    });
    return { groupIds, excludedId: excluded.id, upns };
  }

  async function review(args: string[], answer = false) {
    const out: string[] = [];
    const err: string[] = [];
    let shownBeforeQuestion: string | undefined;
    const code = await runReview(
      ["--stack", "sample", "--config-file", writeStackFile(sampleStackConfig([])), ...args],
      {
        stdout: (text) => out.push(text),
        stderr: (text) => err.push(text),
        stdinIsTTY: true,
        confirm: async () => {
          shownBeforeQuestion = out.join("");
          return answer;
        },
        env: emulator.env(),
        graphOptions: { retryDelayInMs: 1, maxRetries: 0 },
      },
    );
    return { code, stdout: out.join(""), stderr: err.join(""), shownBeforeQuestion };
  }

  async function exportStack() {
    const file = path.join(makeTempDir("entra-tap-export-"), "Pulumi.adopted.yaml");
    const out: string[] = [];
    const err: string[] = [];
    const code = await runExport(["--stack", "adopted", "--config-file", file], {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: emulator.env(),
      graphOptions: { retryDelayInMs: 1, maxRetries: 0 },
    });
    return { code, stdout: out.join(""), stderr: err.join(""), file };
  }

  /** No raw control or bidi character: only the line breaks the output itself puts between its lines. */
  const expectNoRawCharacters = (text: string) =>
    expect(rawCharacters(text.replaceAll("\n", ""))).toEqual([]);

  /** The table rows of a Markdown section: the lines from its heading's table. */
  function markdownRows(markdown: string, heading: string): string[] {
    const lines = markdown.split("\n");
    const start = lines.findIndex((line) => line.startsWith(`### ${heading}`));
    const rows: string[] = [];
    for (const line of lines.slice(start + 2)) {
      if (!line.startsWith("|")) break;
      rows.push(line);
    }
    return rows;
  }
  /** Cell separators of a Markdown row: `|` not escaped by a backslash. */
  const separators = (row: string) => row.replace(/\\./g, "").split("|").length - 1;

  /** Records of RFC 4180 CSV (csv-parse is not a dependency; csv-stringify writes, it does not read). */
  function csvRecords(text: string): string[][] {
    const records: string[][] = [];
    let record: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c !== '"') field += c;
        else if (text[i + 1] === '"') field += text[++i];
        else quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === ",") {
        record.push(field);
        field = "";
      } else if (c === "\n") {
        records.push([...record, field]);
        record = [];
        field = "";
      } else field += c;
    }
    return records;
  }

  it("keeps one row per item in each, and shows no raw control or bidi character", async () => {
    await fc.assert(
      fc.asyncProperty(tenantArbitrary, async (tenant) => {
        const { groupIds, excludedId, upns } = seed(tenant);
        const n = upns.length;
        const shownUpns = upns.map(neutralise);

        // The text table: one row per pass and per member no grant explains, each user once in each.
        const text = await review([]);
        expect(text.code).toBe(exitCodes.attention);
        expectNoRawCharacters(text.stdout);
        upns.forEach((_, index) => {
          expect(text.stdout.split("\n").filter((line) => line.startsWith(`│ user${index}-`))).toHaveLength(
            2,
          );
        });
        for (const upn of shownUpns) expect(text.stdout).toContain(upn);
        for (const name of tenant.groups) expect(text.stdout).toContain(neutralise(name));

        // Markdown: every table row intact (its cells, no forged row), and no other line starts a row.
        const markdown = await review(["--markdown"]);
        expectNoRawCharacters(markdown.stdout);
        const passRows = markdownRows(markdown.stdout, "Passes");
        const memberRows = markdownRows(markdown.stdout, "Members of targeted groups");
        expect(passRows).toHaveLength(2 + n);
        expect(memberRows).toHaveLength(2 + n);
        for (const row of passRows) expect(separators(row)).toBe(11);
        for (const row of memberRows) expect(separators(row)).toBe(3);
        expect(markdown.stdout.split("\n").filter((line) => line.startsWith("|"))).toHaveLength(4 + 2 * n);

        // CSV: parsed back, a record per row with every column, the names as neutralised.
        const csv = await review(["--csv"]);
        expectNoRawCharacters(csv.stdout);
        const records = csvRecords(csv.stdout);
        expect(records).toHaveLength(1 + 2 * n);
        for (const record of records) expect(record).toHaveLength(19);
        expect(
          records
            .filter((r) => r[0] === "pass")
            .map((r) => r[1])
            .sort(),
        ).toEqual([...shownUpns].sort());

        // The revocation: the list shown before [y/N], one line per pass, then what was done.
        const revocation = await review(["--revoke-undeclared"], true);
        const plan = revocation.shownBeforeQuestion!.split("Revocation: ")[1].split("\n");
        expect(plan[0]).toBe(`${n} ${n === 1 ? "pass" : "passes"}`);
        expect(plan.slice(1, 1 + n).every((line) => line.startsWith("  user"))).toBe(true);
        expect(plan.slice(1 + n)).toEqual([""]);
        expectNoRawCharacters(revocation.stdout);
        const done = revocation.stdout.split(`Revoked (${n}):\n`)[1].split("\n");
        expect(done.slice(0, n).every((line) => line.startsWith("  user"))).toBe(true);
        expect(done[n]).toBe("");

        // Export: the summary's lines, and a stack file whose comments hold the names and inject nothing.
        const exported = await exportStack();
        expect(exported.code).toBe(0);
        expectNoRawCharacters(exported.stdout);
        const summary = exported.stdout.split("\n");
        expect(summary[1]).toMatch(/^ {2}targets: /);
        expect(summary[2]).toMatch(/^ {2}excluded: /);
        expect(summary.at(-2)).toMatch(/^Next: /);
        // Wrote, targets, excluded, what the pack flags (and a line per finding), Next, and the final newline.
        expect(summary.filter((line) => !/^ {2}\[\w+\] [\w-]+: /.test(line))).toHaveLength(6);
        for (const name of tenant.groups) expect(summary[1]).toContain(neutralise(name));
        expect(summary[2]).toContain(neutralise(tenant.excluded));
        const file = fs.readFileSync(exported.file, "utf8");
        expectNoRawCharacters(file);
        expect(parseYaml(file)).toEqual({
          config: declaredConfig(tapPolicySettingsFromGraph(structuredClone(emulator.policy)), "global"),
        });
        const commentOn = (id: string) => {
          const start = `- id: ${id} #`;
          const line = file.split("\n").find((l) => l.trimStart().startsWith(start))!;
          return line.trimStart().slice(start.length).trim();
        };
        groupIds.forEach((id, index) => expect(commentOn(id)).toBe(neutralise(tenant.groups[index]).trim()));
        expect(commentOn(excludedId)).toBe(neutralise(tenant.excluded).trim());
      }),
      { numRuns: 20 },
    );
  });

  it("neutralises the tenant's names in error messages", async () => {
    const hostile = "Evil\r\u001b[2J\u202eGroup";
    const [groupId] = seed({ groups: [hostile], excluded: "x", users: [hostile] }).groupIds;
    emulator.injectFault({ path: new RegExp(`/groups/${groupId}/transitiveMembers`), status: 403 });
    const failed = await review([]);
    expect(failed.code).toBe(exitCodes.failed);
    expect(failed.stderr).toContain('Read the members of group "Evil\\r\\x1b[2J\\u202eGroup"');
    expect(failed.stderr.trimEnd().split("\n")).toHaveLength(1);
    expectNoRawCharacters(failed.stderr);

    seed({ groups: ["g"], excluded: "x", users: [hostile] });
    emulator.injectFault({ method: "DELETE", status: 500 });
    const halfDone = await review(["--revoke-undeclared"], true);
    expect(halfDone.code).toBe(exitCodes.failed);
    expect(halfDone.stdout).toContain(
      "Delete the Temporary Access Pass of user0-Evil\\r\\x1b[2J\\u202eGroup@contoso.com failed",
    );
    expectNoRawCharacters(halfDone.stdout);
  });
});
