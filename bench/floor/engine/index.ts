// The floor's program: as many custom resources as the engine suite's program declares for the same grants (the
// policy, and per grant a component and its pass), with inputs of the same shape, served by a provider that does
// nothing (./provider).
import * as pulumi from "@pulumi/pulumi";

class FloorResource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(`floor:index:${type}`, name, { ...props, status: undefined }, { ...opts, version: "0.1.0" });
  }
}

/** An age public key's length and shape (the floor checks nothing: only its size in the inputs matters). */
const floorRecipientKey = `age1${"q".repeat(58)}`;

// The project's own namespace, as the engine suite's program reads its own.
const config = new pulumi.Config();
const policy = new FloorResource("Policy", "tap-policy", {
  ...config.requireObject<Record<string, unknown>>("policy"),
  includeTargets: config.requireObject("includeTargets"),
  excludeTargets: config.requireObject("excludeTargets"),
});
class Grant extends pulumi.ComponentResource {
  constructor(grant: Record<string, unknown>) {
    super("entra-tap:index:TemporaryAccessGrant", String(grant.name), {}, {});
    const pass = new FloorResource(
      "Pass",
      `${grant.name}-tap`,
      // The pass's inputs as entra-tap's carry them: the grant, and the recipient its passcode is sealed to.
      { ...grant, grantEnded: false, sealTo: [{ name: "approver@contoso.example", key: floorRecipientKey }] },
      { parent: this, dependsOn: [policy] },
    );
    this.registerOutputs({ status: pass.urn });
  }
}

for (const grant of config.getObject<Record<string, unknown>[]>("grants") ?? []) new Grant(grant);
