import * as fs from "node:fs";
import { recordDeclaredResources } from "../scripts/declaredResources";
async function main() {
  const declared = await recordDeclaredResources({ project: "entra-tap", stack: "t", preview: false });
  const { TemporaryAccessPassPolicy } = await import("../components/temporaryAccessPassPolicy");
  const p = new TemporaryAccessPassPolicy("tap-policy", { includeTargets: [{ id: "all_users" }] });
  await new Promise<void>((r) => p.state.apply(() => r()));
  fs.writeFileSync("/tmp/provider.js", declared.find((r) => r.type.includes("dynamic"))!.inputs.__provider as string);
}
main();
