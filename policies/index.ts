// The entra-tap policy pack: `pulumi preview --policy-pack policies [--policy-pack-config policies/config/strict.json]`.
// Tests and the offline plan import ./policies, never this file: `new PolicyPack` starts a server and never returns.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("entra-tap", { policies });
