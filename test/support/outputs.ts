// Waiting for outputs under the mock runtime.
import type * as pulumi from "@pulumi/pulumi";
import { mockRuntime } from "./mockRuntime";

/** The value an output settles on (under mocks with preview off, every output settles). */
export function settled<T>(output: { apply<U>(f: (v: T) => U): unknown }): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/**
 * The inputs the engine receives for the resource of `type` that `declare` creates under the mock runtime, the
 * serialized provider (`__provider`) included. `declare` returns an output of that resource, to wait for.
 */
export async function declaredInputsOf(type: string, declare: () => Promise<pulumi.Output<unknown>>) {
  const declared = await mockRuntime();
  await settled(await declare());
  return declared.find((r) => r.type === type)!.inputs;
}
