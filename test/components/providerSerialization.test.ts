// What Pulumi serializes of each dynamic provider into every resource's `__provider` (the program's memory, the
// stack's state): entra-tap's own code, not the Pulumi SDK's runtime. A reference to `pulumi.runtime` from code the
// providers reach once made that 160 KB a pass instead of 77 KB.
import * as pulumi from "@pulumi/pulumi";
import { pimGroupMembershipProvider } from "../../components/pimGroupMembership";
import { temporaryAccessPassPolicyProvider } from "../../components/temporaryAccessPassPolicyProvider";
import { userTemporaryAccessPassProvider } from "../../components/userTemporaryAccessPass";

/** The text `pulumi.dynamic.Resource` stores in `__provider`, serialized the way it does it. */
async function serialized(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

describe.each([
  ["a user's pass", userTemporaryAccessPassProvider],
  ["the TAP policy", temporaryAccessPassPolicyProvider],
  ["a PIM for Groups membership", pimGroupMembershipProvider],
])("the serialized provider of %s", (_what, provider) => {
  it("holds entra-tap's code and requires its libraries, without inlining the Pulumi SDK", async () => {
    const text = await serialized(provider);
    expect(text).toMatch(/exports\.handler = /);
    expect(text).toContain('require("zod")');
    // Pieces of @pulumi/pulumi that came along with `pulumi.runtime`: its Config class and URN helpers.
    expect(text).not.toMatch(/requireSecretObject|getSecretBoolean|createUrn|collapseAliasToUrn/);
    expect(text).not.toContain("@pulumi/pulumi");
  });
});
