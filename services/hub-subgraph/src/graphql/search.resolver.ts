import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { emailSelector, handleSelector, normaliseHandle, phoneSelector, type RecordKind } from "@interforce/domain";
import { decide, type Decision } from "@interforce/policy";
import { keyedHandle, keyedHandleWords, keyedSelector, openSelector, sealSelector } from "@interforce/auth";
import { AccessInfo, authorize, badInput, PlatformEnum } from "@interforce/server-kit";
import { PointerRow } from "../db/entities.js";
import { pointerRecord } from "../modules/access-requests.js";
import { raiseOnSearch } from "../modules/deconfliction.js";
import { FUZZY_THRESHOLD } from "../modules/fuzzy.js";
import type { HubContext } from "./context.js";
import { HubOnlineIdentity, PageInfo, Org, orgByCode, orgView, stubFor } from "./hub-types.js";
import { loadPolicyInputs } from "../modules/policy-inputs.js";
import { checkFirst, decodeCursor, encodeCursor, isOffsetKey } from "../modules/cursor.js";

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
  @Field(() => [SearchHit]) nodes: SearchHit[];
  @Field(() => [SearchHit], { deprecationReason: "Use nodes." }) hits: SearchHit[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

type Candidate = { row: PointerRow; match: "EXACT" | "FUZZY"; score: number; plain: string | null };

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

const POINTER_COLUMNS = `p.record_id AS "recordId", p.selector, p.key_id AS "keyId", p.selector_sealed AS "selectorSealed", p.org, p.kind, p.platform,
  p.classification, p.handling, p.handling_orgs AS "handlingOrgs", p.covert, p.review_due AS "reviewDue"`;

/** Exact matches: the query's selectors (or its handle on every platform) keyed under every key of the ring. */
async function exactMatches(ctx: HubContext, selectors: string[], handleKey: string | null): Promise<Candidate[]> {
  if (selectors.length) {
    const plainOf = new Map(selectors.flatMap((s) => ctx.keys.keys.map((k) => [keyedSelector(k, s), s] as const)));
    const rows: PointerRow[] = await ctx.db.query(`SELECT ${POINTER_COLUMNS} FROM selector_pointer p WHERE p.selector = ANY($1)`, [[...plainOf.keys()]]);
    return rows.map((row) => ({ row, match: "EXACT", score: 1, plain: plainOf.get(row.selector)! }));
  }
  const macs = ctx.keys.keys.map((k) => keyedHandle(k, handleKey!));
  const rows: PointerRow[] = await ctx.db.query(`SELECT ${POINTER_COLUMNS} FROM selector_pointer p WHERE p.handle_mac = ANY($1)`, [macs]);
  return rows.map((row) => ({ row, match: "EXACT", score: 1, plain: `${handleKey}@${row.platform.toLowerCase()}` }));
}

/**
 * Similar handles: keyed trigram letters compared by pg_trgm (`%` at the threshold, served by the trigram index), under
 * every key of the ring. The similarity of two keyed strings is the plain similarity of their handles.
 */
async function fuzzyMatches(ctx: HubContext, handleKey: string, platform: string | null): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const key of ctx.keys.keys) {
    const words = keyedHandleWords(key, handleKey);
    if (!words) continue;
    // `%` (served by the trigram index) at the threshold the hub's connections set; the similarity test keeps the answer
    // exact on a connection that did not set it.
    const rows: (PointerRow & { score: number })[] = await ctx.db.query(
      `SELECT ${POINTER_COLUMNS}, similarity(p.handle_words, $1) AS score FROM selector_pointer p
        WHERE p.handle_words % $1 AND similarity(p.handle_words, $1) >= $4 AND p.key_id = $2 AND ($3::text IS NULL OR p.platform = $3)`,
      [words, key.id, platform, FUZZY_THRESHOLD],
    );
    for (const r of rows) out.push({ row: r, match: "FUZZY", score: Number(r.score), plain: null });
  }
  return out;
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
    checkFirst(first);
    const offset = decodeCursor(ctx.keys, after, isOffsetKey)?.o ?? 0;
    const { selectors, handleKey } = interpret(q, platform);

    const exactRows = await exactMatches(ctx, selectors, handleKey);
    const candidates = new Map<string, Candidate>();
    for (const c of exactRows) candidates.set(c.row.recordId, c);

    const inputs = { ...(await loadPolicyInputs(ctx.db)), now: new Date() };
    const screen = (c: Candidate) => ({ ...c, decision: decide(ctx.principal, pointerRecord(c.row), inputs, "search") as Decision });
    // The hub screens pointers with the same policy the owners apply; a pointer the
    // principal may not know of is dropped here, so it is not even counted.
    const decided = [...candidates.values()].map(screen).filter((c) => c.decision.level !== "NONE");
    if (fuzzy && handleKey) {
      // Every similar handle is read and screened before paging, so records the caller may
      // not know of never take the places of those it may: neither the hits, their order
      // nor hasNextPage depend on them.
      for (const c of await fuzzyMatches(ctx, handleKey, platform)) {
        if (candidates.has(c.row.recordId)) continue;
        candidates.set(c.row.recordId, c);
        const d = screen(c);
        if (d.decision.level !== "NONE") decided.push(d);
      }
    }
    // A fuzzy POINTER says only that the owner holds a similar handle: its similarity to a
    // handle the caller may not read is not given, so repeated queries cannot home in on it.
    for (const d of decided) if (d.match === "FUZZY" && d.decision.level !== "FULL") d.score = FUZZY_THRESHOLD;
    decided.sort((a, b) => b.score - a.score || a.row.org.localeCompare(b.row.org) || a.row.recordId.localeCompare(b.row.recordId));
    const page = decided.slice(offset, offset + first);

    // Deconfliction: holders of an exactly matching selector are told, covert ones included.
    await raiseOnSearch(
      ctx.db,
      ctx.keys,
      ctx.principal.org,
      exactRows.map((c) => ({ recordId: c.row.recordId, org: c.row.org, covert: c.row.covert, selector: c.plain! })),
    );
    await ctx.audit.record({
      action: "CONSULTATION",
      operation: "search",
      principal: ctx.principal,
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      records: page.map((d) => ({ id: d.row.recordId, kind: d.row.kind as RecordKind, level: d.decision.level, reason: d.decision.reason })),
      // What was asked, sealed under the selector key: the audit is in the hub's database too.
      detail: { query: sealSelector(ctx.keys, q), platform, fuzzy, hits: page.length },
    });
    const nodes = page.map(({ row, decision, match, score, plain }) => {
      const owner = orgByCode(row.org)!;
      return {
        recordId: row.recordId,
        org: orgView(owner),
        // A fuzzy POINTER must not disclose the hidden handle it matched: the caller gets back its own query.
        selector:
          match === "EXACT"
            ? plain!
            : decision.level === "FULL"
              ? (openSelector(ctx.keys, row.selectorSealed) ?? `${handleKey}`)
              : (selectors[0] ?? `${handleKey}`),
        match,
        score: Math.round(score * 1000) / 1000,
        access: { level: decision.level, reason: decision.reason, contact: owner.spoc },
        identity: decision.level === "FULL" ? (stubFor(row.recordId, "identity") as never) : null,
      };
    });
    return {
      nodes,
      hits: nodes,
      pageInfo: { endCursor: page.length ? encodeCursor(ctx.keys, { o: offset + page.length }) : null, hasNextPage: offset + first < decided.length },
    };
  }
}

export const SEARCH_RESOLVERS = [SearchResolver] as const;
