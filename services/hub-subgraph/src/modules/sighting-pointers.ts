import { parseGlobalId, type Classification } from "@interforce/domain";
import { mayReadSighting, maySeeSightingOfIdentity, positional, sightingOfIdentitySqlPredicate } from "@interforce/policy";
import type { HubContext } from "../graphql/context.js";

export interface SightingPointer {
  sighting_id: string;
  org: string;
  identity_org: string;
  seen_at: Date;
  classification: Classification;
}

/**
 * Whether the identity's owner lets the principal read the identity itself, asked of the
 * owner (which decides and audits), one call per owner per request however many identities
 * a list resolves. An owner that does not answer counts as a refusal.
 */
interface OwnerBatch {
  asked: Map<string, Promise<boolean>>;
  queue: { id: string; resolve: (v: boolean) => void }[];
}
const ownerChecks = new WeakMap<HubContext, OwnerBatch>();

async function flush(ctx: HubContext, batch: OwnerBatch): Promise<void> {
  const queue = batch.queue.splice(0);
  const byOrg = new Map<string, string[]>();
  for (const { id } of queue) {
    const org = parseGlobalId(id)!.org;
    byOrg.set(org, [...(byOrg.get(org) ?? []), id]);
  }
  const visible = new Set<string>();
  try {
    const { answers } = await ctx.forces.askAll([...byOrg.keys()], "visible", (org) => ({ ids: byOrg.get(org)! }), {
      token: ctx.token,
      purpose: ctx.purpose!,
      requestId: ctx.requestId,
    });
    for (const a of answers.values()) a.visible.forEach((id) => visible.add(id));
  } finally {
    for (const { id, resolve } of queue) resolve(visible.has(id));
  }
}

function ownerLets(ctx: HubContext, identityId: string): Promise<boolean> {
  let batch = ownerChecks.get(ctx);
  if (!batch) {
    batch = { asked: new Map(), queue: [] };
    ownerChecks.set(ctx, batch);
  }
  const known = batch.asked.get(identityId);
  if (known) return known;
  const b = batch;
  const answer = new Promise<boolean>((resolve) => {
    b.queue.push({ id: identityId, resolve });
    // Every sibling field of a list is resolved before the next macrotask: one call per owner.
    if (b.queue.length === 1) setImmediate(() => void flush(ctx, b).catch(() => undefined));
  });
  batch.asked.set(identityId, answer);
  return answer;
}

/**
 * Sightings of one identity the principal may see, newest first: all of them for a reader of
 * the identity's owner whom the owner lets read the identity, otherwise only the principal's
 * own org's. Others' sightings are not listed or counted.
 */
export async function identitySightings(
  ctx: HubContext,
  identityId: string,
  opts: { first: number; after: { t: string; id: string } | null },
): Promise<{ rows: SightingPointer[]; hasNextPage: boolean }> {
  const p = ctx.principal;
  const owner = parseGlobalId(identityId)!.org;
  // The owner is asked only when its readers could see other orgs' sightings at all.
  const identityReadable =
    p.org === owner && mayReadSighting(p, { org: owner, identityOrg: owner, classification: "OFFICIAL" }) && (await ownerLets(ctx, identityId));
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
