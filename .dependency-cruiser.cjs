// The layers of the house, checked by `npm run lint` (dependency-cruiser): no import cycles, and each layer imports
// only the layers below it. index.ts wires config/ to components/; scripts/ drive them; policies/ is its own package.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      severity: "error",
      comment: "A cycle makes load order matter and the layers meaningless.",
      from: {},
      to: { circular: true },
    },
    {
      name: "components-take-plain-arguments",
      severity: "error",
      comment: "Components take typed arguments; the config fills them in (README: Layout).",
      from: { path: "^components/" },
      to: { path: "^(config|scripts|policies|bench|test)/|^index\\.ts$" },
    },
    {
      name: "provider-serves-components",
      severity: "error",
      comment:
        "The provider plugin runs the components' lifecycles; it knows nothing of the stack's config or commands.",
      from: { path: "^provider/" },
      to: { path: "^(config|scripts|policies|bench|test)/|^index\\.ts$" },
    },
    {
      name: "provider-starts-light",
      severity: "error",
      comment:
        "The engine starts the plugin for every command: its lifecycles load the provider SDK, never the program's SDK " +
        "(`@pulumi/pulumi` itself, most of a start-up); the resources the program declares are components/graphResources.ts.",
      from: { path: "^provider/" },
      to: { path: "node_modules/@pulumi/pulumi/index\\.js$", reachable: true },
    },
    {
      name: "commands-start-light",
      severity: "error",
      comment:
        "The commands that read a stack's config and Graph start in under a second: none loads `@pulumi/pulumi` (the plan " +
        "and export load it, or the pack, only once the config is valid, with import()).",
      from: { path: "^scripts/(cli|review|handover|newStack|due|demo/sandbox)\\.ts$" },
      to: { path: "node_modules/@pulumi/pulumi/index\\.js$", reachable: true },
    },
    {
      name: "config-below-the-commands",
      severity: "error",
      comment: "The config is read by the program and the commands, never the other way round.",
      from: { path: "^config/" },
      to: { path: "^(scripts|policies|bench|test)/|^index\\.ts$" },
    },
    {
      name: "policy-pack-stands-alone",
      severity: "error",
      comment:
        "The pack is its own package (policies/package.json), run by the CLI without this project's modules.",
      from: { path: "^policies/" },
      to: {
        path: "^(?!policies/)",
        dependencyTypesNot: ["npm", "npm-dev", "npm-peer", "npm-optional", "core"],
      },
    },
    {
      name: "product-never-imports-tests",
      severity: "error",
      comment:
        "Only the demos (scripts/demo/: the review's sample, the sandbox) run on the test emulator, by design.",
      from: { path: "^(index\\.ts|components|config|policies|provider|scripts/(?!demo/))" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
