import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { emailSelector, handleSelector, normaliseHandle, phoneSelector, type RecordKind } from "@interforce/domain";
import { decide, type Decision } from "@interforce/policy";
import { AccessInfo, authorize, badInput, PlatformEnum } from "@interforce/server-kit";
import { PointerRow } from "../db/entities.js";
import { activeGrants, pointerRecord } from "../modules/access-requests.js";
import { loadAgreements } from "../modules/agreements.js";
import { raiseOnSearch } from "../modules/deconfliction.js";
import type { HubContext } from "./context.js";
import { HubOnlineIdentity, HubPageInfo, Org, orgByCode, orgView, stubFor } from "./hub-types.js";

const MatchEnum = { EXACT: "EXACT", FUZZY: "FUZZY" } as const;
registerEnumType(MatchEnum, { name: "SearchMatch", description: "EXACT: the same selector after normalisation; FUZZY: a similar handle (trigram)." });

@ObjectType("SearchHit", { description: "A match: FULL with the record, or POINTER (hit/no-hit) with only its owner and whom to ask." })
class SearchHit {
  @Field(() => ID, { description: "Quote it in requestAccess to ask the owner for the record." }) recordId: string;
  @Field(() => Org) org: Org;
  @Field(() => String, { description: "The normalised selector that matched." }) selector: string;
  @Field(() => MatchEnum) match: string;
  @Field(() => Float, {
    description: "1 for exact matches; trigram similarity for fuzzy ones you may read; for a fuzzy POINTER, the similarity threshold only.",
  })
  score: number;
  @Field(() => AccessInfo) access: AccessInfo;
  @Field(() => HubOnlineIdentity, { nullable: true, description: "The record, fetched from and decided again by its owner; null unless FULL." })
  identity: HubOnlineIdentity | null;
}

@ObjectType("SearchResult")
class SearchResult {
  @Field(() => [SearchHit]) hits: SearchHit[];
  @Field(() => HubPageInfo) pageInfo: HubPageInfo;
}

const MAX_PAGE = 100;
/** Similar handles read and screened for one search at most. */
const FUZZY_CANDIDATES = 10_000;
const FUZZY_THRESHOLD = 0.35;

type Candidate = { row: PointerRow; match: "EXACT" | "FUZZY"; score: number };

/** What a query string asks for: an email, a phone number, or a handle. */
function interpret(query: string, platform: string | null): { selectors: string[]; handleKey: string | null } {
  if (query.includes("@") && !query.trim().startsWith("@")) {
    const email = emailSelector(query);
    if (email) return { selectors: [email], handleKey: null };
  }
  if (/^[\d\s()+.-]{7,25}$/.test(query.trim())) {
    const phone = phoneSelector(query);
    if (phone) return { selectors: [phone], handleKey: null };
  }
  const key = normaliseHandle(query);
  if (!key) throw badInput("query has no letters or digits to match on", "query");
  return { selectors: platform ? [handleSelector(query, platform)] : [], handleKey: key };
}

@Resolver()
class SearchResolver {
  @Query(() => SearchResult, {
    description:
      "Who holds this selector: a handle (normalised; on one platform or all), an email address or a phone number. Exact selector hits first, then, with fuzzy, similar handles ranked by similarity. Each hit is FULL or POINTER by policy; records the caller may not know of are not counted.",
  })
  async search(
    @Ctx() ctx: HubContext,
    @Arg("query", () => String, { nullable: true }) query: string | null,
    @Arg("selector", () => String, { nullable: true, deprecationReason: "Use query." }) selector: string | null,
    @Arg("platform", () => PlatformEnum, { nullable: true }) platform: string | null,
    @Arg("fuzzy", () => Boolean, { defaultValue: false }) fuzzy: boolean,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<SearchResult> {
    await authorize(ctx.principal, "selector.search", { purpose: ctx.purpose });
    const q = query ?? selector;
    if (!q || !q.trim()) throw badInput("query is required", "query");
    if (q.length > 200) throw badInput("query is longer than 200 characters", "query");
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`, "first");
    const offset = after == null ? 0 : Number(after);
    if (!Number.isInteger(offset) || offset < 0) throw badInput("after is not a cursor returned by this search", "after");
    const { selectors, handleKey } = interpret(q, platform);

    const repo = ctx.db.getRepository(PointerRow);
    const exactRows = selectors.length
      ? await repo.createQueryBuilder("p").where("p.selector IN (:...selectors)", { selectors }).getMany()
      : await repo.createQueryBuilder("p").where("p.handle_key = :key", { key: handleKey }).getMany();
    const candidates = new Map<string, Candidate>();
    for (const row of exactRows) candidates.set(row.recordId, { row, match: "EXACT", score: 1 });

    const inputs = { agreements: await loadAgreements(ctx.db), grants: await activeGrants(ctx.db), now: new Date() };
    const screen = (c: Candidate) => ({ ...c, decision: decide(ctx.principal, pointerRecord(c.row), inputs, "search") as Decision });
    // The hub screens pointers with the same policy the owners apply; a pointer the
    // principal may not know of is dropped here, so it is not even counted.
    const decided = [...candidates.values()].map(screen).filter((c) => c.decision.level !== "NONE");
    if (fuzzy && handleKey) {
      // Every similar handle is read (up to FUZZY_CANDIDATES) and screened before paging, so
      // records the caller may not know of never take the places of those it may: neither
      // the hits, their order nor hasNextPage depend on them.
      const qb = repo
        .createQueryBuilder("p")
        .addSelect("similarity(p.handle_key, :key)", "score")
        .where("p.handle_key IS NOT NULL AND similarity(p.handle_key, :key) >= :threshold", { key: handleKey, threshold: FUZZY_THRESHOLD })
        .orderBy("score", "DESC")
        .addOrderBy("p.recordId", "ASC")
        .limit(FUZZY_CANDIDATES);
      if (platform) qb.andWhere("p.platform = :platform", { platform });
      const { entities, raw } = await qb.getRawAndEntities();
      entities.forEach((row, i) => {
        if (candidates.has(row.recordId)) return;
        const c: Candidate = { row, match: "FUZZY", score: Number((raw[i] as { score: number }).score) };
        candidates.set(row.recordId, c);
        const d = screen(c);
        if (d.decision.level !== "NONE") decided.push(d);
      });
    }
    // A fuzzy POINTER says only that the owner holds a similar handle: its similarity to a
    // handle the caller may not read is not given, so repeated queries cannot home in on it.
    for (const d of decided) if (d.match === "FUZZY" && d.decision.level !== "FULL") d.score = FUZZY_THRESHOLD;
    decided.sort((a, b) => b.score - a.score || a.row.org.localeCompare(b.row.org) || a.row.recordId.localeCompare(b.row.recordId));
    const page = decided.slice(offset, offset + first);

    // Deconfliction: holders of an exactly matching selector are told, covert ones included.
    await raiseOnSearch(
      ctx.db,
      ctx.principal.org,
      exactRows.map((r) => ({ recordId: r.recordId, org: r.org, covert: r.covert, selector: r.selector })),
    );
    await ctx.audit.record({
      action: "CONSULTATION",
      operation: "search",
      principal: ctx.principal,
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      records: page.map((d) => ({ id: d.row.recordId, kind: d.row.kind as RecordKind, level: d.decision.level, reason: d.decision.reason })),
      detail: { selectors, handleKey, platform, fuzzy, hits: page.length },
    });
    return {
      hits: page.map(({ row, decision, match, score }) => {
        const owner = orgByCode(row.org)!;
        return {
          recordId: row.recordId,
          org: orgView(owner),
          // A fuzzy POINTER must not disclose the hidden handle it matched: the caller gets back its own query.
          selector: decision.level === "FULL" || match === "EXACT" ? row.selector : (selectors[0] ?? `${handleKey}`),
          match,
          score: Math.round(score * 1000) / 1000,
          access: { level: decision.level, reason: decision.reason, contact: owner.spoc },
          identity: decision.level === "FULL" ? (stubFor(row.recordId, "identity") as never) : null,
        };
      }),
      pageInfo: { endCursor: page.length ? String(offset + page.length) : null, hasNextPage: offset + first < decided.length },
    };
  }
}

export const SEARCH_RESOLVERS = [SearchResolver] as const;
