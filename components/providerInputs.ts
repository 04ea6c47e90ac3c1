// What entra-tap's dynamic providers share around their inputs: the type module, the output seeds, and `check`, which
// validates the declared inputs with validation.ts's schemas and reports problems as the engine's check failures.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import * as validation from "./validation";

// Bound here, so the providers' serialized code holds these functions alone (see userTemporaryAccessPass.ts).
const { formatProblem, problemsFromZod } = validation;

/** The module of entra-tap's dynamic resource types: `pulumi-nodejs:dynamic/entra:<Name>`. */
export const dynamicTypeModule = "entra";

/**
 * A dynamic resource's props: its inputs, and every output seeded as undefined (Pulumi creates only the outputs that
 * are keys of the props).
 */
export function withOutputSeeds<T extends object>(
  outputKeys: readonly string[],
  args: T,
): Record<string, unknown> {
  return { ...Object.fromEntries(outputKeys.map((key) => [key, undefined])), ...args };
}

/**
 * The engine's marker for a value not known yet, copied here as a string: a reference to `pulumi.runtime` from code
 * the providers reach makes Pulumi serialize much of the SDK into every dynamic resource's `__provider`: 160 KB a
 * pass instead of 77 KB, in the program's memory and the stack's state (test/components/providerSerialization.test.ts).
 */
const unknownValue: string = pulumi.runtime.unknownValue;

/** Whether the engine sent a value not known yet (during preview) anywhere in `value`. */
function containsUnknown(value: unknown): boolean {
  if (value === unknownValue) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * A dynamic provider's `check`: validates the declared inputs (the engine's `__provider` and output seeds are not
 * declarations) and reports problems as check failures. An input not known until apply is checked then.
 */
export function checkInputs<S extends z.ZodObject>(
  schema: S,
  news: Record<string, unknown>,
  prefix: string,
): { inputs?: z.output<S>; failures?: { property: string; reason: string }[] } {
  const declared = Object.fromEntries(Object.entries(news).filter(([key]) => key in schema.shape));
  // Most schemas are built for the call and parsed once: compiling zod's fast path for them would cost more than it
  // saves (a third of the offline plan's provider checks at 5,000 grants, when the pass's schema was built per check).
  const result = schema.safeParse(declared, { reportInput: true, jitless: true });
  if (result.success) return { inputs: result.data };
  const failures = problemsFromZod(result.error)
    .filter((problem) => !containsUnknown(problem.value))
    .map((problem) => ({ property: String(problem.path[0] ?? ""), reason: formatProblem(prefix, problem) }));
  return failures.length > 0 ? { failures } : { inputs: declared as z.output<S> };
}
