import { sealRef } from "@interforce/auth";

/**
 * References this force's records hold to other records (link ends, a monitored forum, a
 * sighting's identity and forum) leave the force sealed under its service secret: no caller,
 * not even of `_entities`, reads the id; the hub opens it and asks the record's owner.
 */
let sealing: { secret: string; org: string } | null = null;

export function configureRefs(secret: string, org: string): void {
  sealing = { secret, org };
}

export function refTo(id: string): { id: string } {
  if (!sealing) throw new Error("references are not configured: call configureRefs at start-up");
  return { id: sealRef(sealing.secret, sealing.org, id) };
}
