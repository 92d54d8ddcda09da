import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import { parseGlobalId, type OrgEntry, type Principal, type RecordKind } from "@interforce/domain";
import type { Logger } from "@interforce/server-kit";
import { Access } from "./access.js";
import { ForumRow, IdentityRow, LinkRow, type MarkedRecord } from "./db/entities.js";
import type { AgreementsClient } from "./agreements-client.js";
import { forumView, identityView, linkView, typeNamesFor, type ForumView, type IdentityView, type LinkView, type OrgTypeNames } from "./graphql/views.js";

export interface ForceContext {
  org: OrgEntry;
  names: OrgTypeNames;
  principal: Principal;
  purpose: string | null;
  requestId: string;
  db: DataSource;
  access: Access;
  log: Logger;
  loaders: ReturnType<typeof createLoaders>;
}

/**
 * Loads records of this org by global id, one SQL query per batch however many ids a
 * `_entities` call or a nested list asks for, and applies the policy to each row.
 * Ids of other orgs or kinds resolve to null without touching the database.
 */
function readableById<R extends MarkedRecord, V>(
  ctx: Pick<ForceContext, "org" | "db" | "access" | "log" | "requestId">,
  kind: RecordKind,
  entity: new () => R,
  view: (row: R) => V,
) {
  return new DataLoader<string, V | null>(
    async (ids) => {
      const uuids = new Map<string, string>();
      for (const id of ids) {
        const g = parseGlobalId(id);
        if (g && g.org === ctx.org.code && g.kind === kind) uuids.set(id, g.uuid);
      }
      const rows = uuids.size
        ? await ctx.db.getRepository(entity).findBy({ id: In([...new Set(uuids.values())]) } as never)
        : [];
      const byUuid = new Map(rows.map((r) => [r.id, r]));
      const out: (V | null)[] = [];
      const decisions: Record<string, string> = {};
      for (const id of ids) {
        const uuid = uuids.get(id);
        const row = uuid ? byUuid.get(uuid) : undefined;
        const decision = row ? await ctx.access.decideRow(kind, row) : { level: "NONE", reason: "no such record" };
        decisions[id] = decision.level;
        out.push(row && decision.level === "FULL" ? view(row) : null);
      }
      ctx.log.info({ requestId: ctx.requestId, kind, decisions }, "records resolved by id");
      return out;
    },
    { maxBatchSize: 500 },
  );
}

export function createLoaders(ctx: Pick<ForceContext, "org" | "db" | "access" | "log" | "requestId">) {
  const names = typeNamesFor(ctx.org.typePrefix);
  const code = ctx.org.code;
  return {
    identity: readableById<IdentityRow, IdentityView>(ctx, "identity", IdentityRow, (r) => identityView(code, names, r)),
    forum: readableById<ForumRow, ForumView>(ctx, "forum", ForumRow, (r) => forumView(code, names, r)),
    link: readableById<LinkRow, LinkView>(ctx, "link", LinkRow, (r) => linkView(code, names, r)),
  };
}

export function buildContext(args: {
  org: OrgEntry;
  principal: Principal;
  purpose: string | null;
  requestId: string;
  db: DataSource;
  agreements: AgreementsClient;
  log: Logger;
}): ForceContext {
  const access = new Access(args.org.code, args.principal, () => args.agreements.current());
  const base = { ...args, access, names: typeNamesFor(args.org.typePrefix) };
  return { ...base, loaders: createLoaders(base) };
}
