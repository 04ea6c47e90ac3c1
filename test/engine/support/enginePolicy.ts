// The TAP policy the engine suite's stacks declare (test/engine/program): entra-tap's recommended values, restored
// on destroy.
export const declaredPolicy = {
  state: "enabled",
  minimumLifetimeInMinutes: 60,
  defaultLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLength: 16,
  isUsableOnce: true,
  onDestroy: "restore",
};
