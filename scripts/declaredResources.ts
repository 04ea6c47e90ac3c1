// Records what a program declares under Pulumi's mock runtime: type, name, parent and inputs of each resource.
// Shared by the offline plan and the tests of components.
import * as pulumi from "@pulumi/pulumi";
import { maskSecretShapedText } from "../components/validation";

export const maskedSecret = "[secret]";
/** A value known only after apply (an id created in the same program), as `pulumi preview` shows it. */
export const unknownDisplay = "[unknown]";

export interface DeclaredResource {
  type: string;
  name: string;
  /** The parent resource's name; null for a resource at the stack's root. */
  parent: string | null;
  /** Inputs as the engine would receive them: secrets still wrapped. */
  inputs: Record<string, unknown>;
  /** Names of the resources it explicitly depends on (`dependsOn`). */
  dependsOn: string[];
  /** Outputs the engine is asked to keep secret. */
  additionalSecretOutputs: string[];
}

export interface MockRuntimeOptions {
  project: string;
  stack: string;
  /** Preview leaves outputs the mock does not give unknown, as `pulumi preview` does. */
  preview: boolean;
  /** Outputs beyond the inputs that the mock gives a resource (e.g. an `objectId`). */
  outputsOf?: (resource: DeclaredResource) => Record<string, unknown>;
  /** Results of invokes (data sources) by token, e.g. `azuread:index/getUser:getUser`; by default the inputs. */
  invokeResults?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
}

/** Installs the mock runtime; the returned list fills as the program declares resources. */
export async function recordDeclaredResources(options: MockRuntimeOptions): Promise<DeclaredResource[]> {
  const resources: DeclaredResource[] = [];
  const registrations = new Map<
    string,
    Pick<DeclaredResource, "parent" | "dependsOn" | "additionalSecretOutputs">
  >();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const registration = registrations.get(`${args.type}::${args.name}`);
        const resource: DeclaredResource = {
          type: args.type,
          name: args.name,
          parent: registration?.parent ?? null,
          inputs: args.inputs,
          dependsOn: registration?.dependsOn ?? [],
          additionalSecretOutputs: registration?.additionalSecretOutputs ?? [],
        };
        resources.push(resource);
        return { id: `${args.name}-id`, state: { ...args.inputs, ...options.outputsOf?.(resource) } };
      },
      call: (args) => options.invokeResults?.(args.token, args.inputs) ?? args.inputs,
    },
    options.project,
    options.stack,
    options.preview,
  );
  // The mock monitor does not tell newResource the parent and options; read them off the registration request.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: unknown): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const nameOf = (urn: string) => urn.split("::").pop()!;
    registrations.set(`${request.getType()}::${request.getName()}`, {
      parent: request.getParent() ? nameOf(request.getParent()) : null,
      dependsOn: request.getDependenciesList().map(nameOf),
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
    });
    return register(request, callback);
  };
  return resources;
}

interface RegisterRequest {
  getParent(): string;
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getType(): string;
  getName(): string;
}

/** A value Pulumi holds as a secret, as the mock monitor passes it: wrapped in the secret signature. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return (
    !!value &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

/** A value not known until apply (an id created in the same program), as the mock monitor passes it in a preview. */
export function isUnknownValue(value: unknown): boolean {
  return pulumi.isUnknown(value);
}

/** Rewrites secret and unknown values (anywhere in `inputs`), and drops the engine's serialized provider code. */
export function mapEngineValues(
  inputs: Record<string, unknown>,
  secret: (innerValue: unknown) => unknown,
  unknown: unknown,
): Record<string, unknown> {
  const map = (value: unknown): unknown => {
    if (isSecretValue(value)) return secret(map(value.value));
    if (isUnknownValue(value)) return unknown;
    if (Array.isArray(value)) return value.map(map);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, map(v)]),
      );
    }
    return value;
  };
  return map(inputs) as Record<string, unknown>;
}

/** Inputs for people to read: secrets masked, unknowns marked. */
export function displayInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  return maskSecretShapedStrings(mapEngineValues(inputs, () => maskedSecret, unknownDisplay)) as Record<
    string,
    unknown
  >;
}

/** Text that looks like a secret (a URL with a token, a bearer token) is masked wherever it was put. */
function maskSecretShapedStrings(value: unknown): unknown {
  if (typeof value === "string") return maskSecretShapedText(value);
  if (Array.isArray(value)) return value.map(maskSecretShapedStrings);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecretShapedStrings(v)]));
  }
  return value;
}
