/**
 * The seeded world of the canary leak test: which records exist, which of them the
 * attacking principal (an ESSEX ANALYST, OFFICIAL_SENSITIVE, no covert claim) may read,
 * and the canary strings the hidden ones carry.
 *
 * Expectations are written down here from the rules as documented (decide.ts, DESIGN),
 * per record, by hand: the test never asks the product's policy code what to expect.
 */
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { emailSelector, handleSelector, normaliseHandle, phoneSelector } from "@interforce/domain";
import { gql, sql, tokenFor, type TestStack } from "@interforce/testkit";

export type Org = "KENT" | "NORFOLK" | "ESSEX" | "CEOP";
export const ORGS: readonly Org[] = ["KENT", "NORFOLK", "ESSEX", "CEOP"];
export const PREFIX: Record<Org, string> = { KENT: "Kent", NORFOLK: "Norfolk", ESSEX: "Essex", CEOP: "Ceop" };
export const NS: Record<Org, string> = { KENT: "kent", NORFOLK: "norfolk", ESSEX: "essex", CEOP: "ceop" };
export type Kind = "identity" | "forum" | "link";
export const KINDS: readonly Kind[] = ["identity", "forum", "link"];
export const SUFFIX: Record<Kind, string> = { identity: "OnlineIdentity", forum: "Forum", link: "SuspectLink" };
export const TABLE: Record<Kind, string> = { identity: "online_identity", forum: "forum", link: "suspect_link" };
export const RECORD_TYPENAMES = new Set(ORGS.flatMap((o) => KINDS.map((k) => `${PREFIX[o]}${SUFFIX[k]}`)));

/**
 * Why the attacker may or may not read a record. `hiddenEnd`: a link whose own markings the
 * attacker may read, withheld because an end of the link's own org is hidden from it.
 */
export type Why = "visible" | "covert" | "secret" | "handlingC" | "reviewPast" | "hiddenEnd";
/** What a hub search by the attacker should give for an identity. */
export type SearchLevel = "FULL" | "POINTER" | "NONE";

/** The attacker. */
export const ATTACKER = { org: "ESSEX", roles: ["ANALYST" as const], clearance: "OFFICIAL_SENSITIVE" as const, covert: false };
/** The attacker's token; `n` varies only the subject (several analysts of one force). */
export const attackerToken = (n = 0) => tokenFor({ ...ATTACKER, sub: `analyst${n}.attacker@essex` });

export interface Rec {
  key: string;
  org: Org;
  kind: Kind;
  why: Why;
  /** FULL read by the attacker. */
  visible: boolean;
  searchLevel: SearchLevel;
  id: string;
  uuid: string;
  createdAt: Date;
  handle?: string;
  platform?: string;
  status?: string;
  source?: string;
  assessment?: string;
  lastSeen?: Date | null;
  emails?: string[];
  phones?: string[];
  /** Hub selectors: handle@platform, and hashes of emails and phones. */
  selectors?: string[];
  forumKind?: string;
  linkType?: string;
  from?: string;
  toIdentity?: string;
  toForum?: string;
  /** Every free-text value written into the record (hidden ones: all carry a canary). */
  texts: string[];
}

export const hex = (n = 8) => randomBytes(n).toString("hex");
/** A unique canary token; the regex below finds any of them in a response. */
export const canary = () => `CANARY-${hex(8)}`;
export const CANARY_RE = /CANARY-[0-9a-f]{16}/gi;
const letters = (n: number) => Array.from(randomBytes(n), (b) => "abcdefghjkmnpqruvwxyz"[b % 21]).join("");

const DAY = 86400_000;
const past = () => new Date(Date.now() - 7 * DAY).toISOString();
const future = () => new Date(Date.now() + 180 * DAY).toISOString();

interface Marks {
  classification?: "OFFICIAL" | "OFFICIAL_SENSITIVE" | "SECRET";
  handling?: "P" | "C";
  conditions?: string;
  conditionsOrgs?: string[];
  covert?: boolean;
  reviewDue?: string;
}

interface IdentitySpec {
  key: string;
  org: Org;
  why: Why;
  searchLevel: SearchLevel;
  handle: string;
  platform?: string;
  status?: string;
  marks?: Marks;
  emails?: string[];
  phones?: string[];
}
interface ForumSpec {
  key: string;
  org: Org;
  why: Why;
  name?: string;
  marks?: Marks;
}
interface LinkSpec {
  key: string;
  org: Org;
  why: Why;
  from: string;
  to: string;
  linkType?: string;
  marks?: Marks;
}

/**
 * Markings that make a record hidden from the attacker for the given reason (none for
 * `hiddenEnd`: such a link is hidden by its end, whatever its own markings).
 */
function hiddenMarks(why: Why, c: string): Marks {
  switch (why) {
    case "covert":
      return { covert: true };
    case "secret":
      return { classification: "SECRET" };
    case "handlingC":
      return { handling: "C", conditions: `${c} release to CEOP only`, conditionsOrgs: ["CEOP"] };
    case "reviewPast":
      return { reviewDue: past() };
    default:
      return {};
  }
}

export interface World {
  records: Rec[];
  byKey: Map<string, Rec>;
  byId: Map<string, Rec>;
  byUuid: Map<string, Rec>;
  /** Global ids the attacker may see: records it can read. */
  visibleIds: Set<string>;
  hiddenIds: Set<string>;
  /** Ends (identity or forum) of links the attacker can read: their ids may be shown, their content never. */
  visibleLinkEnds: Set<string>;
  /** Hidden identities the attacker's search may point at (POINTER). */
  pointerIds: Set<string>;
  /** Exact strings that must never reach the attacker (CANARY tokens and hidden handles). */
  hiddenHandles: string[];
  canaryTokens: string[];
  /** Handles grouped so that spellings in a group normalise alike. */
  groups: { name: string; words: string[]; handles: string[] }[];
  /** Per org and kind, every record newest first, as the force pages them. */
  ordered: Record<Org, Record<Kind, Rec[]>>;
  /** Visible text of visible records, to prove canaries are not substrings of it. */
  visibleTexts: string[];
  /** Which record a canary token or hidden handle belongs to, for reports. */
  canaryOwner: Map<string, string>;
  /** Normalised handle keys that only hidden records have: the key itself is a secret. */
  hiddenKeys: Map<string, string>;
  /** Email and phone hashes only hidden records have, with the raw value that gives them. */
  hiddenHashes: Map<string, { raw: string; owner: string }>;
  /** Monitoring assignments and sightings: records of the org that made them, about others'. */
  owned: Owned[];
}

export interface Owned {
  key: string;
  kind: "monitoring" | "sighting";
  org: Org;
  id: string;
  uuid: string;
  /** The attacker may know of it. */
  visible: boolean;
  /** The forum monitored, or the identity sighted. */
  about: string;
  texts: string[];
}

const RECORD_IDENTITY = (ns: string) => `mutation($input: RecordOnlineIdentityInput!) { ${ns} { recordOnlineIdentity(input: $input) { id } } }`;
const RECORD_FORUM = (ns: string) => `mutation($input: RecordForumInput!) { ${ns} { recordForum(input: $input) { id } } }`;
const LINK = (ns: string) => `mutation($input: LinkIdentitiesInput!) { ${ns} { linkIdentities(input: $input) { id } } }`;

function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomBytes(1)[0]! % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export async function seedWorld(stack: TestStack): Promise<World> {
  const ra = letters(5);
  const rb = letters(5);
  const rc = letters(5);
  const rd = letters(5);
  const RA = ra.toUpperCase();
  const RB = rb.toUpperCase();
  const RC = rc.toUpperCase();
  const canaryHandle1 = canary();
  const canaryHandle2 = canary();
  const sharedEmail = `shared.${ra}@mail.example`;
  const sharedPhone = `07700 9${Array.from(randomBytes(5), (b) => b % 10).join("")}`;
  const randomPhone = () => `07${Array.from(randomBytes(9), (b) => b % 10).join("")}`;

  // Handles of a group collide after normalisation (case, separators, look-alike digits,
  // Cyrillic), so one hub search matches visible and hidden records alike.
  const identities: IdentitySpec[] = [
    // Group A "shadow lynx"
    { key: "a1", org: "KENT", why: "visible", searchLevel: "FULL", handle: `shadow_lynx_${ra}`, emails: [sharedEmail] },
    { key: "a2", org: "KENT", why: "covert", searchLevel: "NONE", handle: `Sh4d0w.Lynx.${RA}`, status: "DECOY", emails: [sharedEmail], phones: [sharedPhone] },
    { key: "a3", org: "NORFOLK", why: "covert", searchLevel: "NONE", handle: `SHADOW-LYNX-${RA}`, status: "DECOY" },
    { key: "a4", org: "KENT", why: "secret", searchLevel: "POINTER", handle: `shadow lynx ${ra}`, emails: [sharedEmail] },
    {
      key: "a5",
      org: "CEOP",
      why: "visible",
      searchLevel: "FULL",
      handle: `Shadow_Lynx_${ra}`,
      marks: { handling: "C", conditions: "Share with Essex and Kent only", conditionsOrgs: ["ESSEX", "KENT"] },
    },
    { key: "a6", org: "NORFOLK", why: "visible", searchLevel: "FULL", handle: `shadow.lynx.${ra}`, platform: "INSTAGRAM" },
    { key: "a7", org: "ESSEX", why: "covert", searchLevel: "NONE", handle: `sHaDoW lYnX ${ra}`, status: "DECOY" },
    { key: "a8", org: "CEOP", why: "covert", searchLevel: "NONE", handle: `ѕhаdоw_lynх_${ra}`, status: "DECOY" }, // Cyrillic ѕ а о х
    // Group B "dark angel"
    {
      key: "b1",
      org: "NORFOLK",
      why: "visible",
      searchLevel: "FULL",
      handle: `dark_angel_${rb}`,
      marks: { classification: "OFFICIAL_SENSITIVE" },
      phones: [sharedPhone],
    },
    { key: "b2", org: "NORFOLK", why: "handlingC", searchLevel: "POINTER", handle: `D4rk Angel ${RB}` },
    { key: "b3", org: "NORFOLK", why: "reviewPast", searchLevel: "POINTER", handle: `dark.angel.${rb}` },
    { key: "b4", org: "CEOP", why: "covert", searchLevel: "NONE", handle: `DARK_ANGEL_${RB}`, status: "DECOY" },
    { key: "b5", org: "CEOP", why: "secret", searchLevel: "POINTER", handle: `Dark-Angel-${rb}`, phones: [sharedPhone] },
    // The attacker's own force: clearance still applies, and own records give no POINTER.
    { key: "b6", org: "ESSEX", why: "secret", searchLevel: "NONE", handle: `D@rk_Angel_${RB}` },
    { key: "b7", org: "ESSEX", why: "visible", searchLevel: "FULL", handle: `dark angel ${rb}`, marks: { reviewDue: past() } },
    // Group C "night owl": nothing visible
    { key: "c1", org: "KENT", why: "covert", searchLevel: "NONE", handle: `N1ght.0wl.${RC}`, status: "DECOY" },
    { key: "c2", org: "KENT", why: "reviewPast", searchLevel: "POINTER", handle: `night owl ${rc}` },
    {
      key: "c3",
      org: "CEOP",
      why: "handlingC",
      searchLevel: "POINTER",
      handle: `NIGHT-OWL-${RC}`,
      marks: { handling: "C", conditions: "", conditionsOrgs: ["KENT"] },
    },
    { key: "c4", org: "NORFOLK", why: "covert", searchLevel: "NONE", handle: `Night_Owl_${RC}`, status: "DECOY" },
    { key: "c5", org: "KENT", why: "handlingC", searchLevel: "POINTER", handle: `Night-0wl ${rc}` },
    // Group D "bright finch": everything visible
    { key: "d1", org: "KENT", why: "visible", searchLevel: "FULL", handle: `bright_finch_${rd}`, marks: { reviewDue: future() } },
    {
      key: "d2",
      org: "ESSEX",
      why: "visible",
      searchLevel: "FULL",
      handle: `Bright.Finch.${rd}`,
      marks: { handling: "C", conditions: "Essex internal: CEOP copy", conditionsOrgs: ["CEOP"] },
    },
    {
      key: "d3",
      org: "NORFOLK",
      why: "visible",
      searchLevel: "FULL",
      handle: `BRIGHT FINCH ${rd}`,
      marks: { handling: "C", conditions: "Release to Essex", conditionsOrgs: ["ESSEX"] },
    },
    { key: "d4", org: "CEOP", why: "visible", searchLevel: "FULL", handle: `brightfinch ${rd}`, marks: { classification: "OFFICIAL_SENSITIVE" } },
    // Group E: handles that are canaries themselves
    { key: "e1", org: "KENT", why: "covert", searchLevel: "NONE", handle: canaryHandle1, platform: "OTHER", status: "DECOY" },
    { key: "e2", org: "ESSEX", why: "secret", searchLevel: "NONE", handle: canaryHandle2 },
    // Hidden handles whose normalised key no visible record shares: the key itself is secret.
    { key: "k1", org: "KENT", why: "secret", searchLevel: "POINTER", handle: `CanarySecret ${letters(10).toUpperCase()}` },
    { key: "k2", org: "NORFOLK", why: "reviewPast", searchLevel: "POINTER", handle: `canary.review.${letters(10)}` },
    { key: "k3", org: "CEOP", why: "handlingC", searchLevel: "POINTER", handle: `Canary_Conditions_${letters(10)}` },
    { key: "k4", org: "NORFOLK", why: "covert", searchLevel: "NONE", handle: `canary-covert-${letters(10)}`, status: "DECOY" },
    // Plain visible fillers, so pages have something to page over.
    ...(["KENT", "KENT", "KENT", "NORFOLK", "NORFOLK", "CEOP", "CEOP", "ESSEX"] as Org[]).map((org, i) => ({
      key: `v${i}`,
      org,
      why: "visible" as Why,
      searchLevel: "FULL" as SearchLevel,
      handle: `plain_${org.toLowerCase()}_${letters(6)}`,
    })),
  ];

  const forums: ForumSpec[] = [
    { key: "fK1", org: "KENT", why: "visible" },
    { key: "fK2", org: "KENT", why: "covert" },
    { key: "fK3", org: "KENT", why: "reviewPast" },
    { key: "fK4", org: "KENT", why: "handlingC" },
    { key: "fN1", org: "NORFOLK", why: "visible" },
    { key: "fN2", org: "NORFOLK", why: "secret" },
    { key: "fN3", org: "NORFOLK", why: "covert" },
    { key: "fC1", org: "CEOP", why: "visible" },
    { key: "fC2", org: "CEOP", why: "handlingC", marks: { handling: "C", conditions: "", conditionsOrgs: ["KENT"] } },
    { key: "fC3", org: "CEOP", why: "covert" },
    { key: "fE1", org: "ESSEX", why: "visible" },
    { key: "fE2", org: "ESSEX", why: "secret" },
    { key: "fE3", org: "ESSEX", why: "covert" },
  ];

  // A link is marked at least as covert and as highly classified as each of its ends of its
  // own org, and is withheld from a reader who may not read such an end in full. Ends of
  // other orgs do not affect it: a visible link shows only their ids.
  const links: LinkSpec[] = [
    // KENT: visible links with hidden ends of other orgs, and hidden links
    { key: "L1", org: "KENT", why: "covert", from: "a1", to: "c1" },
    { key: "L2", org: "KENT", why: "secret", from: "a4", to: "a1" },
    { key: "L3", org: "KENT", why: "visible", from: "a1", to: "c4" },
    { key: "L4", org: "KENT", why: "covert", from: "d1", to: "fK2", linkType: "MEMBER_OF" },
    { key: "L5", org: "KENT", why: "visible", from: "a1", to: "b1" },
    { key: "L6", org: "KENT", why: "covert", from: "a1", to: "b1" },
    { key: "L7", org: "KENT", why: "secret", from: "a2", to: "a4", marks: { covert: true } },
    { key: "L8", org: "KENT", why: "reviewPast", from: "d1", to: "b5" },
    { key: "L9", org: "KENT", why: "handlingC", from: "c2", to: "fK1", linkType: "ADMIN_OF" },
    { key: "L10", org: "KENT", why: "hiddenEnd", from: "c5", to: "fK3", linkType: "MEMBER_OF" },
    { key: "L11", org: "KENT", why: "visible", from: "d1", to: "fN3", linkType: "MEMBER_OF" },
    { key: "L12", org: "KENT", why: "visible", from: "b5", to: "a1" },
    // NORFOLK
    { key: "N1", org: "NORFOLK", why: "hiddenEnd", from: "b1", to: "b2", marks: { classification: "OFFICIAL_SENSITIVE" } },
    { key: "N2", org: "NORFOLK", why: "hiddenEnd", from: "b3", to: "d4" },
    { key: "N3", org: "NORFOLK", why: "secret", from: "b1", to: "fN2", linkType: "MEMBER_OF" },
    { key: "N4", org: "NORFOLK", why: "secret", from: "b1", to: "a1" },
    { key: "N5", org: "NORFOLK", why: "covert", from: "a3", to: "b1", marks: { classification: "OFFICIAL_SENSITIVE" } },
    { key: "N6", org: "NORFOLK", why: "visible", from: "b1", to: "c5", marks: { classification: "OFFICIAL_SENSITIVE" } },
    { key: "N7", org: "NORFOLK", why: "visible", from: "b1", to: "fE2", linkType: "MEMBER_OF", marks: { classification: "OFFICIAL_SENSITIVE" } },
    { key: "N8", org: "NORFOLK", why: "visible", from: "a6", to: "fK3", linkType: "MEMBER_OF" },
    // CEOP
    { key: "C1", org: "CEOP", why: "covert", from: "a5", to: "b4" },
    { key: "C2", org: "CEOP", why: "visible", from: "d4", to: "a4", marks: { classification: "OFFICIAL_SENSITIVE" } },
    { key: "C3", org: "CEOP", why: "handlingC", from: "a5", to: "d2", marks: { handling: "C", conditions: "", conditionsOrgs: ["KENT"] } },
    { key: "C4", org: "CEOP", why: "covert", from: "b4", to: "fC3", linkType: "MEMBER_OF" },
    { key: "C5", org: "CEOP", why: "reviewPast", from: "d4", to: "c3", marks: { classification: "OFFICIAL_SENSITIVE" } },
    { key: "C6", org: "CEOP", why: "visible", from: "b3", to: "a5" },
    { key: "C7", org: "CEOP", why: "visible", from: "a5", to: "a3" },
    // ESSEX, the attacker's own force
    { key: "E1", org: "ESSEX", why: "secret", from: "d2", to: "b6" },
    { key: "E2", org: "ESSEX", why: "covert", from: "d2", to: "a1" },
    { key: "E3", org: "ESSEX", why: "secret", from: "b6", to: "b7" },
    { key: "E4", org: "ESSEX", why: "visible", from: "b7", to: "d1", marks: { reviewDue: past() } },
    { key: "E5", org: "ESSEX", why: "visible", from: "d2", to: "a4" },
  ];

  const records: Rec[] = [];
  const byKey = new Map<string, Rec>();
  const hiddenHandles: string[] = [];
  const canaryTokens: string[] = [];
  const visibleTexts: string[] = [];
  const tok = (t: string) => {
    canaryTokens.push(t);
    return t;
  };

  /** Owner tokens: all-powerful within the owner; hidden records get a canary creator. */
  // The creator of a hidden record is an undercover officer whose name is a canary too
  // (it comes back as createdBy).
  let lastSub = "";
  const ownerToken = (org: Org, hidden: boolean) => {
    lastSub = hidden ? `uc.${tok(canary())}@${org.toLowerCase()}` : `officer@${org.toLowerCase()}`;
    return tokenFor({ org, roles: ["OFFICER"], clearance: "SECRET", covert: true, sub: lastSub });
  };

  const markings = (m: Marks) => ({
    classification: m.classification ?? "OFFICIAL",
    source: "RELIABLE",
    assessment: "B",
    handling: m.handling ?? "P",
    conditions: m.conditions ?? null,
    conditionsOrgs: m.conditionsOrgs ?? null,
    covert: m.covert ?? false,
    reviewDue: m.reviewDue ?? null,
  });

  const register = (r: Omit<Rec, "uuid" | "createdAt">) => {
    const rec: Rec = { ...r, uuid: r.id.split(":")[2]!, createdAt: new Date(0) };
    records.push(rec);
    byKey.set(rec.key, rec);
    return rec;
  };

  const SOURCES = ["RELIABLE", "UNTESTED", "NOT_RELIABLE"];
  const ASSESSMENTS = ["A", "B", "C", "D", "E"];
  let n = 0;
  for (const s of shuffle(identities)) {
    const hidden = s.why !== "visible";
    const i = n++;
    // Varied sightings and grading, so the hub's cross-force lists have something to order and filter on.
    const lastSeen = i % 3 === 0 ? null : new Date(Date.now() - 3600_000 * (i + 1) - (randomBytes(2).readUInt16BE() % 3600_000));
    const firstSeen = lastSeen ? new Date(lastSeen.getTime() - 30 * DAY) : null;
    const source = SOURCES[i % 3]!;
    const assessment = ASSESSMENTS[i % 5]!;
    const emails = [...(s.emails ?? []), hidden ? `${canary().toLowerCase()}@decoy.example` : `person.${s.key}.${ra}@visible.example`];
    const phones = [...(s.phones ?? []), ...(hidden || i % 2 === 0 ? [randomPhone()] : [])];
    if (hidden) canaryTokens.push(...emails.flatMap((e) => [...e.matchAll(CANARY_RE)].map((m) => m[0])));
    const c = tok(canary());
    const texts = hidden
      ? { displayName: `${tok(canary())} decoy persona`, notes: `${tok(canary())} undercover notes`, profileUrl: `https://profiles.example/u/${tok(canary())}` }
      : { displayName: `Visible person ${s.key}`, notes: `visible notes ${s.key}`, profileUrl: `https://profiles.example/u/visible-${s.key}` };
    const marks: Marks = hidden ? { ...hiddenMarks(s.why, c), ...s.marks } : { ...s.marks };
    if (hidden && marks.handling === "C" && !marks.conditions) marks.conditions = `${tok(canary())} conditions`;
    const platform = s.platform ?? "SNAPCHAT";
    const input = {
      platform,
      platformOther: platform === "OTHER" ? (hidden ? tok(canary()) : "Visible platform") : null,
      handle: s.handle,
      status: s.status ?? (hidden ? "SUSPECT" : ["SUSPECT", "VICTIM_AT_RISK", "UNKNOWN"][i % 3]!),
      ...texts,
      firstSeen: firstSeen?.toISOString() ?? null,
      lastSeen: lastSeen?.toISOString() ?? null,
      emails,
      phones,
      markings: { ...markings(marks), source, assessment },
    };
    const res = await gql<Record<string, { recordOnlineIdentity: { id: string } }>>(stack.gatewayUrl, RECORD_IDENTITY(NS[s.org]), {
      token: ownerToken(s.org, hidden),
      variables: { input },
    });
    expect(res.errors, `seeding ${s.key}: ${res.raw}`).toBeUndefined();
    const id = res.data![NS[s.org]]!.recordOnlineIdentity.id;
    const allTexts = [s.handle, texts.displayName, texts.notes, texts.profileUrl, marks.conditions ?? "", input.platformOther ?? "", lastSub].filter(Boolean);
    if (hidden) hiddenHandles.push(s.handle);
    else visibleTexts.push(...allTexts);
    register({
      key: s.key,
      org: s.org,
      kind: "identity",
      why: s.why,
      visible: !hidden,
      searchLevel: s.searchLevel,
      id,
      handle: s.handle,
      platform,
      texts: allTexts,
      status: input.status,
      source,
      assessment,
      lastSeen,
      emails,
      phones,
      selectors: [handleSelector(s.handle, platform), ...emails.map((e) => emailSelector(e)!), ...phones.map((p) => phoneSelector(p)!)],
    });
  }

  for (const s of shuffle(forums)) {
    const hidden = s.why !== "visible";
    const marks: Marks = hidden ? { ...hiddenMarks(s.why, tok(canary())), ...s.marks } : { ...s.marks };
    if (hidden && marks.handling === "C" && !marks.conditions) marks.conditions = `${tok(canary())} conditions`;
    const input = hidden
      ? {
          platform: "DISCORD",
          name: `${tok(canary())} decoy server`,
          url: `https://discord.example/invite/${tok(canary())}`,
          kind: "CHAT_ROOM",
          riskSummary: `${tok(canary())} risk`,
          markings: markings(marks),
        }
      : {
          platform: s.org === "KENT" || s.org === "CEOP" ? "DISCORD" : "SNAPCHAT",
          name: `Visible forum ${s.key}`,
          url: `https://discord.example/invite/visible-${s.key}`,
          kind: "FORUM",
          riskSummary: `visible risk ${s.key}`,
          markings: markings(marks),
        };
    const res = await gql(stack.gatewayUrl, RECORD_FORUM(NS[s.org]), { token: ownerToken(s.org, hidden), variables: { input } });
    expect(res.errors, `seeding ${s.key}: ${res.raw}`).toBeUndefined();
    const id = (res.data as Record<string, { recordForum: { id: string } }>)[NS[s.org]]!.recordForum.id;
    const allTexts = [input.name, input.url, input.riskSummary, marks.conditions ?? "", lastSub].filter(Boolean);
    if (!hidden) visibleTexts.push(...allTexts);
    register({
      key: s.key,
      org: s.org,
      kind: "forum",
      why: s.why,
      visible: !hidden,
      searchLevel: "NONE",
      id,
      texts: allTexts,
      platform: input.platform,
      forumKind: input.kind,
    });
  }

  for (const s of shuffle(links)) {
    const hidden = s.why !== "visible";
    const marks: Marks = hidden ? { ...hiddenMarks(s.why, tok(canary())), ...s.marks } : { ...s.marks };
    if (hidden && marks.handling === "C" && !marks.conditions) marks.conditions = `${tok(canary())} conditions`;
    const from = byKey.get(s.from)!;
    const to = byKey.get(s.to)!;
    const input = {
      fromId: from.id,
      toIdentityId: to.kind === "identity" ? to.id : null,
      toForumId: to.kind === "forum" ? to.id : null,
      linkType: s.linkType ?? "SAME_PERSON",
      rationale: hidden ? `${tok(canary())} rationale` : `visible rationale ${s.key}`,
      markings: markings(marks),
    };
    const res = await gql(stack.gatewayUrl, LINK(NS[s.org]), { token: ownerToken(s.org, hidden), variables: { input } });
    expect(res.errors, `seeding ${s.key}: ${res.raw}`).toBeUndefined();
    const id = (res.data as Record<string, { linkIdentities: { id: string } }>)[NS[s.org]]!.linkIdentities.id;
    const allTexts = [input.rationale, marks.conditions ?? "", lastSub].filter(Boolean);
    if (!hidden) visibleTexts.push(...allTexts);
    register({
      key: s.key,
      org: s.org,
      kind: "link",
      why: s.why,
      visible: !hidden,
      searchLevel: "NONE",
      id,
      texts: allTexts,
      from: from.id,
      toIdentity: input.toIdentityId ?? undefined,
      toForum: input.toForumId ?? undefined,
      linkType: input.linkType,
    });
  }

  // Creation times as the force stores them (its pages are keyset-ordered on them).
  const byUuid = new Map(records.map((r) => [r.uuid, r]));
  for (const org of ORGS) {
    for (const kind of KINDS) {
      const rows = await sql<{ id: string; created_at: Date }>(stack.databases[org]!.ownerUrl, `SELECT id::text AS id, created_at FROM ${TABLE[kind]}`);
      for (const row of rows) {
        const rec = byUuid.get(row.id);
        expect(rec, `unexpected ${kind} ${row.id} in ${org}`).toBeDefined();
        rec!.createdAt = row.created_at;
      }
    }
  }
  const ordered = Object.fromEntries(
    ORGS.map((org) => [
      org,
      Object.fromEntries(
        KINDS.map((kind) => [
          kind,
          records
            .filter((r) => r.org === org && r.kind === kind)
            .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (y.uuid < x.uuid ? -1 : y.uuid > x.uuid ? 1 : 0)),
        ]),
      ),
    ]),
  ) as World["ordered"];

  const visibleIds = new Set(records.filter((r) => r.visible).map((r) => r.id));
  const hiddenIds = new Set(records.filter((r) => !r.visible).map((r) => r.id));
  const visibleLinkEnds = new Set(
    records.filter((r) => r.kind === "link" && r.visible).flatMap((r) => [r.from!, r.toIdentity, r.toForum].filter((x): x is string => !!x)),
  );
  const pointerIds = new Set(records.filter((r) => r.kind === "identity" && r.searchLevel === "POINTER").map((r) => r.id));

  const groups = [
    { name: "A", words: ["shadow", "lynx", ra], handles: identities.filter((i) => i.key.startsWith("a")).map((i) => i.handle) },
    { name: "B", words: ["dark", "angel", rb], handles: identities.filter((i) => i.key.startsWith("b")).map((i) => i.handle) },
    { name: "C", words: ["night", "owl", rc], handles: identities.filter((i) => i.key.startsWith("c")).map((i) => i.handle) },
    { name: "D", words: ["bright", "finch", rd], handles: identities.filter((i) => i.key.startsWith("d")).map((i) => i.handle) },
    { name: "E", words: [canaryHandle1.toLowerCase()], handles: [canaryHandle1, canaryHandle2] },
  ];

  // Monitoring of forums (covert deployments name an undercover lead officer) and sightings
  // of identities by other orgs (notes stay with the sighting org and the identity's owner).
  const owned: Owned[] = [];
  const assignments: { key: string; org: Org; forum: string; covert?: boolean; classification?: string; visible: boolean }[] = [
    { key: "M1", org: "KENT", forum: "fN1", covert: true, visible: false },
    { key: "M2", org: "KENT", forum: "fN1", visible: true },
    { key: "M3", org: "NORFOLK", forum: "fE1", covert: true, visible: false },
    { key: "M4", org: "CEOP", forum: "fK1", classification: "SECRET", visible: false },
    { key: "M5", org: "ESSEX", forum: "fK1", covert: true, visible: false },
  ];
  for (const a of assignments) {
    const hidden = !a.visible;
    const c = canary();
    const leadOfficer = hidden
      ? { name: `DC ${tok(c)} (undercover)`, email: `${c.toLowerCase()}@police.example`, phone: randomPhone() }
      : { name: `DS Visible ${a.key}`, email: `visible.${a.key.toLowerCase()}@police.example`, phone: "01234 567890" };
    const res = await gql<Record<string, { assignMonitoring: { id: string } }>>(
      stack.gatewayUrl,
      `mutation($input: AssignMonitoringInput!) { ${NS[a.org]} { assignMonitoring(input: $input) { id } } }`,
      {
        token: ownerToken(a.org, hidden),
        variables: { input: { forumId: byKey.get(a.forum)!.id, covert: a.covert ?? false, classification: a.classification ?? "OFFICIAL", leadOfficer } },
      },
    );
    expect(res.errors, `seeding ${a.key}: ${res.raw}`).toBeUndefined();
    const id = res.data![NS[a.org]]!.assignMonitoring.id;
    const texts = [leadOfficer.name, leadOfficer.email, leadOfficer.phone, lastSub];
    if (!hidden) visibleTexts.push(leadOfficer.name, leadOfficer.email);
    owned.push({ key: a.key, kind: "monitoring", org: a.org, id, uuid: id.split(":")[2]!, visible: a.visible, about: byKey.get(a.forum)!.id, texts });
  }
  const sightings: { key: string; org: Org; identity: string; classification?: string; visible: boolean }[] = [
    { key: "S1", org: "KENT", identity: "b1", visible: false },
    { key: "S2", org: "CEOP", identity: "d2", visible: true },
    { key: "S3", org: "CEOP", identity: "d2", classification: "SECRET", visible: false },
    { key: "S4", org: "KENT", identity: "a7", visible: false },
    { key: "S5", org: "NORFOLK", identity: "e2", visible: false },
    { key: "S6", org: "ESSEX", identity: "a1", visible: true },
  ];
  for (const x of sightings) {
    const hidden = !x.visible;
    const note = hidden ? `${tok(canary())} seen by an undercover officer` : `visible sighting ${x.key}`;
    const res = await gql<Record<string, { recordSighting: { id: string } }>>(
      stack.gatewayUrl,
      `mutation($input: RecordSightingInput!) { ${NS[x.org]} { recordSighting(input: $input) { id } } }`,
      {
        token: ownerToken(x.org, hidden),
        variables: {
          input: {
            identityId: byKey.get(x.identity)!.id,
            seenAt: new Date(Date.now() - 3600_000).toISOString(),
            note,
            classification: x.classification ?? "OFFICIAL",
          },
        },
      },
    );
    expect(res.errors, `seeding ${x.key}: ${res.raw}`).toBeUndefined();
    const id = res.data![NS[x.org]]!.recordSighting.id;
    if (!hidden) visibleTexts.push(note);
    owned.push({
      key: x.key,
      kind: "sighting",
      org: x.org,
      id,
      uuid: id.split(":")[2]!,
      visible: x.visible,
      about: byKey.get(x.identity)!.id,
      texts: [note, lastSub],
    });
  }

  const visibleKeys = new Set(records.filter((r) => r.visible && r.handle).map((r) => normaliseHandle(r.handle!)));
  const hiddenKeys = new Map<string, string>();
  for (const r of records)
    if (!r.visible && r.handle && !visibleKeys.has(normaliseHandle(r.handle)))
      hiddenKeys.set(normaliseHandle(r.handle), `${r.key} (${r.org} ${r.kind}, ${r.why})`);
  const visibleHashes = new Set(records.filter((r) => r.visible).flatMap((r) => r.selectors ?? []));
  const hiddenHashes = new Map<string, { raw: string; owner: string }>();
  for (const r of records) {
    if (r.visible) continue;
    for (const e of r.emails ?? [])
      if (!visibleHashes.has(emailSelector(e)!)) hiddenHashes.set(emailSelector(e)!, { raw: e, owner: `${r.key} (${r.org} ${r.kind}, ${r.why})` });
    for (const p of r.phones ?? [])
      if (!visibleHashes.has(phoneSelector(p)!)) hiddenHashes.set(phoneSelector(p)!, { raw: p, owner: `${r.key} (${r.org} ${r.kind}, ${r.why})` });
  }
  const canaryOwner = new Map<string, string>();
  for (const r of records) {
    if (r.visible) continue;
    for (const t of [...r.texts, ...(r.emails ?? [])])
      for (const m of t.matchAll(CANARY_RE)) canaryOwner.set(m[0].toUpperCase(), `${r.key} (${r.org} ${r.kind}, ${r.why})`);
    if (r.handle) canaryOwner.set(r.handle, `${r.key} (${r.org} ${r.kind}, ${r.why})`);
  }
  for (const o of owned) {
    if (o.visible) continue;
    for (const t of o.texts) for (const m of t.matchAll(CANARY_RE)) canaryOwner.set(m[0].toUpperCase(), `${o.key} (${o.org} ${o.kind})`);
  }
  return {
    records,
    byKey,
    byId: new Map(records.map((r) => [r.id, r])),
    byUuid,
    visibleIds,
    hiddenIds,
    visibleLinkEnds,
    pointerIds,
    hiddenHandles,
    canaryTokens,
    groups,
    ordered,
    visibleTexts,
    canaryOwner,
    hiddenKeys,
    hiddenHashes,
    owned,
  };
}

/** Records of an org and kind the attacker should get in a page after a cursor position. */
export function expectedPage(w: World, org: Org, kind: Kind, after: { t: string; id: string } | null): Rec[] {
  const all = w.ordered[org][kind].filter((r) => r.visible);
  if (!after) return all;
  const t = Date.parse(after.t);
  return all.filter((r) => r.createdAt.getTime() < t || (r.createdAt.getTime() === t && r.uuid < after.id));
}

/** Visible links owned by the identity's owner that start or end at it, newest first. */
export function expectedIdentityLinks(w: World, identityId: string): Rec[] {
  const owner = w.byId.get(identityId)!.org;
  return w.ordered[owner].link.filter((l) => l.visible && (l.from === identityId || l.toIdentity === identityId));
}

/** The cursor format of the force subgraphs' pages (base64url JSON of created_at and uuid). */
export const cursorAt = (r: Rec) => Buffer.from(JSON.stringify({ t: r.createdAt.toISOString(), id: r.uuid })).toString("base64url");
export const decodeCursor = (c: string): { t: string; id: string } => JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
