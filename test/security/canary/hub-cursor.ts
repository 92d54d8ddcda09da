import { readFileSync } from "node:fs";
import { parseSelectorKeys, selectorKeysPath, type SelectorKeyRing } from "@interforce/auth";
import { encodeCursor, openCursor } from "@interforce/hub-subgraph";

// The hub seals its cursors under its selector keys; the canary, white-box, reads and makes
// them with the test stack's keys.
let ring: SelectorKeyRing | undefined;

export function useHubKeys(home: string): void {
  ring = parseSelectorKeys(readFileSync(selectorKeysPath(home), "utf8"));
}

const keys = () => {
  if (!ring) throw new Error("the canary has not read the hub's selector keys (useHubKeys)");
  return ring;
};

export const hubCursor = (v: unknown): string => encodeCursor(keys(), v);
export const openHubCursor = (c: unknown): unknown => (typeof c === "string" ? openCursor(keys(), c) : null);
