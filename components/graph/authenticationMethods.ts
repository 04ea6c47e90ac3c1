// A user's registered authentication methods (`GET /users/{id}/authentication/methods`, UserAuthenticationMethod.Read.All):
// one request per user gives both the Temporary Access Pass (listed with its own fields) and the phishing-resistant
// methods with when each was registered. That a listed pass carries every field of its own resource is not documented:
// a pass listed without them is read again from `temporaryAccessPassMethods`, so a wrong guess costs requests, not a
// wrong review.
import { phishingResistantMethodName } from "../passBootstrap";
import { batchAll } from "./batch";
import type { GraphClient } from "./client";
import { batchFailure } from "./errors";
import { type GraphTemporaryAccessPass, readUsersPasses } from "./userPasses";

const tapType = "#microsoft.graph.temporaryAccessPassAuthenticationMethod";

/** A phishing-resistant method as the review shows it; `createdDateTime` null when Graph gave none. */
export interface PhishingResistantMethod {
  name: string;
  createdDateTime: string | null;
}

export interface UserMethodsRead {
  /** False when Graph no longer knows the user (deleted meanwhile). */
  userFound: boolean;
  pass: GraphTemporaryAccessPass | undefined;
  phishingResistant: PhishingResistantMethod[];
}

interface ListedMethod {
  "@odata.type"?: string;
  id?: string;
  createdDateTime?: string | null;
  [field: string]: unknown;
}

/** Whether a listed pass has every field the review judges it by. */
function isCompletePass(method: ListedMethod): method is ListedMethod & GraphTemporaryAccessPass {
  return (
    typeof method.id === "string" &&
    typeof method.startDateTime === "string" &&
    !Number.isNaN(Date.parse(method.startDateTime)) &&
    typeof method.lifetimeInMinutes === "number" &&
    typeof method.isUsableOnce === "boolean" &&
    typeof method.isUsable === "boolean"
  );
}

/** Only the fields a pass is judged by: a passcode, were Graph ever to list one, is dropped here. */
function listedPass(method: ListedMethod & GraphTemporaryAccessPass): GraphTemporaryAccessPass {
  return {
    id: method.id,
    temporaryAccessPass: null,
    createdDateTime: method.createdDateTime ?? method.startDateTime,
    startDateTime: method.startDateTime,
    lifetimeInMinutes: method.lifetimeInMinutes,
    isUsableOnce: method.isUsableOnce,
    isUsable: method.isUsable,
    methodUsabilityReason: method.methodUsabilityReason ?? null,
  };
}

/** Each user's pass and phishing-resistant methods, 20 users to a JSON batch, in the order of `users`. */
export async function readUsersMethods(
  graph: GraphClient,
  users: readonly { id: string; name: string }[],
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<UserMethodsRead[]> {
  const answers = await batchAll<{ value?: ListedMethod[] }>(
    graph,
    "Read the users' authentication methods",
    users.map((user, index) => ({
      id: String(index),
      method: "GET",
      url: `/users/${encodeURIComponent(user.id)}/authentication/methods`,
    })),
    { concurrency: options.concurrency, onProgress: options.onProgress },
  );
  const incomplete: number[] = [];
  const reads = answers.map((answer, index): UserMethodsRead => {
    if (answer.status === 404) return { userFound: false, pass: undefined, phishingResistant: [] };
    if (answer.status !== 200 || !Array.isArray(answer.body?.value)) {
      throw batchFailure(`Read the authentication methods of ${users[index].name}`, answer);
    }
    const methods = answer.body.value;
    const listed = methods.find((m) => m?.["@odata.type"] === tapType);
    if (listed && !isCompletePass(listed)) incomplete.push(index);
    return {
      userFound: true,
      pass: listed && isCompletePass(listed) ? listedPass(listed) : undefined,
      phishingResistant: methods.flatMap((m) => {
        const name = phishingResistantMethodName(m?.["@odata.type"]);
        const created = typeof m.createdDateTime === "string" ? m.createdDateTime : null;
        return name ? [{ name, createdDateTime: created }] : [];
      }),
    };
  });
  if (incomplete.length > 0) {
    const again = await readUsersPasses(
      graph,
      incomplete.map((index) => users[index]),
      { concurrency: options.concurrency },
    );
    again.forEach((read, i) => {
      reads[incomplete[i]] = { ...reads[incomplete[i]], userFound: read.userFound, pass: read.pass };
    });
  }
  return reads;
}
