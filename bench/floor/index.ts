// The floor the offline plan is measured against: a bare program that registers the same resources under the same
// mock runtime, with @pulumi/pulumi alone (no entra-tap code). Per grant, a TemporaryAccessGrant component, its group
// membership and its pass (a custom resource of the same type token, with inputs of the same shape); plus the stack's fixed resources (policy, audience, monitoring), read from a manifest that lists
// them as the plan of a stack without grants declares them (type, name, parent, inputs).
//
// With --unmapped-stacks it leaves the stack traces the SDK takes unmapped to the TypeScript source, as the plan does
// (scripts/plan.ts): the floor of the plan's own work, rather than of a bare program under tsx's defaults.
//
//   npx tsx bench/floor/index.ts --grants <n> --fixed <manifest.json> [--unmapped-stacks]
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { generatedGrants } from "../stackOf";

export interface FixedResource {
  type: string;
  name: string;
  parent: string | null;
  inputs: Record<string, unknown>;
}

/** The program's own components (`entra-tap:index:*`); `entra-tap:graph:*` are the provider plugin's resources. */
const componentPrefix = "entra-tap:index:";

// The SDK's resource classes are abstract: a program (or a provider's SDK) declares its own, as these do.
class Component extends pulumi.ComponentResource {
  done(): void {
    this.registerOutputs({});
  }
}
class Custom extends pulumi.CustomResource {}

/** A resource of `type`: a component for the program's own types, a custom resource otherwise. */
function register(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource {
  if (type.startsWith(componentPrefix)) return new Component(type, name, {}, opts);
  return new Custom(type, name, inputs, opts);
}

function declareFixed(fixed: readonly FixedResource[]): Map<string, pulumi.Resource> {
  const declared = new Map<string, pulumi.Resource>();
  // Parents are the program's components; a child may share its parent's name (the policy's Graph resource does).
  const byName = new Map(fixed.filter((r) => r.type.startsWith(componentPrefix)).map((r) => [r.name, r]));
  const declare = (resource: FixedResource): pulumi.Resource => {
    const known = declared.get(`${resource.type}::${resource.name}`);
    if (known) return known;
    const parentSpec = resource.parent === null ? undefined : byName.get(resource.parent);
    const parent = parentSpec && declare(parentSpec);
    const created = register(resource.type, resource.name, resource.inputs, { parent });
    declared.set(`${resource.type}::${resource.name}`, created);
    return created;
  };
  for (const resource of fixed) declare(resource);
  return declared;
}

/** An age public key's length and shape (the floor checks nothing: only its size in the inputs matters). */
const floorRecipientKey = `age1${"q".repeat(58)}`;

function declareGrants(count: number): void {
  for (const grant of generatedGrants(count)) {
    const name = String(grant.name);
    const component = new Component("entra-tap:index:TemporaryAccessGrant", name, {}, {});
    const membership = new Custom(
      "azuread:index/groupMember:GroupMember",
      `${name}-membership`,
      {
        groupObjectId: `(object id of group ${String(grant.group)})`,
        memberObjectId: `(object id of ${String(grant.user)})`,
      },
      { parent: component },
    );
    new Custom(
      "entra-tap:graph:UserTemporaryAccessPass",
      `${name}-tap`,
      {
        methodId: undefined,
        temporaryAccessPass: undefined,
        sealedPasscode: undefined,
        sealedTo: undefined,
        createdDateTime: undefined,
        passStartDateTime: undefined,
        passEndDateTime: undefined,
        isUsable: undefined,
        methodUsabilityReason: undefined,
        status: undefined,
        cloud: "global",
        user: grant.user,
        startDateTime: grant.start,
        lifetimeInMinutes: grant.lifetimeInMinutes,
        isUsableOnce: true,
        grantExpiry: grant.expiry,
        grantEnded: false,
        reissue: 0,
        revokeSessionsOnDelete: true,
        justification: {
          reason: grant.reason,
          ticket: grant.ticket,
          requestedBy: grant.requestedBy,
          approvedBy: grant.approvedBy,
        },
        sealTo: [{ name: grant.approvedBy, key: floorRecipientKey }],
        keepPasscodeInState: false,
      },
      {
        parent: component,
        dependsOn: [membership],
        version: "0.1.0",
        additionalSecretOutputs: ["temporaryAccessPass"],
      },
    );
    component.done();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      grants: { type: "string" },
      fixed: { type: "string" },
      "unmapped-stacks": { type: "boolean", default: false },
    },
  });
  if (values["unmapped-stacks"]) process.setSourceMapsEnabled(false);
  const grants = Number(values.grants ?? "0");
  const fixed = values.fixed ? (JSON.parse(fs.readFileSync(values.fixed, "utf8")) as FixedResource[]) : [];
  let registered = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered += 1;
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "entra-tap",
    "floor",
    true,
  );
  await pulumi.runtime.runInPulumiStack(async () => {
    declareFixed(fixed);
    declareGrants(grants);
  });
  await pulumi.runtime.disconnect();
  console.log(`${registered} resources registered`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
