#!/usr/bin/env bash
# Packs entra-tap's components and their provider plugin as an npm package, for Pulumi programs of their own
# (README, "Using the components from your own program"): the TypeScript compiled to JavaScript with its type
# declarations (tsconfig.package.json, into .package/), the plugin's folder (provider/: PulumiPlugin.yaml and its
# entry), and a manifest whose dependencies are the project's own ranges. The Pulumi SDK and the azuread and
# azure-native packages are peer dependencies: the program has them already, in the versions it chose.
#
# Usage:  bash scripts/package.sh [<folder for the tarball>]     # default: the project's folder
# Prints the tarball's path on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cd "${1:-.}" && pwd)
rm -rf .package
echo "entra-tap: compiling components/ and provider/ into .package/..." >&2
npx tsc -p tsconfig.package.json
cp provider/index.js provider/PulumiPlugin.yaml provider/package.json .package/provider/
node -e '
  const project = require("./package.json");
  const range = (name) => project.dependencies[name] ?? (() => { throw new Error(`package.json has no dependency ${name}`); })();
  const pick = (names) => Object.fromEntries(names.map((name) => [name, range(name)]));
  const manifest = {
    name: project.name,
    version: project.version,
    description: "entra-tap'"'"'s Pulumi components for Temporary Access Pass in Microsoft Entra ID, and their provider plugin",
    license: project.license,
    main: "components/index.js",
    types: "components/index.d.ts",
    engines: project.engines,
    dependencies: pick(["@azure/core-rest-pipeline", "@azure/identity", "age-encryption", "zod"]),
    peerDependencies: pick(["@pulumi/pulumi", "@pulumi/azuread", "@pulumi/azure-native"]),
  };
  require("node:fs").writeFileSync(".package/package.json", JSON.stringify(manifest, null, 2) + "\n");
'
npm pack ./.package --pack-destination "$out" --silent | sed "s#^#$out/#"
