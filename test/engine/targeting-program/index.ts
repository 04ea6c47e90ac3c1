// The TAP policy and one grant per entry of the stack's config, shaped as entra-tap's own program shapes them: each
// grant a component of the type components/temporaryAccessGrant.ts registers, with its pass as a child that is
// issued after the policy. The real TemporaryAccessGrant also declares an azuread group membership, whose plugin
// the engine suite cannot have; test/scripts/grantTargets.test.ts checks the glob against the real component.
import * as pulumi from "@pulumi/pulumi";
import { TemporaryAccessPassPolicy } from "../../../components/temporaryAccessPassPolicy";
import { UserTemporaryAccessPass } from "../../../components/userTemporaryAccessPass";
import { temporaryAccessGrantType } from "../../../components/temporaryAccessGrant";

interface EngineGrant {
  name: string;
  user: string;
  start: string;
  expiry: string;
  lifetimeInMinutes: number;
}

class Grant extends pulumi.ComponentResource {
  readonly pass: UserTemporaryAccessPass;

  constructor(grant: EngineGrant, policy: pulumi.Resource) {
    super(temporaryAccessGrantType, grant.name, {}, {});
    this.pass = new UserTemporaryAccessPass(
      `${grant.name}-tap`,
      {
        user: grant.user,
        startDateTime: grant.start,
        lifetimeInMinutes: grant.lifetimeInMinutes,
        isUsableOnce: true,
        grantExpiry: grant.expiry,
        expired: Date.parse(grant.expiry) <= Date.now(),
        reissue: 0,
        scopeRetrySeconds: 5,
        justification: {
          reason: "engine suite: targeting",
          ticket: "CHG-2001",
          requestedBy: "requester@contoso.example",
          approvedBy: "approver@contoso.example",
        },
      },
      { parent: this, dependsOn: [policy] },
    );
    this.registerOutputs({ status: this.pass.status });
  }
}

const config = new pulumi.Config("entra-tap-targeting");
const policy = new TemporaryAccessPassPolicy("tap-policy", {
  ...config.requireObject<Record<string, unknown>>("policy"),
  includeTargets: config.requireObject("includeTargets"),
  excludeTargets: [],
  cloud: "global",
});
const declared = config.getObject<EngineGrant[]>("grants") ?? [];
const grants = declared.map((grant) => new Grant(grant, policy));

export const tapPolicyDefaultLength = policy.defaultLength;
export const grantPasses = Object.fromEntries(
  declared.map((grant, index) => [grant.name, grants[index].pass.status]),
);
