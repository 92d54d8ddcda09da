import { z } from "zod";
import { INTELLIGENCE_ASSESSMENTS, LINK_TYPES, SOURCE_EVALUATIONS } from "@interforce/domain";

/**
 * Questions the hub asks a force on behalf of a principal (POST /internal/hub-query), for
 * answers that span forces. The hub validates what it asks and what it is told with these
 * schemas; the force validates the question with the same ones before it answers.
 */

export const INTERNAL_QUERY_PATH = "/internal/hub-query";

const GlobalIdText = z.string().max(100);
const Ids = z.array(GlobalIdText).max(500);
/** The hub's largest page (100) plus the one row past it that tells the hub whether there is more. */
const First = z.number().int().min(1).max(101);
/** Keyset position: (time DESC, global id ASC), the same order at every force, so the hub can merge pages. */
const Cursor = z.object({ t: z.number().int(), id: GlobalIdText }).nullish();
/** One row of a page: its id and the time it sorts by. */
const PageKey = z.object({ id: GlobalIdText, t: z.number().int() });
const Page = z.object({ nodes: z.array(PageKey).max(101) });

const WireLink = z.object({
  id: GlobalIdText,
  fromId: GlobalIdText,
  toIdentityId: GlobalIdText.nullable(),
  toForumId: GlobalIdText.nullable(),
  linkType: z.enum(LINK_TYPES),
});
export type WireLink = z.infer<typeof WireLink>;

export const internalQueries = {
  /** Which of these ids of the force's records the principal may read in full. */
  visible: {
    request: z.object({ ids: Ids }),
    response: z.object({ visible: Ids }),
  },
  /** The links the principal may read that touch any of these ids (up to 1 000, newest first). */
  links: {
    request: z.object({ ids: Ids, types: z.array(z.enum(LINK_TYPES)).max(5).nullish() }),
    response: z.object({ links: z.array(WireLink).max(1000) }),
  },
  /** One page of the identities the principal may read, newest sighting first. */
  identities: {
    request: z.object({
      first: First,
      after: Cursor,
      platform: z.string().max(30).nullish(),
      status: z.string().max(30).nullish(),
      lastSeenFrom: z.iso.datetime().nullish(),
      lastSeenTo: z.iso.datetime().nullish(),
      source: z.array(z.enum(SOURCE_EVALUATIONS)).max(3).nullish(),
      assessment: z.array(z.enum(INTELLIGENCE_ASSESSMENTS)).max(5).nullish(),
    }),
    response: Page,
  },
  /** One page of the forums the principal may read, newest first. */
  forums: {
    request: z.object({
      first: First,
      after: Cursor,
      platform: z.string().max(30).nullish(),
      kind: z.string().max(30).nullish(),
    }),
    response: Page,
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

type Queries = typeof internalQueries;
export type InternalQueryName = keyof Queries;
export const INTERNAL_QUERY_NAMES = Object.keys(internalQueries) as [InternalQueryName, ...InternalQueryName[]];
/** The arguments as the hub writes them. */
export type InternalQueryRequest<Q extends InternalQueryName> = z.input<Queries[Q]["request"]>;
/** The arguments as the force reads them, after validation. */
export type InternalQueryArgs<Q extends InternalQueryName> = z.output<Queries[Q]["request"]>;
/** The answer, as the force writes it and the hub reads it after validation. */
export type InternalQueryResponse<Q extends InternalQueryName> = z.output<Queries[Q]["response"]>;
/** A validated question, narrowed by its name: `switch (q.query)` types `q.args`. */
export type InternalQuery = { [Q in InternalQueryName]: { query: Q; args: InternalQueryArgs<Q> } }[InternalQueryName];

/**
 * The body of a call. The principal's token travels with it and is verified by the force;
 * the purpose and the request id are checked there on their own (so each refusal is audited
 * as what it is), and the arguments against the query's own request schema.
 */
export const InternalQueryBody = z.preprocess(
  // Hubs before the contracts package named the query `op`; a force still answers them.
  (raw) =>
    raw !== null && typeof raw === "object" && !Array.isArray(raw) && !("query" in raw) && "op" in raw ? { ...raw, query: (raw as { op: unknown }).op } : raw,
  z.object({
    query: z.enum(INTERNAL_QUERY_NAMES),
    token: z.string().min(10).max(8192),
    /** NUL cannot be stored in the audit log. */
    purpose: z
      .string()
      .max(500)
      .regex(/^[^\u0000]*$/)
      .optional(),
    requestId: z.unknown(),
    args: z.record(z.string(), z.unknown()),
  }),
);
/** The body as the hub sends it. */
export type InternalQueryCall<Q extends InternalQueryName = InternalQueryName> = {
  query: Q;
  token: string;
  purpose: string;
  requestId: string;
  args: InternalQueryRequest<Q>;
};

/** Validates a query's arguments with its own schema. */
export function parseInternalQuery(query: InternalQueryName, args: unknown): { ok: true; value: InternalQuery } | { ok: false; error: z.ZodError } {
  const r = internalQueries[query].request.safeParse(args);
  // The map's key and its schema's output correspond; TypeScript cannot correlate the two unions.
  return r.success ? { ok: true, value: { query, args: r.data } as InternalQuery } : { ok: false, error: r.error };
}
