import { In } from "typeorm";
import { parseGlobalId, parseOwnedId, type Classification } from "@interforce/domain";
import { mayReadSighting } from "@interforce/policy";
import { decideRows, type ForceContext } from "../../context.js";
import { ForumRow, IdentityRow, LinkRow, type MarkedRecord } from "../../db/entities.js";
import { assignmentRule } from "../monitoring/assignment-rule.js";
import { MonitoringAssignmentRow } from "../monitoring/monitoring.entity.js";
import { SightingRow } from "../sightings/sighting.entity.js";

/**
 * Which of these ids of this force's records the caller may read now, each by its own rule
 * (a link with its ends): one query per kind, nothing audited (nothing of the records is
 * returned; this only decides whether an id may be shown, e.g. in an audit event's detail).
 */
export async function readableOwnIds(ctx: ForceContext, ids: readonly string[]): Promise<Set<string>> {
  const code = ctx.org.code;
  const out = new Set<string>();
  const byKind = { identity: [] as string[], forum: [] as string[], link: [] as string[], monitoring: [] as string[], sighting: [] as string[] };
  for (const id of ids) {
    const g = parseGlobalId(id);
    if (g && g.org === code) byKind[g.kind].push(id);
    const m = parseOwnedId(id, "monitoring");
    if (m && m.org === code) byKind.monitoring.push(id);
    const s = parseOwnedId(id, "sighting");
    if (s && s.org === code) byKind.sighting.push(id);
  }
  const uuid = (id: string) => id.split(":")[2]!.toLowerCase();
  for (const [kind, entity] of [
    ["identity", IdentityRow],
    ["forum", ForumRow],
    ["link", LinkRow],
  ] as const) {
    const wanted = byKind[kind];
    if (wanted.length === 0) continue;
    const rows = (await ctx.db.getRepository(entity as new () => MarkedRecord).findBy({ id: In(wanted.map(uuid)) })) as MarkedRecord[];
    const decisions = await decideRows(ctx, kind, rows);
    rows.forEach((r, i) => {
      if (decisions[i]!.level === "FULL") out.add(`${code}:${kind}:${r.id}`);
    });
  }
  if (byKind.monitoring.length) {
    const { see } = await assignmentRule(ctx);
    for (const r of await ctx.db.getRepository(MonitoringAssignmentRow).findBy({ id: In(byKind.monitoring.map(uuid)) }))
      if (see(r)) out.add(`${code}:monitoring:${r.id}`);
  }
  if (byKind.sighting.length) {
    for (const r of await ctx.db.getRepository(SightingRow).findBy({ id: In(byKind.sighting.map(uuid)) })) {
      if (mayReadSighting(ctx.principal, { org: code, identityOrg: r.identityOrg, classification: r.classification as Classification }))
        out.add(`${code}:sighting:${r.id}`);
    }
  }
  // Compare as written: an id in another case names the same record.
  const lower = new Set([...out].map((id) => id.toLowerCase()));
  return new Set(ids.filter((id) => lower.has(id.toLowerCase())));
}
