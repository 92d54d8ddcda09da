import DataLoader from "dataloader";
import { parseGlobalId } from "@interforce/domain";
import type { HubContext } from "../graphql/context.js";

/**
 * Whether a record's owner lets the caller read it, asked of the owner (which decides and
 * audits): one call per owner per request however many records a list resolves. An id that
 * names no org of the registry, an owner that does not answer and a call without a purpose
 * all count as a refusal, so the hub answers as it would for an id that names nothing.
 */
const loaders = new WeakMap<HubContext, DataLoader<string, boolean>>();

export function ownerLetsRead(ctx: HubContext, id: string): Promise<boolean> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, boolean>(
      async (ids) => {
        if (!ctx.purpose) return ids.map(() => false);
        const byOrg = new Map<string, string[]>();
        for (const id of new Set(ids)) {
          const org = parseGlobalId(id)?.org;
          if (org && ctx.forces.orgs.includes(org)) byOrg.set(org, [...(byOrg.get(org) ?? []), id]);
        }
        const { answers } = await ctx.forces.askAll([...byOrg.keys()], "visible", (org) => ({ ids: byOrg.get(org)! }), {
          token: ctx.token,
          purpose: ctx.purpose,
          requestId: ctx.requestId,
        });
        const visible = new Set([...answers.values()].flatMap((a) => a.visible));
        return ids.map((id) => visible.has(id));
      },
      { maxBatchSize: 200 },
    );
    loaders.set(ctx, loader);
  }
  return loader.load(id);
}
