// The provider's Pulumi package schema: its resources, their inputs (from the zod schemas their `check` uses, so the
// two cannot drift), their outputs and which are secret. `pulumi package get-schema ./provider` prints it; `pulumi
// import` reads it to write code for an imported resource.
import { z } from "zod";
import type { ResourceLifecycle, ResourceOutput } from "../components/providerInputs";
import { providerPackage, providerVersion } from "../components/providerInputs";

/** A property as Pulumi's schema types it. */
interface PropertySpec {
  type?: string;
  items?: PropertySpec;
  $ref?: string;
  description?: string;
  secret?: boolean;
}

type JsonSchema = {
  type?: string | string[];
  items?: JsonSchema;
  enum?: unknown[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/** A JSON Schema node as a Pulumi property: scalars and lists as they are, anything else as Pulumi's Any. */
function propertyOf(node: JsonSchema): PropertySpec {
  const description = node.description === undefined ? {} : { description: node.description };
  if (node.enum) return { type: "string", ...description };
  if (node.type === "array" && node.items)
    return { type: "array", items: propertyOf(node.items), ...description };
  if (typeof node.type === "string" && ["string", "integer", "number", "boolean"].includes(node.type)) {
    return { type: node.type, ...description };
  }
  return { $ref: "pulumi.json#/Any", ...description };
}

function outputProperty(output: ResourceOutput): PropertySpec {
  const type = output.type === "object" ? { $ref: "pulumi.json#/Any" } : { type: output.type };
  return { ...type, description: output.description, ...(output.secret ? { secret: true } : {}) };
}

/** One resource's schema: its inputs (required unless they have a default), and its outputs. */
function resourceSchema(lifecycle: ResourceLifecycle) {
  const inputs = z.toJSONSchema(lifecycle.inputSchema(), {
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  const inputProperties = Object.fromEntries(
    Object.entries(inputs.properties ?? {}).map(([key, node]) => [key, propertyOf(node)]),
  );
  const outputs = Object.fromEntries(
    Object.entries(lifecycle.outputs).map(([key, output]) => [key, outputProperty(output)]),
  );
  return {
    inputProperties,
    requiredInputs: inputs.required ?? [],
    properties: { ...inputProperties, ...outputs },
    required: [...Object.keys(inputProperties), ...Object.keys(outputs)],
  };
}

/** The package schema of the resources `lifecycles` holds by type token. */
export function providerSchema(lifecycles: Readonly<Record<string, ResourceLifecycle>>) {
  return {
    name: providerPackage,
    version: providerVersion,
    description: "entra-tap's Graph objects: the TAP policy, a user's pass, a PIM for Groups membership",
    resources: Object.fromEntries(
      Object.entries(lifecycles).map(([type, lifecycle]) => [type, resourceSchema(lifecycle)]),
    ),
  };
}
