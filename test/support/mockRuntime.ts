// Pulumi's mock runtime for a test: project entra-tap, stack test, an update (not a preview), resources recorded as
// the program declares them (scripts/declaredResources.ts, as the offline plan does).
import {
  type DeclaredResource,
  type MockRuntimeOptions,
  recordDeclaredResources,
} from "../../scripts/declaredResources";

/** Installs the mock runtime; the returned list fills as the program declares resources. */
export function mockRuntime(options: Partial<MockRuntimeOptions> = {}): Promise<DeclaredResource[]> {
  return recordDeclaredResources({ project: "entra-tap", stack: "test", preview: false, ...options });
}
