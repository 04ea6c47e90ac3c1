// Copied by entra-tap's scripts/pulumi-cli.sh into the v3.68.0 Node.js language host (the folder
// nodejs/cmd/pulumi-language-nodejs of github.com/pulumi/pulumi/sdk/v3@v3.68.0, package main): RunPlugin, which
// current Pulumi CLIs use to start policy packs (kind "analyzer") and Node.js plugins written as PulumiPlugin.yaml
// projects. The request's `info` (5) and `kind` (6) fields postdate this host's protobuf types, so they are
// read from the message's unknown fields. Here, host_stub.go stands in for the rest of the host, so that gofmt and
// go vet check this file (npm run lint).
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// forEachField calls f with each length-delimited field of a protobuf message and skips the others.
func forEachField(b []byte, f func(num protowire.Number, v []byte)) {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return
		}
		b = b[n:]
		if typ == protowire.BytesType {
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return
			}
			f(num, v)
			b = b[m:]
			continue
		}
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return
		}
		b = b[m:]
	}
}

func (host *nodeLanguageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	programDir, entryPoint, kind := req.GetProgram(), ".", ""
	forEachField(req.ProtoReflect().GetUnknown(), func(num protowire.Number, v []byte) {
		switch num {
		case 5: // ProgramInfo info
			forEachField(v, func(inum protowire.Number, iv []byte) {
				switch inum {
				case 2:
					programDir = string(iv)
				case 3:
					if len(iv) > 0 {
						entryPoint = string(iv)
					}
				}
			})
		case 6: // string kind
			kind = string(v)
		}
	})
	if programDir == "" {
		return errors.New("RunPlugin: the request names no program directory")
	}

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	runModule := "@pulumi/pulumi/cmd/run-plugin"
	if kind == "analyzer" {
		runModule = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	resolve := exec.Command(nodeBin, "-e", fmt.Sprintf("console.log(require.resolve('%s'))", runModule))
	resolve.Dir = programDir
	out, err := resolve.Output()
	if err != nil {
		return fmt.Errorf("Cannot find module '%s' from %s: %w (run npm install there)", runModule, programDir, err)
	}
	args := []string{strings.TrimSpace(string(out))}
	if kind == "analyzer" {
		// run-policy-pack <engine-address> <program>
		args = append(append(args, req.GetArgs()...), entryPoint)
	} else {
		// run-plugin <program> [args...]
		args = append(append(args, entryPoint), req.GetArgs()...)
	}

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	if host.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	cmd := exec.Command(nodeBin, args...)
	cmd.Dir = programDir
	cmd.Env = env
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = int32(exitErr.ExitCode())
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}
