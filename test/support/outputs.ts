// Waiting for outputs under the mock runtime.
import type * as pulumi from "@pulumi/pulumi";
import { type DeclaredResource, recordDeclaredResources } from "../../scripts/declaredResources";

/** The value an output settles on (under mocks with preview off, every output settles). */
export function settled<T>(output: { apply<U>(f: (v: T) => U): unknown }): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/**
 * The inputs the engine receives for the resource of `type` that `declare` creates under the mock runtime, the
 * serialized provider (`__provider`) included. `declare` returns an output of that resource, to wait for.
 */
export async function declaredInputsOf(type: string, declare: () => Promise<pulumi.Output<unknown>>) {
  const declared: DeclaredResource[] = await recordDeclaredResources({
    project: "entra-tap",
    stack: "test",
    preview: false,
  });
  await settled(await declare());
  return declared.find((r) => r.type === type)!.inputs;
}
