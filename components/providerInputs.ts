// What the lifecycles of entra-tap's provider plugin (provider/) share: their type tokens, their shape, and `check`,
// which validates the declared inputs with validation.ts's schemas and reports problems as the engine's check
// failures. Nothing here loads `@pulumi/pulumi` itself: the plugin starts for every command, and the SDK's full
// module tree would be most of its start-up (the provider SDK loads the part it needs).
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type {
  CheckResult,
  CreateResult,
  DiffResult,
  ReadResult,
  UpdateResult,
} from "@pulumi/pulumi/provider";
import type { z } from "zod";
import { version } from "../package.json";
import { type GraphCloud, graphCloudNames } from "./graph/clouds";
import { formatProblem, objectId, oneOf, problemsFromZod } from "./validation";

/** The package of entra-tap's provider plugin: the engine starts `provider/` for its resources (Pulumi.yaml). */
export const providerPackage = "entra-tap";

/**
 * The provider's version, the project's (package.json). Every resource asks for it (`providerOptions`), so the engine
 * records it with the provider in the state (`pulumi:providers:entra-tap::default_<version>`).
 */
export const providerVersion: string = version;

/** The type token of one of the plugin's resources, a Graph object: `entra-tap:graph:<Name>`. */
export function graphResourceType<const Name extends string>(name: Name): `entra-tap:graph:${Name}` {
  return `entra-tap:graph:${name}`;
}

/** The type token of one of entra-tap's components (the programs' own module): `entra-tap:index:<Name>`. */
export function componentType<const Name extends string>(name: Name): `entra-tap:index:${Name}` {
  return `entra-tap:index:${name}`;
}

/**
 * The grant's component: the workflows and the review pick a grant's resources by it (`grantsUrnGlob`), and programs
 * that declare grants their own way (the engine suite's) use it without loading the component's providers.
 */
export const temporaryAccessGrantType = componentType("TemporaryAccessGrant");

/** An output of a resource, as the plugin's schema describes it. */
export interface ResourceOutput {
  type: "string" | "integer" | "boolean" | "object";
  description: string;
  /** Kept encrypted in the state and masked in output (the passcode). */
  secret?: true;
}

/**
 * One resource's lifecycle, as the provider plugin runs it: Pulumi's provider calls, less the URN (the plugin picks
 * the lifecycle by the URN's type). Tests call it directly, as the engine does through the plugin.
 */
export interface ResourceLifecycle {
  /** The inputs `check` accepts, for the plugin's schema. */
  inputSchema(): z.ZodType;
  /** The outputs beyond the inputs, for the plugin's schema; the resource seeds them (withOutputSeeds). */
  outputs: Readonly<Record<string, ResourceOutput>>;
  // The engine's property bags: each lifecycle reads them as its own inputs and outputs.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  check(olds: any, news: any): Promise<CheckResult>;
  diff(id: string, olds: any, news: any): Promise<DiffResult>;
  create(inputs: any): Promise<CreateResult>;
  read(id: string, props: any): Promise<ReadResult>;
  update(id: string, olds: any, news: any): Promise<UpdateResult>;
  delete(id: string, props: any): Promise<void>;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/** Whether the engine sent a value not known yet (during preview: its `unknownValue`) anywhere in `value`. */
function containsUnknown(value: unknown): boolean {
  if (value === unknownValue) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * A resource's `check`: validates the declared inputs (the output seeds are not
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

/**
 * Where a Graph resource's calls go, as every resource of the provider declares it: the stack's cloud, and its tenant
 * when the stack names one (entra-tap:tenantId), to which every token is bound (components/graph/tenantBinding.ts).
 */
export function graphScopeShape() {
  return {
    cloud: oneOf(graphCloudNames as [GraphCloud, ...GraphCloud[]]).default("global"),
    tenantId: objectId("the tenant's id (a GUID)").optional(),
  };
}

/**
 * A resource stays in the tenant it was made in: a stack may name its tenant for the first time (the resource's state
 * records it, nothing in Graph changes), never another one, nor drop it.
 */
export function tenantMoveFailures(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): { property: string; reason: string }[] {
  const from = olds.tenantId;
  if (typeof from !== "string" || from === news.tenantId) return [];
  return [
    {
      property: "tenantId",
      reason:
        `tenantId: ${JSON.stringify(news.tenantId ?? null)} is not allowed; expected ${JSON.stringify(from)}, the tenant ` +
        "the resource was made in (a stack cannot move to another tenant: make a new stack for it)",
    },
  ];
}
