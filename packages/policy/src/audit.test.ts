import { describe, expect, it } from "vitest";
import type { Principal } from "@interforce/domain";
import { ownIdsIn, redactAuditEvent, WITHHELD_ID } from "./audit.js";

const admin: Principal = { sub: "a", org: "KENT", roles: ["FORCE_ADMIN"], clearance: "OFFICIAL", covert: false };
const auditor: Principal = { ...admin, clearance: "SECRET", covert: true };
const shown = "KENT:identity:0b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f";
const hidden = "KENT:forum:1b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f";
const foreign = "NORFOLK:identity:2b9c7a4e-3f1d-4c2a-9e8b-1a2b3c4d5e6f";
const event = { records: [{ id: shown }], detail: { forumId: hidden, to: foreign, note: `from ${shown}` } };

describe("audit ids", () => {
  it("finds the force's own ids in an event, details included", () => {
    expect(ownIdsIn("KENT", event).sort()).toEqual([hidden, shown].sort());
  });
  it("withholds from an admin the ids of records it may not read and of other orgs", () => {
    const seen = redactAuditEvent(admin, "KENT", event, (id) => id === shown);
    expect(seen).toEqual({ records: [{ id: shown }], detail: { forumId: WITHHELD_ID, to: WITHHELD_ID, note: `from ${shown}` } });
    expect(JSON.stringify(seen)).not.toContain(hidden);
  });
  it("withholds from an admin the principal another reading of the log asked about, not its own", () => {
    const read = { sub: "b", records: [], detail: { sub: "uc.officer@kent", returned: 3 } };
    expect(redactAuditEvent(admin, "KENT", read, () => true)).toEqual({ sub: "b", records: [], detail: { sub: WITHHELD_ID, returned: 3 } });
    const own = { sub: "b", records: [], detail: { sub: "a", returned: 3 } };
    expect(redactAuditEvent(admin, "KENT", own, () => true)).toEqual(own);
    expect(redactAuditEvent(auditor, "KENT", read, () => false)).toEqual(read);
  });
  it("shows the auditor the event as written", () => {
    expect(redactAuditEvent(auditor, "KENT", event, () => false)).toEqual(event);
  });
});
