// The engine suite's program: the TAP policy (targets by id) and one pass per grant, from the stack's config.
// Grants are judged by the clock, as in entra-tap's own program: one whose expiry has passed ends its pass.
import * as pulumi from "@pulumi/pulumi";
import { TemporaryAccessPassPolicy } from "../../../components/temporaryAccessPassPolicy";
import { UserTemporaryAccessPass } from "../../../components/userTemporaryAccessPass";

interface EngineGrant {
  name: string;
  user: string;
  start: string;
  expiry: string;
  lifetimeInMinutes: number;
  ticket: string;
  reissue?: number;
}

const config = new pulumi.Config("entra-tap-engine");
const policy = new TemporaryAccessPassPolicy("tap-policy", {
  ...config.requireObject<Record<string, unknown>>("policy"),
  includeTargets: config.requireObject("includeTargets"),
  excludeTargets: config.requireObject("excludeTargets"),
  cloud: "global",
});

const grants = config.getObject<EngineGrant[]>("grants") ?? [];
const passes = grants.map(
  (grant) =>
    new UserTemporaryAccessPass(
      `${grant.name}-tap`,
      {
        user: grant.user,
        startDateTime: grant.start,
        lifetimeInMinutes: grant.lifetimeInMinutes,
        isUsableOnce: true,
        grantExpiry: grant.expiry,
        expired: Date.parse(grant.expiry) <= Date.now(),
        reissue: grant.reissue ?? 0,
        scopeRetrySeconds: 5,
        justification: {
          reason: "engine suite",
          ticket: grant.ticket,
          requestedBy: "requester@contoso.example",
          approvedBy: "approver@contoso.example",
        },
      },
      { dependsOn: [policy] },
    ),
);

export const tapPolicyState = policy.state;
export const grantPasses = Object.fromEntries(
  grants.map((grant, index) => [
    grant.name,
    { status: passes[index].status, end: passes[index].passEndDateTime },
  ]),
);
export const grantPasscodes = pulumi.secret(
  Object.fromEntries(grants.map((grant, index) => [grant.name, passes[index].temporaryAccessPass])),
);
