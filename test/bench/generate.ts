/**
 * Bulk loads for the national-scale benchmark: the hub's selector index to millions of pointers and a force to a
 * hundred thousand identities with their links, through the same tables and the same keyed forms as the services
 * write, far faster than the API (batched multi-row inserts, the index's search indexes rebuilt once at the end).
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { keyedHandle, keyedHandleWords, keyedSelector, sealSelector, type SelectorKeyRing } from "@interforce/auth";

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const PLATFORMS = ["SNAPCHAT", "INSTAGRAM", "DISCORD", "TIKTOK", "KIK", "TELEGRAM", "WHATSAPP", "ROBLOX"];
const CLASSIFICATIONS = ["OFFICIAL", "OFFICIAL", "OFFICIAL", "OFFICIAL_SENSITIVE", "SECRET"];

/** A small fast generator, seeded, so two runs load the same data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const word = (r: () => number, n: number) => Array.from({ length: n }, () => ALNUM[Math.floor(r() * 36)]).join("");

/** Handles in clusters of four known near-duplicates: a base and three variants (suffix, truncation, one letter changed). */
export function nearDuplicateHandles(r: () => number, count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const base = word(r, 7 + Math.floor(r() * 7));
    out.push(base, `${base}${word(r, 2)}`, base.slice(0, -1), `${base.slice(0, 3)}${word(r, 1)}${base.slice(4)}`);
  }
  return out.slice(0, count);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const progress = (label: string, done: number, total: number, t0: number) => {
  const s = (Date.now() - t0) / 1000;
  process.stdout.write(
    `\r${label}: ${done.toLocaleString("en-GB")} / ${total.toLocaleString("en-GB")} (${Math.round(done / Math.max(s, 0.001)).toLocaleString("en-GB")}/s)   `,
  );
  if (done === total) process.stdout.write("\n");
};

/**
 * Adds `count` pointers to the hub's index, spread over `orgs`, keyed under the ring's current key as the hub keys
 * them. The trigram and handle indexes are dropped for the load and rebuilt once, as a bulk load into PostgreSQL is done.
 */
export async function loadHubPointers(hubOwnerUrl: string, keys: SelectorKeyRing, opts: { count: number; orgs: string[]; seed?: number }): Promise<void> {
  const r = rng(opts.seed ?? 42);
  const key = keys.current;
  const BATCH = 5000;
  const t0 = Date.now();
  await withClient(hubOwnerUrl, async (c) => {
    await c.query("DROP INDEX IF EXISTS selector_pointer_handle_words, selector_pointer_handle_mac, selector_pointer_lookup");
    for (let done = 0; done < opts.count;) {
      const n = Math.min(BATCH, opts.count - done);
      const handles = nearDuplicateHandles(r, n);
      const cols: unknown[][] = Array.from({ length: 12 }, () => []);
      for (const h of handles) {
        const org = opts.orgs[Math.floor(r() * opts.orgs.length)]!;
        const platform = PLATFORMS[Math.floor(r() * PLATFORMS.length)]!;
        const selector = `${h}@${platform.toLowerCase()}`;
        const row = [
          `${org}:identity:${randomUUID()}`,
          keyedSelector(key, selector),
          key.id,
          keyedHandle(key, h),
          keyedHandleWords(key, h),
          sealSelector(keys, selector),
          org,
          platform,
          CLASSIFICATIONS[Math.floor(r() * CLASSIFICATIONS.length)]!,
          r() < 0.9 ? "P" : "C",
          r() < 0.03,
          randomUUID(),
        ];
        row.forEach((v, i) => cols[i]!.push(v));
      }
      await c.query(
        `INSERT INTO selector_pointer (record_id, selector, key_id, handle_mac, handle_words, selector_sealed, org, kind, platform, classification, handling, handling_orgs, covert, review_due, last_event_id, updated_at)
         SELECT a, b, c, d, e, f, g, 'identity', h, i, j, '{}', k, NULL, l, now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::uuid[])
             AS t(a, b, c, d, e, f, g, h, i, j, k, l)`,
        cols,
      );
      done += n;
      progress("hub pointers", done, opts.count, t0);
    }
    const t1 = Date.now();
    console.log("rebuilding the index's lookup, handle and trigram indexes…");
    await c.query("SET maintenance_work_mem = '256MB'");
    await c.query(`CREATE INDEX selector_pointer_lookup ON selector_pointer (selector)`);
    await c.query(`CREATE INDEX selector_pointer_handle_mac ON selector_pointer (handle_mac) WHERE handle_mac IS NOT NULL`);
    await c.query(`CREATE INDEX selector_pointer_handle_words ON selector_pointer USING gin (handle_words gin_trgm_ops) WHERE handle_words IS NOT NULL`);
    await c.query("VACUUM ANALYZE selector_pointer");
    console.log(`indexes rebuilt in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  });
}

/**
 * Adds `identities` identities and `links` links between them to a force's database, as its own records (no outbox:
 * the hub's index is loaded separately), marked as the force marks them.
 */
export async function loadForceRecords(forceOwnerUrl: string, org: string, opts: { identities: number; links: number; seed?: number }): Promise<void> {
  const t0 = Date.now();
  await withClient(forceOwnerUrl, async (c) => {
    const seed = opts.seed ?? 7;
    // Generated in SQL: a hundred thousand rows in seconds.
    await c.query(
      `INSERT INTO online_identity (id, platform, handle, normalised_handle, status, notes, last_seen,
         classification, source_eval, assessment, handling, handling_orgs, covert, created_by, created_at, updated_at)
       SELECT gen_random_uuid(), (ARRAY['SNAPCHAT','INSTAGRAM','DISCORD','TIKTOK'])[1 + (g % 4)], 'bulk_' || g || '_' || $2::int, 'bulk' || g || 'x' || $2::int,
              (ARRAY['SUSPECT','SUSPECT','UNKNOWN','VICTIM_AT_RISK'])[1 + (g % 4)], 'generated', now() - ((g % 1000) || ' hours')::interval,
              (ARRAY['OFFICIAL','OFFICIAL','OFFICIAL_SENSITIVE','SECRET'])[1 + (g % 4)], '2', 'B', 'P', '{}', (g % 50) = 0,
              'bench@' || lower($1), now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
         FROM generate_series(1, $3::int) AS g`,
      [org, seed, opts.identities],
    );
    progress(`${org} identities`, opts.identities, opts.identities, t0);
    const t1 = Date.now();
    // Links between generated identities, by global id as the force keeps link ends.
    await c.query(
      `WITH ids AS (SELECT $1 || ':identity:' || id AS gid, row_number() OVER (ORDER BY id) AS n FROM online_identity WHERE created_by = 'bench@' || lower($1)),
            total AS (SELECT count(*) AS c FROM ids)
       INSERT INTO suspect_link (id, from_id, to_identity_id, link_type, rationale, classification, source_eval, assessment, handling, handling_orgs, covert,
         created_by, created_at, updated_at)
       SELECT gen_random_uuid(), a.gid, b.gid, (ARRAY['COMMUNICATES_WITH','ALIAS_OF','SAME_PERSON'])[1 + (g % 3)], 'generated',
              'OFFICIAL', '2', 'B', 'P', '{}', false, 'bench@' || lower($1), now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
         FROM generate_series(1, $2::int) AS g CROSS JOIN total
         JOIN ids a ON a.n = 1 + (g::bigint * 7919) % total.c
         JOIN ids b ON b.n = 1 + (g::bigint * 104729 + 13) % total.c
        WHERE a.gid <> b.gid`,
      [org, opts.links],
    );
    progress(`${org} links`, opts.links, opts.links, t1);
    await c.query("VACUUM ANALYZE online_identity");
    await c.query("VACUUM ANALYZE suspect_link");
  });
}
