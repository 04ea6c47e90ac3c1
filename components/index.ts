// The entra-tap package's entry (`npm run package`): the components and resources another Pulumi program declares.
// Their resources of type `entra-tap:graph:*` are served by the provider plugin that comes with the package (its
// `provider/` folder, which the program's Pulumi.yaml names).
export {
  PimGroupMembership,
  type PimGroupMembershipArgs,
  TemporaryAccessPassPolicyConfiguration,
  type TemporaryAccessPassPolicyConfigurationArgs,
  UserTemporaryAccessPass,
  type UserTemporaryAccessPassArgs,
} from "./graphResources";
export type { HandoverRecipient } from "./handover";
export { TapAudience, type TapAudienceArgs } from "./tapAudience";
export { TapMonitoring, type TapMonitoringArgs } from "./tapMonitoring";
export { TemporaryAccessGrant, type TemporaryAccessGrantArgs } from "./temporaryAccessGrant";
export { TemporaryAccessPassPolicy, type TemporaryAccessPassPolicyArgs } from "./temporaryAccessPassPolicy";
