// Serves entra-tap's provider to the Pulumi engine over gRPC (the engine passes its address in the arguments).
import { main } from "@pulumi/pulumi/provider";
import { entraTapProvider } from "./entraTapProvider";

void main(entraTapProvider, process.argv.slice(2));
