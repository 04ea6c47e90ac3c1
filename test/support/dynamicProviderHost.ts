// Runs Pulumi's own dynamic-provider host (the process the engine starts for `pulumi-nodejs:dynamic/*`) from the
// project's node_modules, and speaks the provider gRPC protocol to it, as the engine does.
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerProto = require("@pulumi/pulumi/proto/provider_pb");

type Props = Record<string, unknown>;
type ProtoMessage = Record<string, (value?: unknown) => unknown>;

function toProps(struct: unknown): Props {
  return (struct as Struct).toJavaScript() as Props;
}

export const diffKinds = { unknown: 0, none: 1, some: 2 } as const;

export class DynamicProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: grpc.Client & Record<string, unknown>,
    private readonly urn: string,
    readonly stderr: () => string,
  ) {}

  /** Starts the host with `cwd` as the project directory, as the Pulumi CLI does. */
  static async start(
    projectDir: string,
    env: Record<string, string>,
    urn: string,
  ): Promise<DynamicProviderHost> {
    const hostScript = path.join(projectDir, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js");
    // The engine address is only required to be present; nothing here calls back into an engine.
    const child = spawn(process.execPath, [hostScript, "127.0.0.1:1"], {
      cwd: projectDir,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once("exit", (code) => reject(new Error(`provider host exited with ${code}: ${stderr}`)));
    });
    const client = new providerRpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    return new DynamicProviderHost(child, client, urn, () => stderr);
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }

  async check(
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const response = await this.call("check", "CheckRequest", { Urn: this.urn, Olds: olds, News: news });
    return {
      inputs: toProps(response.getInputs()),
      failures: (response.getFailuresList() as ProtoMessage[]).map((f) => ({
        property: f.getProperty() as string,
        reason: f.getReason() as string,
      })),
    };
  }

  async diff(id: string, olds: Props, news: Props): Promise<{ changes: number; replaces: string[] }> {
    const response = await this.call("diff", "DiffRequest", {
      Id: id,
      Urn: this.urn,
      Olds: olds,
      News: news,
    });
    return { changes: response.getChanges() as number, replaces: response.getReplacesList() as string[] };
  }

  async create(properties: Props): Promise<{ id: string; properties: Props }> {
    const response = await this.call("create", "CreateRequest", { Urn: this.urn, Properties: properties });
    return { id: response.getId() as string, properties: toProps(response.getProperties()) };
  }

  async read(id: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const response = await this.call("read", "ReadRequest", {
      Id: id,
      Urn: this.urn,
      Properties: properties,
    });
    return { id: response.getId() as string, properties: toProps(response.getProperties()) };
  }

  async update(id: string, olds: Props, news: Props): Promise<Props> {
    const response = await this.call("update", "UpdateRequest", {
      Id: id,
      Urn: this.urn,
      Olds: olds,
      News: news,
    });
    return toProps(response.getProperties());
  }

  async delete(id: string, properties: Props): Promise<void> {
    await this.call("delete", "DeleteRequest", { Id: id, Urn: this.urn, Properties: properties });
  }

  private call(method: string, requestType: string, fields: Record<string, unknown>) {
    const request = new providerProto[requestType]() as ProtoMessage;
    for (const [field, value] of Object.entries(fields)) {
      request[`set${field}`](typeof value === "object" ? Struct.fromJavaScript(value as never) : value);
    }
    return new Promise<ProtoMessage>((resolve, reject) => {
      const rpc = this.client[method] as (r: unknown, cb: (e: Error | null, res: unknown) => void) => void;
      rpc.call(this.client, request, (error, response) =>
        error ? reject(error) : resolve(response as ProtoMessage),
      );
    });
  }
}
