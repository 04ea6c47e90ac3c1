// The engine suite's program: the TAP policy (targets by id) and one pass per grant, from the stack's config.
// Grants are judged by the clock, as in entra-tap's own program: one whose expiry has passed ends its pass.
import * as pulumi from "@pulumi/pulumi";
import { PimGroupMembership } from "../../../components/pimGroupMembership";
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

interface EngineMembership {
  name: string;
  groupId: string;
  principalId: string;
  endDateTime: string;
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

// PIM for Groups memberships, declared only until their end, as a grant declares them.
for (const membership of config.getObject<EngineMembership[]>("pimMemberships") ?? []) {
  if (Date.parse(membership.endDateTime) <= Date.now()) continue;
  new PimGroupMembership(`${membership.name}-pim-membership`, {
    groupId: membership.groupId,
    principalId: membership.principalId,
    endDateTime: membership.endDateTime,
    justification: "engine suite",
    ticketNumber: "CHG-1001",
  });
}

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
