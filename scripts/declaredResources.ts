// Records what a program declares under Pulumi's mock runtime: type, name, parent and inputs of each resource.
// Shared by the offline plan and the tests of components.
import * as pulumi from "@pulumi/pulumi";

/** How a secret input reaches the mock monitor: wrapped in Pulumi's secret signature. */
const secretSignatureKey = "4dabf18193072939515e22adb298388d";
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";
export const maskedSecret = "[secret]";

export interface DeclaredResource {
  type: string;
  name: string;
  /** The parent resource's name; null for a resource at the stack's root. */
  parent: string | null;
  /** Inputs as the engine would receive them: secrets still wrapped, `__provider` included. */
  inputs: Record<string, unknown>;
}

export interface MockRuntimeOptions {
  project: string;
  stack: string;
  /** Preview leaves outputs the mock does not give unknown, as `pulumi preview` does. */
  preview: boolean;
  /** Outputs beyond the inputs that the mock gives a resource (e.g. an `objectId`). */
  outputsOf?: (resource: DeclaredResource) => Record<string, unknown>;
}

/** Installs the mock runtime; the returned list fills as the program declares resources. */
export async function recordDeclaredResources(options: MockRuntimeOptions): Promise<DeclaredResource[]> {
  const resources: DeclaredResource[] = [];
  const parents = new Map<string, string | null>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const resource: DeclaredResource = {
          type: args.type,
          name: args.name,
          parent: parents.get(`${args.type}::${args.name}`) ?? null,
          inputs: args.inputs,
        };
        resources.push(resource);
        return { id: `${args.name}-id`, state: { ...args.inputs, ...options.outputsOf?.(resource) } };
      },
      call: (args) => args.inputs,
    },
    options.project,
    options.stack,
    options.preview,
  );
  // The mock monitor does not tell newResource the parent; read it off the registration request.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: unknown): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const parentUrn = request.getParent();
    parents.set(
      `${request.getType()}::${request.getName()}`,
      parentUrn ? parentUrn.split("::").pop()! : null,
    );
    return register(request, callback);
  };
  return resources;
}

interface RegisterRequest {
  getParent(): string;
  getType(): string;
  getName(): string;
}

/** Inputs for people to read: secrets masked, the engine's serialized provider code left out. */
export function displayInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const mask = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(mask);
    if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (record[secretSignatureKey] === secretSignature) return maskedSecret;
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, mask(v)]));
    }
    return value;
  };
  const { __provider: _serializedProvider, ...declared } = inputs;
  return mask(declared) as Record<string, unknown>;
}
