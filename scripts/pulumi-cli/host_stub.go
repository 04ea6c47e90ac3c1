// Stands in for the v3.68.0 Node.js language host's main.go (github.com/pulumi/pulumi/sdk/v3@v3.68.0,
// nodejs/cmd/pulumi-language-nodejs), so that this module compiles and `go vet` checks runplugin_entra_tap.go
// against the same SDK. scripts/pulumi-cli.sh copies runplugin_entra_tap.go alone into the host; never this file.
package main

import (
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// nodeLanguageHost as the host declares it, down to what runplugin_entra_tap.go uses: the embedded default
// implementation (whose "not supported" RunPlugin the script renames away) and the typescript flag.
type nodeLanguageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	typescript bool
}

// RunPlugin must have the signature of the LanguageRuntimeServer method it provides: a method of another signature
// would leave the host without it, and this assertion would fail to compile.
var _ pulumirpc.LanguageRuntimeServer = (*nodeLanguageHost)(nil)

func main() {}
