import DataLoader from "dataloader";
import { parseGlobalId, parseOwnedId } from "@interforce/domain";
import { appError } from "@interforce/server-kit";
import type { HubContext } from "../graphql/context.js";

/** What a record's owner said of it: the caller may read it, may not (or nothing has that id), or the owner did not answer. */
export type OwnerAnswer = "visible" | "hidden" | "unavailable";

/**
 * Asks each record's owner (which decides and audits) whether the caller may read it: one call
 * per owner per request however many records a list resolves. An id that names no org of the
 * registry and a call without a purpose are hidden without asking anyone.
 */
const loaders = new WeakMap<HubContext, DataLoader<string, OwnerAnswer>>();

/** The org that owns a record or a monitoring assignment, by its id. */
const ownerOf = (id: string): string | undefined => parseGlobalId(id)?.org ?? parseOwnedId(id, "monitoring")?.org;

function ownerAnswer(ctx: HubContext, id: string): Promise<OwnerAnswer> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, OwnerAnswer>(
      async (ids) => {
        if (!ctx.purpose) return ids.map(() => "hidden" as const);
        const byOrg = new Map<string, string[]>();
        for (const id of new Set(ids)) {
          const org = ownerOf(id);
          if (org && ctx.forces.orgs.includes(org)) byOrg.set(org, [...(byOrg.get(org) ?? []), id]);
        }
        const { answers, unavailable } = await ctx.forces.askAll([...byOrg.keys()], "visible", (org) => ({ ids: byOrg.get(org)! }), {
          token: ctx.token,
          purpose: ctx.purpose,
          requestId: ctx.requestId,
        });
        const visible = new Set([...answers.values()].flatMap((a) => a.visible));
        const down = new Set(unavailable);
        return ids.map((id) => (visible.has(id) ? "visible" : down.has(ownerOf(id) ?? "") ? "unavailable" : "hidden"));
      },
      { maxBatchSize: 200 },
    );
    loaders.set(ctx, loader);
  }
  return loader.load(id);
}

/**
 * Whether the owner lets the caller read the record (or know of the monitoring assignment). An owner that does not answer counts as a
 * refusal, so a reference inside a larger answer reads as one to a record the caller may not see.
 */
export async function ownerLetsRead(ctx: HubContext, id: string): Promise<boolean> {
  return (await ownerAnswer(ctx, id)) === "visible";
}

/**
 * A record asked for by id: its stub when the owner lets the caller read it, plain null when it
 * does not (or nothing has that id), so that the answer carries no sign of which; UNAVAILABLE,
 * naming the org, when the owner does not answer.
 */
export async function byIdFromOwner<T extends { id: string }>(ctx: HubContext, stub: T | null): Promise<T | null> {
  if (!stub) return null;
  const answer = await ownerAnswer(ctx, stub.id);
  if (answer === "unavailable") {
    const org = parseGlobalId(stub.id)!.org;
    throw appError("UNAVAILABLE", `${org} is unavailable: it did not answer`, { service: org });
  }
  return answer === "visible" ? stub : null;
}
