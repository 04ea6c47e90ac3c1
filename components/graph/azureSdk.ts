// The Azure SDK's HTTP pipeline and credentials, loaded when a Graph client is first built rather than with these
// modules: the config, the offline plan and the providers' checks never call Graph, and loading both packages was a
// tenth of the plan's start-up.

export function azureRestPipeline(): typeof import("@azure/core-rest-pipeline") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@azure/core-rest-pipeline");
}

export function azureIdentity(): typeof import("@azure/identity") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@azure/identity");
}
