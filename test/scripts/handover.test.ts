// `npm run handover`: the sealed passcode opened with the recipient's identity and shown on a terminal only; every
// refusal clear, and the passcode nowhere but the recipient's standard output.
import * as fs from "node:fs";
import * as path from "node:path";
import { passcodeSealer } from "../../components/handover";
import { exitStatusSentence } from "../../scripts/cli";
import { defaultIdentityFile, handoverExitCodes, type HandoverIo, runHandover } from "../../scripts/handover";
import { type TestRecipient, testRecipient } from "../support/handoverIdentities";
import { makeTempDir } from "../support/tempDirs";

const passcode = "Xy7#Kp2!qR9w";
const grant = "contractor-jane-doe";

let tom: TestRecipient;
let mallory: TestRecipient;
let dir: string;
let tomIdentityFile: string;
let malloryIdentityFile: string;
let outputsFile: string;
let grantPasses: Record<string, Record<string, unknown>>;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  [tom, mallory] = await Promise.all([testRecipient("tom.becker@contoso.com"), testRecipient("mallory")]);
  dir = makeTempDir("entra-tap-handover-");
  tomIdentityFile = write("tom.txt", `# created: 2026-12-03\n# public key: ${tom.key}\n${tom.identity}\n`);
  malloryIdentityFile = write("mallory.txt", `${mallory.identity}\n`);
  grantPasses = {
    [grant]: {
      ended: false,
      status: "issued",
      user: "jane.doe@contoso.com",
      isUsableOnce: true,
      startDateTime: "2026-11-30T08:00:00.000Z",
      endDateTime: "2026-11-30T12:00:00.000Z",
      sealedTo: [tom.name],
      sealedPasscode: await passcodeSealer([tom])(passcode),
    },
    "support-ahmed-khan": {
      ended: true,
      status: "ended",
      user: "ahmed.khan@contoso.com",
      isUsableOnce: true,
      sealedTo: [tom.name],
      sealedPasscode: null,
    },
  };
  // As `pulumi stack output --json` writes every output.
  outputsFile = write("outputs.json", JSON.stringify({ tapPolicyState: "enabled", grantPasses }));
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The stacks whose outputs the Pulumi CLI was asked for. */
  asked: string[];
}

async function handover(
  args: string[],
  io: Partial<Omit<HandoverIo, "stdout" | "stderr">> = {},
): Promise<Run> {
  const run: Run = { code: -1, stdout: "", stderr: "", asked: [] };
  run.code = await runHandover(args, {
    stdout: (text) => (run.stdout += text),
    stderr: (text) => (run.stderr += text),
    env: {},
    stdoutIsTTY: true,
    stackOutput: async (stack) => {
      run.asked.push(stack);
      return JSON.stringify(grantPasses);
    },
    ...io,
  });
  return run;
}

const grantArgs = ["--stack", "dev", "--grant", grant];

describe("npm run handover", () => {
  it("shows the passcode with the pass's user, start, end and one-time use, read from the stack", async () => {
    const run = await handover([...grantArgs, "--identity", tomIdentityFile]);
    expect(run).toMatchObject({ code: handoverExitCodes.ok, stderr: "", asked: ["dev"] });
    expect(run.stdout).toContain(`passcode:  ${passcode}`);
    expect(run.stdout).toContain("user:      jane.doe@contoso.com");
    expect(run.stdout).toContain("starts:    2026-11-30T08:00:00.000Z");
    expect(run.stdout).toContain("ends:      2026-11-30T12:00:00.000Z");
    expect(run.stdout).toContain("one-time:  yes");
    expect(run.stdout).toContain(`sealed to: ${tom.name}`);
  });

  it("reads a file of the stack's outputs instead of asking the Pulumi CLI", async () => {
    const run = await handover([...grantArgs, "--identity", tomIdentityFile, "--outputs", outputsFile]);
    expect(run).toMatchObject({ code: handoverExitCodes.ok, asked: [] });
    expect(run.stdout).toContain(passcode);
  });

  it("takes the identity from SOPS's key file when --identity is left out", async () => {
    const run = await handover(grantArgs, { env: { SOPS_AGE_KEY_FILE: tomIdentityFile } });
    expect(run.code).toBe(handoverExitCodes.ok);
    expect(defaultIdentityFile({ HOME: "/home/tom" })).toBe("/home/tom/.config/sops/age/keys.txt");
    expect(defaultIdentityFile({ XDG_CONFIG_HOME: "/cfg", HOME: "/home/tom" })).toBe(
      "/cfg/sops/age/keys.txt",
    );
  });

  it("refuses to print to anything but a terminal, before opening anything, unless --to-pipe", async () => {
    const refused = await handover([...grantArgs, "--identity", tomIdentityFile], { stdoutIsTTY: false });
    expect(refused).toMatchObject({ code: handoverExitCodes.usage, stdout: "", asked: [] });
    expect(refused.stderr).toMatch(/^standard output is not a terminal: .* add --to-pipe/);
    const piped = await handover([...grantArgs, "--identity", tomIdentityFile, "--to-pipe"], {
      stdoutIsTTY: false,
    });
    expect(piped.code).toBe(handoverExitCodes.ok);
    expect(piped.stdout).toContain(passcode);
  });

  it("fails clearly with another person's identity, naming whom the pass is sealed to, and shows no passcode", async () => {
    const run = await handover([...grantArgs, "--identity", malloryIdentityFile]);
    expect(run.code).toBe(handoverExitCodes.failed);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `the pass was not sealed to this identity: none of its keys opens it (the pass of grant ${grant} is sealed to ${tom.name})\n`,
    );
    expect(run.stderr).not.toContain(mallory.identity);
  });

  it("refuses an unknown grant, naming the stack's grants", async () => {
    const run = await handover(["--stack", "dev", "--grant", "nobody", "--identity", tomIdentityFile]);
    expect(run.code).toBe(handoverExitCodes.usage);
    expect(run.stderr).toBe(
      `--grant "nobody": stack dev has no pass of that grant ("${grant}", "support-ahmed-khan")\n`,
    );
  });

  it("says a pass that ended holds nothing to hand over", async () => {
    const run = await handover([
      "--stack",
      "dev",
      "--grant",
      "support-ahmed-khan",
      "--identity",
      tomIdentityFile,
    ]);
    expect(run.code).toBe(handoverExitCodes.failed);
    expect(run.stderr).toMatch(
      /^the pass of grant support-ahmed-khan holds no sealed passcode \(status ended\)/,
    );
  });

  it("refuses an identity file that is missing or holds no identity, naming the flag", async () => {
    const missing = await handover([...grantArgs, "--identity", path.join(dir, "nope.txt")]);
    expect(missing.code).toBe(handoverExitCodes.usage);
    expect(missing.stderr).toBe(`--identity ${path.join(dir, "nope.txt")}: cannot be read (no such file)\n`);
    const empty = await handover([...grantArgs, "--identity", write("empty.txt", "# only a comment\n")]);
    expect(empty.code).toBe(handoverExitCodes.usage);
    expect(empty.stderr).toMatch(/holds no age identity/);
  });

  it("fails when the stack's outputs cannot be read, with the CLI's own message", async () => {
    const run = await handover([...grantArgs, "--identity", tomIdentityFile], {
      stackOutput: () => Promise.reject(new Error("error: no stack named 'dev' found")),
    });
    expect(run.code).toBe(handoverExitCodes.failed);
    expect(run.stderr).toBe("the outputs of stack dev cannot be read: error: no stack named 'dev' found\n");
  });

  it("shows names from the stack neutralised: a control character cannot forge a line", async () => {
    const forged = {
      ...grantPasses[grant],
      user: "jane\u001b[2J\u202e@contoso.com",
      sealedTo: ["tom\nuser: x"],
    };
    const run = await handover([...grantArgs, "--identity", tomIdentityFile], {
      stackOutput: async () => JSON.stringify({ [grant]: forged }),
    });
    expect(run.code).toBe(handoverExitCodes.ok);
    expect(run.stdout).toContain(String.raw`user:      jane\x1b[2J\u202e@contoso.com`);
    expect(run.stdout).toContain(String.raw`sealed to: tom\nuser: x`);
  });

  it("documents its flags, the plain age command and its exit statuses in --help", async () => {
    const run = await handover(["--help"]);
    expect(run.code).toBe(handoverExitCodes.ok);
    for (const flag of ["--stack", "--grant", "--identity", "--outputs", "--to-pipe"])
      expect(run.stdout).toContain(flag);
    expect(run.stdout).not.toContain("--config-file");
    expect(run.stdout).toContain("age -d -i <identity file>");
    expect(run.stdout.replace(/\s+/g, " ")).toContain(exitStatusSentence("handover"));
  });
});
