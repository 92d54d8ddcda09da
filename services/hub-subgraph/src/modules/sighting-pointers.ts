import type { Classification } from "@interforce/domain";
import { maySeeSightingOfIdentity, positional, sightingOfIdentitySqlPredicate } from "@interforce/policy";
import type { HubContext } from "../graphql/context.js";
import { ownerLetsRead } from "./owner-check.js";

export interface SightingPointer {
  sighting_id: string;
  org: string;
  identity_org: string;
  seen_at: Date;
  classification: Classification;
}

/**
 * Sightings of one identity the principal may see, newest first (policy
 * `maySeeSightingOfIdentity`): none unless the identity's owner lets the principal read the
 * identity; others' sightings are not listed or counted.
 */
export async function identitySightings(
  ctx: HubContext,
  identityId: string,
  opts: { first: number; after: { t: string; id: string } | null },
): Promise<{ rows: SightingPointer[]; hasNextPage: boolean }> {
  const p = ctx.principal;
  const identityReadable = await ownerLetsRead(ctx, identityId);
  if (!identityReadable) return { rows: [], hasNextPage: false };
  const rule = positional(
    sightingOfIdentitySqlPredicate(p, identityReadable, { org: "s.org", identityOrg: "s.identity_org", classification: "s.classification" }),
    2,
  );
  const params: unknown[] = [identityId, ...rule.values];
  let where = `s.identity_id = $1 AND ${rule.text}`;
  if (opts.after) {
    params.push(opts.after.t, opts.after.id);
    where += ` AND (s.seen_at, s.sighting_id) < ($${params.length - 1}::timestamptz, $${params.length})`;
  }
  params.push(opts.first + 1);
  const rows: SightingPointer[] = await ctx.db.query(
    `SELECT sighting_id, org, identity_org, seen_at, classification FROM sighting_pointer s
      WHERE ${where} ORDER BY s.seen_at DESC, s.sighting_id DESC LIMIT $${params.length}`,
    params,
  );
  const confirmed = rows.filter((r) =>
    maySeeSightingOfIdentity(p, { org: r.org, identityOrg: r.identity_org, classification: r.classification }, identityReadable),
  );
  return { rows: confirmed.slice(0, opts.first), hasNextPage: rows.length > opts.first };
}
