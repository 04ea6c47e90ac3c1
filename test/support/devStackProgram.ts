// index.ts with the dev stack's config under the mock runtime, as a test sees it: what it declares and exports. Each
// test file that uses it runs in its own module registry (jest), so the program is evaluated once per file.
import * as path from "node:path";
import type { DeclaredResource } from "../../scripts/declaredResources";

const projectDir = path.resolve(__dirname, "../..");

/** The object id the mock gives a group entra-tap creates: its resource name, suffixed. */
export const mockGroupId = (name: string) => `${name}-object-id`;

/**
 * Evaluates index.ts for the dev stack at 2027-11-26T22:00Z (before its grants end). Groups get `mockGroupId`, users
 * `id-of-<upn>`, and a privileged group's members `privilegedMembers`. `edit` may change the stack's config (values as
 * the CLI gives them: JSON text) before the program reads it.
 */
export async function evaluateDevStack(
  privilegedMembers: string[] = [],
  edit: (config: Record<string, string>) => void = () => {},
): Promise<{ declared: DeclaredResource[]; program: Record<string, unknown> }> {
  jest.spyOn(Date, "now").mockReturnValue(Date.parse("2027-11-26T22:00:00Z"));
  const pulumi = await import("@pulumi/pulumi");
  const { readStackFile } = await import("../../scripts/stackFile");
  const { mockRuntime } = await import("./mockRuntime");
  const stack = readStackFile(path.join(projectDir, "Pulumi.dev.yaml"), "entra-tap");
  const config = { ...stack.config };
  edit(config);
  pulumi.runtime.setAllConfig(config, stack.secretKeys);
  const declared = await mockRuntime({
    stack: "dev",
    outputsOf: (resource) =>
      resource.type === "azuread:index/group:Group" ? { objectId: mockGroupId(resource.name) } : {},
    invokeResults: (token, inputs) => {
      if (token === "azuread:index/getUser:getUser")
        return { ...inputs, objectId: `id-of-${inputs.userPrincipalName}` };
      if (token === "azuread:index/getGroup:getGroup") return { ...inputs, members: privilegedMembers };
      return undefined;
    },
  });
  const program = (await import("../../index")) as Record<string, unknown>;
  await new Promise<void>((resolve) =>
    (program.tapPolicyState as import("@pulumi/pulumi").Output<string>).apply(() => resolve()),
  );
  await pulumi.runtime.disconnect();
  return { declared, program };
}
