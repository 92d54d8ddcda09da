/**
 * Synthetic demo intelligence: no real names, handles from a generator, written through
 * each force's own RecordService so every identity reaches the hub by the outbox.
 */
import { AuditLog } from "@interforce/audit";
import type { DatabaseUrls } from "@interforce/db";
import { classificationRank, FORUM_KINDS, formatGlobalId, loadRegistry, type Classification, type Principal } from "@interforce/domain";
import {
  createForceDataSource,
  IdentityRow,
  MonitoringService,
  ownerContext,
  RecordService,
  recordSighting,
  type ForceContext,
} from "@interforce/force-subgraph";

/** The handle two forces hold, in two spellings that normalise alike. */
export const SHARED_HANDLE = { KENT: "D4rk_Angel.99", NORFOLK: "dark.angel_99", platform: "SNAPCHAT" } as const;
/** The phone number on both of those records, written two ways (Ofcom's drama range). */
export const SHARED_PHONE = { KENT: "07700 900123", NORFOLK: "+44 7700 900123" } as const;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ADJ = ["silent", "midnight", "lucky", "frosty", "neon", "shadow", "cosmic", "velvet", "rapid", "hidden", "sunny", "wild"];
const NOUN = ["fox", "gamer", "rider", "wolf", "angel", "pixel", "storm", "ghost", "tiger", "comet", "raven", "skater"];
const PLATFORMS = ["SNAPCHAT", "INSTAGRAM", "TIKTOK", "DISCORD", "TELEGRAM", "KIK", "ROBLOX"] as const;

export interface SeedOptions {
  urls: Record<string, DatabaseUrls>;
  scale: number;
  log: (m: string) => void;
  /** Add to forces that already hold data (fresh handles), instead of leaving them alone. */
  append?: boolean;
  /** The orgs to seed (default: every org of the registry); the others are left empty. */
  orgs?: string[];
}

const markings = (r: () => number, overrides: Record<string, unknown> = {}) => ({
  classification: r() < 0.15 ? "SECRET" : r() < 0.5 ? "OFFICIAL_SENSITIVE" : "OFFICIAL",
  source: String(1 + Math.floor(r() * 3)),
  assessment: "ABCDE"[Math.floor(r() * 5)],
  handling: "P",
  covert: false,
  ...overrides,
});

/** MoPI review: most records are due in a year; every ninth is past its review date (withheld from other orgs until reviewed). */
const review = (n: number) => ({ reviewDue: new Date(Date.now() + (n % 9 === 7 ? -10 : 365) * 86400000) });

export async function seedDemo({ urls, scale, log, append = false, orgs: only }: SeedOptions): Promise<void> {
  const salt = append ? Date.now() % 100000 : 0;
  const orgs = loadRegistry().orgs.filter((o) => !only || only.includes(o.code));
  const identitiesPerOrg = 8 * scale;
  const forumsPerOrg = 3 * scale;
  const linksPerOrg = 6 * scale;
  const ids: Record<string, string[]> = {};
  // Other orgs never know a covert decoy's id: cross-force links and sightings avoid them.
  const covertIds = new Set<string>();
  // Each record's markings: a link is marked at least as covert and as high as its own-org ends.
  const marked = new Map<string, { covert: boolean; classification: Classification }>();
  const forums: Record<string, string[]> = {};
  const assignmentsPerOrg = 2 * scale;
  const sightingsPerOrg = 3 * scale;
  const writers: { org: string; svc: RecordService; ctx: ForceContext; who: Principal; close: () => Promise<void> }[] = [];

  for (const org of orgs) {
    const db = createForceDataSource(urls[org.code]!.appUrl, "interforce-seed");
    await db.initialize();
    if (!append && (await db.getRepository(IdentityRow).count()) > 0) {
      log(`${org.code}: already has data, left as it is`);
      await db.destroy();
      continue;
    }
    const meta = { requestId: `seed-${Date.now()}`, purpose: "demo data seed" };
    const who: Principal = { sub: `seed@${org.code.toLowerCase()}`, org: org.code, roles: ["SERVICE"], clearance: "SECRET", covert: true };
    const audit = new AuditLog(db);
    writers.push({
      org: org.code,
      svc: new RecordService(db, org.code, audit, meta),
      ctx: ownerContext({ org, db, audit, principal: who, ...meta }),
      who,
      close: () => db.destroy(),
    });
  }
  if (writers.length === 0) return;
  const total = writers.length * (identitiesPerOrg + forumsPerOrg + linksPerOrg + assignmentsPerOrg + sightingsPerOrg);
  let done = 0;
  const started = Date.now();
  let lastReport = 0;
  const progress = () => {
    done++;
    // A line at most every 2 s and at the end, with the rate, so long runs show they move.
    if (done === total || Date.now() - lastReport > 2000) {
      lastReport = Date.now();
      const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
      log(`${done}/${total} records (${Math.floor((100 * done) / total)}%, ${rate.toFixed(0)}/s)`);
    }
  };

  for (const [i, w] of writers.entries()) {
    const r = prng(1000 + i * 7919 + salt);
    ids[w.org] = [];
    forums[w.org] = [];
    for (let n = 0; n < identitiesPerOrg; n++) {
      const handle = `${ADJ[Math.floor(r() * ADJ.length)]}_${NOUN[Math.floor(r() * NOUN.length)]}${Math.floor(r() * 900 + 100)}`;
      // A few decoys (covert, run by the force's own officers) and C-handled records per force.
      const decoy = n % 7 === 3;
      const identityMarkings = markings(r, {
        ...review(n),
        ...(decoy
          ? { covert: true, classification: "SECRET" }
          : n % 6 === 5
            ? { handling: "C", conditions: "Share with CEOP only; no onward disclosure.", conditionsOrgs: ["CEOP"] }
            : {}),
      });
      const row = await w.svc.recordIdentity(w.who, {
        platform: PLATFORMS[Math.floor(r() * PLATFORMS.length)],
        handle,
        displayName: handle.replace(/_/g, " "),
        status: decoy ? "DECOY" : n % 5 === 0 ? "VICTIM_AT_RISK" : "SUSPECT",
        notes: decoy ? "Decoy profile run under authority; do not disclose." : "Seen approaching under-16s in public rooms.",
        firstSeen: new Date(Date.now() - (30 + n) * 86400000),
        lastSeen: new Date(Date.now() - n * 3600000),
        // Some accounts come with the email or phone an investigation tied to them (Ofcom drama numbers).
        ...(n % 4 === 1 ? { emails: [`${handle}@mail.example`], phones: [`07700 900${200 + Math.floor(r() * 800)}`] } : {}),
        markings: identityMarkings,
      });
      ids[w.org]!.push(formatGlobalId(w.org, "identity", row.id));
      if (decoy) covertIds.add(formatGlobalId(w.org, "identity", row.id));
      marked.set(formatGlobalId(w.org, "identity", row.id), identityMarkings as { covert: boolean; classification: Classification });
      progress();
    }
    for (let n = 0; n < forumsPerOrg; n++) {
      const kind = FORUM_KINDS[(n + i) % FORUM_KINDS.length]!;
      const forumMarkings = markings(r, review(n + 1));
      const row = await w.svc.recordForum(w.who, {
        platform: PLATFORMS[(n + i) % PLATFORMS.length],
        name: `${ADJ[(n * 3 + i) % ADJ.length]} ${NOUN[(n * 5 + i) % NOUN.length]} ${kind.toLowerCase().replace("_", " ")}`,
        url: `https://example.invalid/${w.org.toLowerCase()}/forum/${n}`,
        kind,
        riskSummary: "Open room with adults and minors mixing; grooming approaches reported.",
        // Every third forum is high risk; monitoring below leaves some of them unwatched.
        riskLevel: n % 3 === 0 ? "HIGH" : n % 3 === 1 ? "MEDIUM" : "LOW",
        markings: forumMarkings,
      });
      forums[w.org]!.push(formatGlobalId(w.org, "forum", row.id));
      marked.set(formatGlobalId(w.org, "forum", row.id), forumMarkings as { covert: boolean; classification: Classification });
      progress();
    }
  }

  // The shared handle: KENT and NORFOLK both hold it, and KENT links the two.
  const kent = writers.find((w) => w.org === "KENT");
  const norfolk = writers.find((w) => w.org === "NORFOLK");
  if (kent && norfolk && !append) {
    const shared = { platform: SHARED_HANDLE.platform, status: "SUSPECT", notes: "Requests images; moves chats to private apps." };
    const k = await kent.svc.recordIdentity(kent.who, {
      ...shared,
      handle: SHARED_HANDLE.KENT,
      phones: [SHARED_PHONE.KENT],
      markings: { classification: "OFFICIAL_SENSITIVE", source: "2", assessment: "B", handling: "P", covert: false },
    });
    const nf = await norfolk.svc.recordIdentity(norfolk.who, {
      ...shared,
      handle: SHARED_HANDLE.NORFOLK,
      phones: [SHARED_PHONE.NORFOLK],
      markings: { classification: "OFFICIAL", source: "2", assessment: "C", handling: "P", covert: false },
    });
    await kent.svc.linkIdentities(kent.who, {
      fromId: formatGlobalId("KENT", "identity", k.id),
      toIdentityId: formatGlobalId("NORFOLK", "identity", nf.id),
      linkType: "SAME_PERSON",
      rationale: "Same handle after normalisation, same grooming script, overlapping activity hours.",
      // As high as KENT's own end of it.
      markings: { classification: "OFFICIAL_SENSITIVE", source: "2", assessment: "B", handling: "P", covert: false },
    });
    await recordSighting(
      norfolk.ctx,
      norfolk.who,
      {
        identityId: formatGlobalId("KENT", "identity", k.id),
        seenAt: new Date(Date.now() - 2 * 3600000),
        note: "Same grooming script seen in a Norfolk public room.",
        classification: "OFFICIAL",
      },
      null,
    );
    log("shared handle and phone held by KENT and NORFOLK, linked by KENT, sighted by NORFOLK");
  }

  for (const [i, w] of writers.entries()) {
    const r = prng(5000 + i * 104729 + salt);
    const others = Object.keys(ids).filter((o) => o !== w.org);
    for (let n = 0; n < linksPerOrg; n++) {
      const own = ids[w.org]!;
      const from = own[Math.floor(r() * own.length)]!;
      const cross = n % 3 === 0 && others.length > 0;
      const toForum = n % 3 === 1;
      const targetOrg = cross ? others[Math.floor(r() * others.length)]! : w.org;
      const pool = toForum ? forums[targetOrg]! : ids[targetOrg]!.filter((x) => x !== from && !(cross && covertIds.has(x)));
      const to = pool[Math.floor(r() * pool.length)]!;
      const linkMarkings = markings(r) as { covert: boolean; classification: Classification };
      for (const end of cross ? [from] : [from, to]) {
        const m = marked.get(end)!;
        linkMarkings.covert ||= m.covert;
        if (classificationRank(m.classification) > classificationRank(linkMarkings.classification)) linkMarkings.classification = m.classification;
      }
      await w.svc.linkIdentities(w.who, {
        fromId: from,
        ...(toForum ? { toForumId: to } : { toIdentityId: to }),
        linkType: toForum ? (n % 2 ? "MEMBER_OF" : "ADMIN_OF") : n % 2 ? "COMMUNICATES_WITH" : "ALIAS_OF",
        rationale: "Observed in shared rooms by the online investigation team.",
        markings: linkMarkings,
      });
      progress();
    }
  }
  // Joint monitoring: each org watches its own forums (even n) and, at odd n, the forum the
  // next org watches at n - 1, so monitoring overlaps by design; whether a deployment is
  // covert varies with org and n, so some overlaps involve a covert one and some do not.
  // Some assignments have ended, and the last high-risk forum of each org (forum n is HIGH
  // when n % 3 === 0) stays unwatched for CEOP's picture.
  const watchable = Object.fromEntries(
    Object.entries(forums).map(([org, list]) => {
      const unwatched = list[Math.floor((list.length - 1) / 3) * 3];
      return [org, list.filter((id) => id !== unwatched)];
    }),
  );
  for (const [i, w] of writers.entries()) {
    const r = prng(9000 + i * 7727 + salt);
    const next = writers[(i + 1) % writers.length]!.org;
    const monitoring = new MonitoringService(w.ctx, null);
    for (let n = 0; n < assignmentsPerOrg; n++) {
      const pool = n % 2 === 0 || next === w.org ? watchable[w.org]! : watchable[next]!;
      if (pool.length === 0) {
        progress();
        continue;
      }
      const forumId = pool[Math.floor(n / 2) % pool.length]!;
      const ended = n % 5 === 4;
      const covert = (n + i) % 3 === 1;
      const from = new Date(Date.now() - (20 + Math.floor(r() * 60)) * 86400000);
      await monitoring.assign(w.who, {
        forumId,
        from,
        to: ended ? new Date(from.getTime() + 10 * 86400000) : null,
        covert,
        classification: covert ? "SECRET" : "OFFICIAL_SENSITIVE",
        leadOfficer: {
          name: `DS ${ADJ[(n + i) % ADJ.length]!.toUpperCase()} (demo)`,
          email: `oit.${n}@${w.org.toLowerCase()}.police.example`,
          phone: `+44 1632 96${String(i).padStart(2, "0")}${String(n % 100).padStart(2, "0")}`,
        },
      });
      progress();
    }
  }

  // Sightings: each org has seen some identities other orgs hold, in forums it knows of.
  for (const [i, w] of writers.entries()) {
    const r = prng(13000 + i * 6151 + salt);
    const allForums = Object.values(forums).flat();
    const theirs = Object.entries(ids)
      .filter(([org]) => org !== w.org)
      .flatMap(([, list]) => list)
      .filter((id) => !covertIds.has(id));
    for (let n = 0; n < sightingsPerOrg && theirs.length > 0; n++) {
      const forumPool = n % 2 === 0 ? allForums : [];
      await recordSighting(
        w.ctx,
        w.who,
        {
          identityId: theirs[Math.floor(r() * theirs.length)]!,
          seenAt: new Date(Date.now() - Math.floor(r() * 14 * 86400000)),
          forumId: forumPool.length ? forumPool[Math.floor(r() * forumPool.length)]! : null,
          note: "Seen in a public room during routine monitoring.",
          classification: "OFFICIAL_SENSITIVE",
        },
        null,
      );
      progress();
    }
  }
  for (const w of writers) await w.close();
}
