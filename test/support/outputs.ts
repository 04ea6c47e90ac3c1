// Waiting for outputs under the mock runtime.

/** The value an output settles on (under mocks with preview off, every output settles). */
export function settled<T>(output: { apply<U>(f: (v: T) => U): unknown }): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}
