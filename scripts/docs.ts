// Writes the parts of docs/ that are generated from the code's own metadata, between marker comments:
//   npm run docs            rewrite them
//   npm run docs -- --check exit 1, naming the files, when the committed docs differ (a test runs this)
import * as fs from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { detections } from "../components/detections";
import { excerptLength, formatProblem } from "../components/validation";
import { configNamespace } from "../config";
import { isSecretMonitoringPath } from "../config/monitoring";
import { forbiddenKeys, maxDepth, maxStringLength, readRawConfig } from "../config/rawConfig";
import { policies } from "../policies/policies";

const docsDir = path.resolve(__dirname, "..", "docs");
const severityNames = ["0 critical", "1 error", "2 warning", "3 informational", "4 verbose"];

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The detections table of docs/monitoring.md. */
export function detectionsTable(): string {
  const rows = detections.map(
    (d) =>
      `| \`${d.key}\` | ${d.version} | ${cell(d.displayName)} | ${cell(d.description)} | ${cell(d.blindSpots)} | ${d.tables.join(", ")} | ${severityNames[d.severity]} | every ${d.evaluationFrequency} over ${d.windowSize} | ${d.techniques.join(", ")} |`,
  );
  return [
    "| key | version | detection | what it catches | what it cannot see | reads | default severity | default schedule | MITRE ATT&CK |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** A policy's config fields with their defaults, e.g. `maximumLifetimeInMinutes` = 480. */
function configCell(configSchema: (typeof policies)[number]["configSchema"]): string {
  const properties = Object.entries(configSchema?.properties ?? {});
  if (properties.length === 0) return "none";
  return properties
    .map(([key, schema]) => `\`${key}\` = \`${JSON.stringify((schema as { default?: unknown }).default)}\``)
    .join("<br>");
}

/** The policies table of docs/policies.md. */
export function policiesTable(): string {
  const rows = policies.map(
    (p) =>
      `| \`${p.name}\` | ${cell(p.description)} | ${p.enforcementLevel} | ${p.severity} | ${configCell(p.configSchema)} | ${cell(p.remediationSteps)} |`,
  );
  return [
    "| policy | what it checks, and why | default level | severity | config (defaults) | remediation |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** The message the stack prints for `raw`'s one problem as read (before any schema). */
function exampleMessage(raw: Record<string, string>): string {
  const [problem] = readRawConfig(raw, configNamespace).problems;
  return formatProblem(`${configNamespace}:`, problem, isSecretMonitoringPath);
}

/** The limits on every value, for docs/configuration.md: config/rawConfig.ts's, with its own messages. */
export function limitsList(): string {
  const reason = `Contractor onboarding for the data platform migration. ${"The plan follows. ".repeat(400)}`;
  const keys = forbiddenKeys.map((key) => `\`${key}\``);
  return [
    `- **Text**: every text is at most ${maxStringLength.toLocaleString("en-US")} characters (a reason, a ticket, a description).`,
    `  A longer one is shown by its first ${excerptLength} characters and its length, or as \`[secret]\` under a secret`,
    "  key (a webhook URL) or when it looks like a secret.",
    `- **Nesting**: objects and lists are nested at most ${maxDepth} levels deep (a grant's Azure role, the deepest`,
    "  entra-tap value, is nested 4 levels deep). A deeper value is described, not shown.",
    `- **Keys**: ${keys.slice(0, -1).join(", ")} and ${keys.at(-1)} are never keys, at any level: JavaScript objects`,
    "  reserve them.",
    "",
    "A value past a limit is not judged further: it has one message. Values in messages are JSON, with control",
    "characters escaped (`\\u001b`), so a value cannot write to the terminal.",
    "",
    "```",
    exampleMessage({ "entra-tap:grants": JSON.stringify([{ reason }]) }),
    exampleMessage({ "entra-tap:audience": `{"targets":${"[".repeat(maxDepth)}${"]".repeat(maxDepth)}}` }),
    exampleMessage({ "entra-tap:audience": '{"exclusions":{"__proto__":{}}}' }),
    "```",
  ].join("\n");
}

/** Generated sections by file and marker name. */
export const generatedSections: { file: string; marker: string; render: () => string }[] = [
  { file: "configuration.md", marker: "limits", render: limitsList },
  { file: "monitoring.md", marker: "detections", render: detectionsTable },
  { file: "policies.md", marker: "policies", render: policiesTable },
];

/** The file with its generated section brought up to date, formatted as Prettier formats the rest of the docs. */
export async function regenerated(file: string, marker: string, content: string): Promise<string> {
  const text = fs.readFileSync(file, "utf8");
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(withSection(text, marker, content), { ...options, filepath: file });
}

/** `text` with the section between `<!-- marker:start -->` and `<!-- marker:end -->` replaced. */
export function withSection(text: string, marker: string, content: string): string {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) throw new Error(`markers ${start} / ${end} not found`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

export function docsPath(file: string): string {
  return path.join(docsDir, file);
}

if (require.main === module) {
  const check = process.argv.includes("--check");
  void (async () => {
    let stale = 0;
    for (const section of generatedSections) {
      const file = docsPath(section.file);
      const expected = await regenerated(file, section.marker, section.render());
      if (expected === fs.readFileSync(file, "utf8")) continue;
      if (check) {
        stale += 1;
        console.error(`docs/${section.file} (${section.marker}) is out of date: run npm run docs`);
      } else {
        fs.writeFileSync(file, expected);
        console.log(`wrote docs/${section.file} (${section.marker})`);
      }
    }
    process.exit(stale > 0 ? 1 : 0);
  })();
}
