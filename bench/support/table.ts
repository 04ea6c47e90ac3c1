// How the bench shows its figures: tables without colours (they go to files and CI logs as well as terminals), and a
// goal's verdict.
import Table from "cli-table3";

export function table(head: string[]): InstanceType<typeof Table> {
  return new Table({ head, style: { head: [], border: [] } });
}

export const verdict = (met: boolean) => (met ? "met" : "MISSED");
