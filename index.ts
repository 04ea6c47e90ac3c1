// The entra-tap program: the stack's config, validated first, declares the tenant's Temporary Access Pass setup.
import { TemporaryAccessPassPolicy } from "./components/temporaryAccessPassPolicy";
import { loadStackConfig } from "./stackConfig";

const config = loadStackConfig();

const policy = new TemporaryAccessPassPolicy("tap-policy", { ...config.policy, cloud: config.cloud });

export const tapPolicyState = policy.state;
export const tapPolicyLifetimeInMinutes = {
  minimum: policy.minimumLifetimeInMinutes,
  default: policy.defaultLifetimeInMinutes,
  maximum: policy.maximumLifetimeInMinutes,
};
