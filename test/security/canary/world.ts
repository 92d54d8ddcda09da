/**
 * The seeded world of the canary leak test: which records exist, their markings, the
 * canary strings every free-text field of every record carries, and — per principal — what
 * that principal may see of each (`viewOf`, from the rules written out in ./principals.ts).
 *
 * The ESSEX ANALYST (OFFICIAL_SENSITIVE, no covert claim) the suite first attacked as has its
 * expectations also written down by hand, per record (`hand`): the suite checks that the
 * rules of ./principals.ts give exactly those, so the two derivations vouch for each other.
 * The test never asks the product's policy code what to expect.
 *
 * Agreements (set up before anything is recorded): the pilot binds CEOP, ESSEX and KENT (all
 * kinds, up to OFFICIAL_SENSITIVE); ESSEX and NORFOLK share all kinds up to OFFICIAL_SENSITIVE;
 * CEOP and NORFOLK identities and forums up to OFFICIAL; a KENT–NORFOLK agreement is
 * suspended. So KENT and NORFOLK are not partners, and CEOP reads less of NORFOLK than ESSEX.
 */
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { emailSelector, handleSelector, normaliseHandle, phoneSelector } from "@interforce/domain";
import { eventually, gql, sql, tokenFor, type TestStack } from "@interforce/testkit";
import {
  alertSide,
  deskLists,
  markLevel,
  mayAttempt,
  principalOf,
  readLevel,
  seesAgreement,
  seesAssignment,
  seesRequest,
  seesSighting,
  type AgreementFacts,
  type AlertFacts,
  type Cls,
  type Kind,
  type Org,
  type Marks as RuleMarks,
  type Principal,
  type Reason,
  type RequestFacts,
} from "./principals.js";

export type { Kind, Org };
export const ORGS: readonly Org[] = ["KENT", "NORFOLK", "ESSEX", "CEOP"];
export const PREFIX: Record<Org, string> = { KENT: "Kent", NORFOLK: "Norfolk", ESSEX: "Essex", CEOP: "Ceop" };
export const NS: Record<Org, string> = { KENT: "kent", NORFOLK: "norfolk", ESSEX: "essex", CEOP: "ceop" };
export const KINDS: readonly Kind[] = ["identity", "forum", "link"];
export const SUFFIX: Record<Kind, string> = { identity: "OnlineIdentity", forum: "Forum", link: "SuspectLink" };
export const TABLE: Record<Kind, string> = { identity: "online_identity", forum: "forum", link: "suspect_link" };
export const RECORD_TYPENAMES = new Set(ORGS.flatMap((o) => KINDS.map((k) => `${PREFIX[o]}${SUFFIX[k]}`)));

/**
 * Why the ESSEX analyst may or may not read a record (the hand-written expectation).
 * `hiddenEnd`: a link whose own markings it may read, withheld because an end of the link's
 * own org is hidden from it.
 */
export type Why = "visible" | "covert" | "secret" | "handlingC" | "reviewPast" | "hiddenEnd";
/** What a hub search should give for an identity. */
export type SearchLevel = "FULL" | "POINTER" | "NONE";

/** The principal the suite first attacked as. */
export const ATTACKER = { org: "ESSEX", roles: ["ANALYST" as const], clearance: "OFFICIAL_SENSITIVE" as const, covert: false };
export const ATTACKER_PRINCIPAL: Principal = { ...principalOf("ESSEX", "ANALYST", "OFFICIAL_SENSITIVE", false), sub: "analyst0.attacker@essex" };
/** The attacker's token; `n` varies only the subject (several analysts of one force). */
export const attackerToken = (n = 0) => tokenFor({ ...ATTACKER, sub: `analyst${n}.attacker@essex` });
export const tokenOf = (p: Principal) => tokenFor({ org: p.org, roles: [p.role], clearance: p.clearance, covert: p.covert, sub: p.sub });

export interface Rec {
  key: string;
  org: Org;
  kind: Kind;
  /** Why the viewing principal may not read it ("visible" when it may). */
  why: Reason | Why;
  /** FULL read by the viewing principal. */
  visible: boolean;
  /** What a hub search by the viewing principal gives (forums: what the desk's overview gives). */
  searchLevel: SearchLevel;
  /** The ESSEX analyst's expectations, written by hand. */
  hand: { visible: boolean; searchLevel: SearchLevel; why: Why };
  marks: RuleMarks;
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
  riskLevel?: string;
  linkType?: string;
  from?: string;
  toIdentity?: string;
  toForum?: string;
  /** Every free-text value written into the record: each carries a canary. */
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
  riskLevel?: "LOW" | "MEDIUM" | "HIGH";
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
 * Markings that make a record hidden from the ESSEX analyst for the given reason (none for
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

export interface Owned {
  key: string;
  kind: "monitoring" | "sighting";
  org: Org;
  id: string;
  uuid: string;
  /** The viewing principal may know of it. */
  visible: boolean;
  /** The ESSEX analyst may know of it (by hand). */
  hand: boolean;
  covert: boolean;
  classification: Cls;
  /** The forum monitored, or the identity sighted. */
  about: string;
  texts: string[];
}

export interface Agreement extends AgreementFacts {
  id: string;
  name: string;
  version: number;
  visible: boolean;
}
export interface AccessReq extends RequestFacts {
  visible: boolean;
  purpose: string;
}
export interface Alert extends AlertFacts {
  /** The side the viewing principal sees it from, or null. */
  side: "holder" | "other" | null;
  /** The viewer may know of it: from a side, or on the desk's list (the CEOP desk with the covert claim). */
  known: boolean;
}

/** What seeding made: the same for every principal. */
export interface Seeded {
  records: Rec[];
  owned: Owned[];
  agreements: Agreement[];
  requests: AccessReq[];
  alerts: Alert[];
  groups: { name: string; words: string[]; handles: string[] }[];
  /** Each canary token (upper case) and the key of what carries it (a record, assignment, sighting, request or agreement). */
  canaryKey: Map<string, { key: string; desc: string }>;
  /** Every handle and free text seeded, to prove no secret is a substring of another. */
  allTexts: { key: string; text: string }[];
  /**
   * What the fuzz's own writes created (records, assignments, sightings, requests), by id, and
   * who may see each: their canaries are registered in `canaryKey` under the id.
   */
  created: Map<string, { kind: string; desc: string; sees: (p: Principal) => boolean }>;
}

export interface World {
  principal: Principal;
  seeded: Seeded;
  records: Rec[];
  byKey: Map<string, Rec>;
  byId: Map<string, Rec>;
  byUuid: Map<string, Rec>;
  /** Global ids the viewer may see: records it can read. */
  visibleIds: Set<string>;
  hiddenIds: Set<string>;
  /** Ends (identity or forum) of links the viewer can read: their ids may be shown, their content never. */
  visibleLinkEnds: Set<string>;
  /** Hidden identities (and forums) a hub search (or the desk's overview) may point at (POINTER). */
  pointerIds: Set<string>;
  /** Handles of identities the viewer may not read. */
  hiddenHandles: string[];
  /** Handles grouped so that spellings in a group normalise alike. */
  groups: { name: string; words: string[]; handles: string[] }[];
  /** Per org and kind, every record newest first, as the force pages them. */
  ordered: Record<Org, Record<Kind, Rec[]>>;
  /** Which record (or assignment, sighting, request, agreement) a canary token or handle belongs to, for reports. */
  canaryOwner: Map<string, string>;
  /** Normalised handle keys that only hidden records have: the key itself is a secret. */
  hiddenKeys: Map<string, string>;
  /** Email and phone hashes only hidden records have, with the raw value that gives them. */
  hiddenHashes: Map<string, { raw: string; owner: string }>;
  /** Monitoring assignments and sightings: records of the org that made them, about others'. */
  owned: Owned[];
  agreements: Agreement[];
  requests: AccessReq[];
  alerts: Alert[];
  /** Keys of everything whose canaries the viewer may see. */
  visibleOwners: Set<string>;
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

const PILOT = "Eastern Region Joint Monitoring";
const policyAdmin = () => tokenFor({ org: "CEOP", roles: ["POLICY_ADMIN"], clearance: "SECRET", sub: "canary.policy@hub" });
const AGREEMENT_FIELDS = "id name members kinds maxClassification status version";
type AgreementAnswer = { id: string; name: string; members: Org[]; kinds: string[]; maxClassification: Cls; status: Agreement["status"]; version: number };

/** The agreements of the world (see the file comment), as the policy admin sets them up. */
async function setUpAgreements(stack: TestStack): Promise<Agreement[]> {
  const admin = policyAdmin();
  const call = async (query: string) => {
    const res = await gql<Record<string, AgreementAnswer>>(stack.gatewayUrl, query, { token: admin });
    expect(res.errors, res.raw).toBeUndefined();
    return Object.values(res.data!)[0]!;
  };
  const list = (
    await gql<{ agreements: { nodes: AgreementAnswer[] } }>(stack.gatewayUrl, `{ agreements(first: 50) { nodes { ${AGREEMENT_FIELDS} } } }`, { token: admin })
  ).data!.agreements.nodes;
  const pilot = list.find((a) => a.name === PILOT)!;
  expect(pilot, "the pilot agreement").toBeDefined();
  const from = new Date(Date.now() - 30 * DAY).toISOString();
  const amended = await call(
    `mutation { amendAgreement(id: "${pilot.id}", expectedVersion: ${pilot.version}, reason: "canary world: NORFOLK shares bilaterally",
      input: { name: "${PILOT}", members: ["CEOP", "ESSEX", "KENT"], kinds: [IDENTITY, FORUM, LINK], maxClassification: OFFICIAL_SENSITIVE, validFrom: "${from}" }) { ${AGREEMENT_FIELDS} } }`,
  );
  const create = (name: string, members: Org[], kinds: string, ceiling: Cls) =>
    call(
      `mutation { createAgreement(input: { name: "${name}", members: ${JSON.stringify(members)}, kinds: [${kinds}], maxClassification: ${ceiling}, validFrom: "${from}" }) { ${AGREEMENT_FIELDS} } }`,
    );
  const en = await create(`Essex Norfolk ${canary()}`, ["ESSEX", "NORFOLK"], "IDENTITY, FORUM, LINK", "OFFICIAL_SENSITIVE");
  const cn = await create(`Ceop Norfolk ${canary()}`, ["CEOP", "NORFOLK"], "IDENTITY, FORUM", "OFFICIAL");
  const kn0 = await create(`Kent Norfolk ${canary()}`, ["KENT", "NORFOLK"], "IDENTITY, FORUM, LINK", "SECRET");
  const kn = await call(
    `mutation { suspendAgreement(id: "${kn0.id}", expectedVersion: ${kn0.version}, reason: "canary world: suspended") { ${AGREEMENT_FIELDS} } }`,
  );
  expect(kn.status).toBe("SUSPENDED");
  return [amended, en, cn, kn].map((a, i) => ({
    key: `AG${i}`,
    id: a.id,
    name: a.name,
    version: a.version,
    members: a.members,
    kinds: a.kinds.map((k) => k.toLowerCase() as Kind),
    ceiling: a.maxClassification,
    status: a.status,
    visible: false,
  }));
}

export async function seedWorld(stack: TestStack): Promise<World> {
  const agreements = await setUpAgreements(stack);
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

  // HIGH-risk forums give the desk's overview something to list (fK1 is monitored).
  const forums: ForumSpec[] = [
    { key: "fK1", org: "KENT", why: "visible", riskLevel: "HIGH" },
    { key: "fK2", org: "KENT", why: "covert" },
    { key: "fK3", org: "KENT", why: "reviewPast", riskLevel: "HIGH" },
    { key: "fK4", org: "KENT", why: "handlingC" },
    { key: "fN1", org: "NORFOLK", why: "visible" },
    { key: "fN2", org: "NORFOLK", why: "secret", riskLevel: "HIGH" },
    { key: "fN3", org: "NORFOLK", why: "covert" },
    { key: "fC1", org: "CEOP", why: "visible", riskLevel: "HIGH" },
    { key: "fC2", org: "CEOP", why: "handlingC", marks: { handling: "C", conditions: "", conditionsOrgs: ["KENT"] } },
    { key: "fC3", org: "CEOP", why: "covert" },
    { key: "fE1", org: "ESSEX", why: "visible" },
    { key: "fE2", org: "ESSEX", why: "secret" },
    { key: "fE3", org: "ESSEX", why: "covert", riskLevel: "HIGH" },
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
  const canaryKey = new Map<string, { key: string; desc: string }>();
  const allTexts: { key: string; text: string }[] = [];
  // Canaries minted for the record being seeded, claimed by its key once it is recorded.
  let pending: string[] = [];
  const tok = (t: string) => {
    pending.push(t);
    return t;
  };
  const claim = (key: string, desc: string, texts: string[]) => {
    for (const t of pending) canaryKey.set(t.toUpperCase(), { key, desc });
    pending = [];
    for (const text of texts) allTexts.push({ key, text });
  };

  /** Owner tokens: all-powerful within the owner; every record gets a creator whose name is a canary (it comes back as createdBy). */
  let lastSub = "";
  const ownerToken = (org: Org) => {
    lastSub = `uc.${tok(canary())}@${org.toLowerCase()}`;
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
  const ruleMarks = (m: Marks): RuleMarks => ({
    classification: m.classification ?? "OFFICIAL",
    handling: m.handling ?? "P",
    conditionsOrgs: m.conditionsOrgs ?? [],
    covert: m.covert ?? false,
    reviewDue: m.reviewDue ? new Date(m.reviewDue) : null,
  });
  /** Markings of a spec: those that hide it from the ESSEX analyst, and a canary in every handling condition. */
  const marksOf = (s: { why: Why; marks?: Marks }): Marks => {
    const marks: Marks = s.why !== "visible" ? { ...hiddenMarks(s.why, tok(canary())), ...s.marks } : { ...s.marks };
    if (marks.handling === "C" && !/CANARY-/.test(marks.conditions ?? "")) marks.conditions = `${tok(canary())} ${marks.conditions || "conditions"}`;
    return marks;
  };

  const register = (r: Omit<Rec, "uuid" | "createdAt" | "visible" | "searchLevel" | "why">) => {
    const rec: Rec = { ...r, uuid: r.id.split(":")[2]!, createdAt: new Date(0), visible: r.hand.visible, searchLevel: r.hand.searchLevel, why: r.hand.why };
    records.push(rec);
    byKey.set(rec.key, rec);
    claim(rec.key, `${rec.key} (${rec.org} ${rec.kind})`, rec.texts);
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
    for (const m of s.handle.matchAll(CANARY_RE)) tok(m[0]);
    const emails = [...(s.emails ?? []), `${tok(canary()).toLowerCase()}@${hidden ? "decoy" : "mail"}.example`];
    const phones = [...(s.phones ?? []), ...(hidden || i % 2 === 0 ? [randomPhone()] : [])];
    const texts = { displayName: `${tok(canary())} persona`, notes: `${tok(canary())} notes`, profileUrl: `https://profiles.example/u/${tok(canary())}` };
    const marks = marksOf(s);
    const platform = s.platform ?? "SNAPCHAT";
    const input = {
      platform,
      platformOther: platform === "OTHER" ? tok(canary()) : null,
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
      token: ownerToken(s.org),
      variables: { input },
    });
    expect(res.errors, `seeding ${s.key}: ${res.raw}`).toBeUndefined();
    const id = res.data![NS[s.org]]!.recordOnlineIdentity.id;
    const allTexts = [s.handle, texts.displayName, texts.notes, texts.profileUrl, marks.conditions ?? "", input.platformOther ?? "", lastSub].filter(Boolean);
    register({
      key: s.key,
      org: s.org,
      kind: "identity",
      hand: { visible: !hidden, searchLevel: s.searchLevel, why: s.why },
      marks: ruleMarks(marks),
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
    const marks = marksOf(s);
    const visibleShape = s.why === "visible";
    const input = {
      platform: visibleShape ? (s.org === "KENT" || s.org === "CEOP" ? "DISCORD" : "SNAPCHAT") : "DISCORD",
      name: `${tok(canary())} server`,
      url: `https://discord.example/invite/${tok(canary())}`,
      kind: visibleShape ? "FORUM" : "CHAT_ROOM",
      riskSummary: `${tok(canary())} risk`,
      riskLevel: s.riskLevel ?? "MEDIUM",
      markings: markings(marks),
    };
    const res = await gql(stack.gatewayUrl, RECORD_FORUM(NS[s.org]), { token: ownerToken(s.org), variables: { input } });
    expect(res.errors, `seeding ${s.key}: ${res.raw}`).toBeUndefined();
    const id = (res.data as Record<string, { recordForum: { id: string } }>)[NS[s.org]]!.recordForum.id;
    const allTexts = [input.name, input.url, input.riskSummary, marks.conditions ?? "", lastSub].filter(Boolean);
    register({
      key: s.key,
      org: s.org,
      kind: "forum",
      hand: { visible: !(s.why !== "visible"), searchLevel: "NONE", why: s.why },
      marks: ruleMarks(marks),
      id,
      texts: allTexts,
      platform: input.platform,
      forumKind: input.kind,
      riskLevel: input.riskLevel,
    });
  }

  for (const s of shuffle(links)) {
    const marks = marksOf(s);
    const from = byKey.get(s.from)!;
    const to = byKey.get(s.to)!;
    const input = {
      fromId: from.id,
      toIdentityId: to.kind === "identity" ? to.id : null,
      toForumId: to.kind === "forum" ? to.id : null,
      linkType: s.linkType ?? "SAME_PERSON",
      rationale: `${tok(canary())} rationale`,
      markings: markings(marks),
    };
    const res = await gql(stack.gatewayUrl, LINK(NS[s.org]), { token: ownerToken(s.org), variables: { input } });
    expect(res.errors, `seeding ${s.key}: ${res.raw}`).toBeUndefined();
    const id = (res.data as Record<string, { linkIdentities: { id: string } }>)[NS[s.org]]!.linkIdentities.id;
    const allTexts = [input.rationale, marks.conditions ?? "", lastSub].filter(Boolean);
    register({
      key: s.key,
      org: s.org,
      kind: "link",
      hand: { visible: s.why === "visible", searchLevel: "NONE", why: s.why },
      marks: ruleMarks(marks),
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

  const groups = [
    { name: "A", words: ["shadow", "lynx", ra], handles: identities.filter((i) => i.key.startsWith("a")).map((i) => i.handle) },
    { name: "B", words: ["dark", "angel", rb], handles: identities.filter((i) => i.key.startsWith("b")).map((i) => i.handle) },
    { name: "C", words: ["night", "owl", rc], handles: identities.filter((i) => i.key.startsWith("c")).map((i) => i.handle) },
    { name: "D", words: ["bright", "finch", rd], handles: identities.filter((i) => i.key.startsWith("d")).map((i) => i.handle) },
    { name: "E", words: [canaryHandle1.toLowerCase()], handles: [canaryHandle1, canaryHandle2] },
  ];

  // Monitoring of forums (covert deployments name an undercover lead officer) and sightings
  // of identities by other orgs (notes stay with the sighting org and the identity's owner).
  // `visible`: what the ESSEX analyst may know of, by hand.
  const owned: Owned[] = [];
  const assignments: { key: string; org: Org; forum: string; covert?: boolean; classification?: Cls; visible: boolean }[] = [
    { key: "M1", org: "KENT", forum: "fN1", covert: true, visible: false },
    { key: "M2", org: "KENT", forum: "fN1", visible: true },
    { key: "M3", org: "NORFOLK", forum: "fE1", covert: true, visible: false },
    { key: "M4", org: "CEOP", forum: "fK1", classification: "SECRET", visible: false },
    { key: "M5", org: "ESSEX", forum: "fK1", covert: true, visible: false },
    // Overt, of an org that is no partner of the forum's owner: its analysts are not told.
    { key: "M6", org: "NORFOLK", forum: "fK1", visible: true },
  ];
  for (const a of assignments) {
    const c = tok(canary());
    const leadOfficer = { name: `DC ${c} (lead)`, email: `${c.toLowerCase()}@police.example`, phone: randomPhone() };
    const res = await gql<Record<string, { assignMonitoring: { id: string } }>>(
      stack.gatewayUrl,
      `mutation($input: AssignMonitoringInput!) { ${NS[a.org]} { assignMonitoring(input: $input) { id } } }`,
      {
        token: ownerToken(a.org),
        variables: { input: { forumId: byKey.get(a.forum)!.id, covert: a.covert ?? false, classification: a.classification ?? "OFFICIAL", leadOfficer } },
      },
    );
    expect(res.errors, `seeding ${a.key}: ${res.raw}`).toBeUndefined();
    const id = res.data![NS[a.org]]!.assignMonitoring.id;
    const texts = [leadOfficer.name, leadOfficer.email, leadOfficer.phone, lastSub];
    claim(a.key, `${a.key} (${a.org} monitoring)`, texts);
    owned.push({
      key: a.key,
      kind: "monitoring",
      org: a.org,
      id,
      uuid: id.split(":")[2]!,
      visible: a.visible,
      hand: a.visible,
      covert: a.covert ?? false,
      classification: a.classification ?? "OFFICIAL",
      about: byKey.get(a.forum)!.id,
      texts,
    });
  }
  const sightings: { key: string; org: Org; identity: string; classification?: Cls; visible: boolean }[] = [
    { key: "S1", org: "KENT", identity: "b1", visible: false },
    { key: "S2", org: "CEOP", identity: "d2", visible: true },
    { key: "S3", org: "CEOP", identity: "d2", classification: "SECRET", visible: false },
    { key: "S4", org: "KENT", identity: "a7", visible: false },
    { key: "S5", org: "NORFOLK", identity: "e2", visible: false },
    { key: "S6", org: "ESSEX", identity: "a1", visible: true },
    { key: "S7", org: "NORFOLK", identity: "a1", visible: false },
  ];
  for (const x of sightings) {
    const note = `${tok(canary())} seen by an undercover officer`;
    const res = await gql<Record<string, { recordSighting: { id: string } }>>(
      stack.gatewayUrl,
      `mutation($input: RecordSightingInput!) { ${NS[x.org]} { recordSighting(input: $input) { id } } }`,
      {
        token: ownerToken(x.org),
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
    claim(x.key, `${x.key} (${x.org} sighting)`, [note, lastSub]);
    owned.push({
      key: x.key,
      kind: "sighting",
      org: x.org,
      id,
      uuid: id.split(":")[2]!,
      visible: x.visible,
      hand: x.visible,
      covert: false,
      classification: x.classification ?? "OFFICIAL",
      about: byKey.get(x.identity)!.id,
      texts: [note, lastSub],
    });
  }
  for (const a of agreements) {
    claim(a.key, `${a.key} (agreement of ${a.members.join(", ")}, ${a.status})`, []);
    for (const m of a.name.matchAll(CANARY_RE))
      canaryKey.set(m[0].toUpperCase(), { key: a.key, desc: `${a.key} (agreement of ${a.members.join(", ")}, ${a.status})` });
  }

  // The hub's selector index is fed through each force's outbox: wait until every identity is in.
  const identityCount = records.filter((r) => r.kind === "identity").length;
  await eventually(
    async () =>
      (await sql<{ n: number }>(stack.databases.HUB!.ownerUrl, "SELECT count(DISTINCT record_id)::int AS n FROM selector_pointer"))[0]!.n === identityCount,
    30_000,
    100,
  );
  // Every force applies the agreements within seconds: probe each changed partnership.
  const probe = (p: Principal, key: string) =>
    gql<Record<string, { identity: { id: string } | null }>>(stack.gatewayUrl, `query($id: ID!) { ${NS[byKey.get(key)!.org]} { identity(id: $id) { id } } }`, {
      token: tokenOf(p),
      variables: { id: byKey.get(key)!.id },
    }).then((r) => !!r.data?.[NS[byKey.get(key)!.org]]?.identity);
  await eventually(
    async () =>
      !(await probe(principalOf("KENT", "ANALYST", "SECRET", false), "a6")) &&
      (await probe(principalOf("ESSEX", "ANALYST", "OFFICIAL", false), "a6")) &&
      !(await probe(principalOf("CEOP", "ANALYST", "SECRET", false), "b1")) &&
      (await probe(principalOf("CEOP", "ANALYST", "OFFICIAL", false), "a6")) &&
      !(await probe(principalOf("NORFOLK", "ANALYST", "SECRET", false), "d1")) &&
      (await probe(principalOf("NORFOLK", "ANALYST", "OFFICIAL", false), "v7")) &&
      (await probe(principalOf("KENT", "ANALYST", "SECRET", false), "d4")),
    30_000,
    250,
  );

  // Access requests for records their requesters found as POINTERs; each purpose is a canary.
  const requests: AccessReq[] = [];
  const essexAnalyst = principalOf("ESSEX", "ANALYST", "OFFICIAL_SENSITIVE", false);
  const reqSpecs: { key: string; by: Principal; record: string }[] = [
    { key: "R1", by: essexAnalyst, record: "k1" },
    { key: "R2", by: essexAnalyst, record: "b2" },
    { key: "R3", by: essexAnalyst, record: "b5" },
    { key: "R4", by: principalOf("KENT", "ANALYST", "SECRET", false), record: "k3" },
    { key: "R5", by: principalOf("CEOP", "ANALYST", "OFFICIAL", false), record: "b1" },
  ];
  for (const r of reqSpecs) {
    const purpose = `${tok(canary())} op 24/${r.key}`;
    const rec = byKey.get(r.record)!;
    const res = await gql<{ requestAccess: { id: string } }>(
      stack.gatewayUrl,
      `mutation($id: ID!, $p: String!) { requestAccess(recordId: $id, purpose: $p) { id } }`,
      {
        token: tokenOf(r.by),
        variables: { id: rec.id, p: purpose },
      },
    );
    expect(res.errors, `requesting ${r.key}: ${res.raw}`).toBeUndefined();
    claim(r.key, `${r.key} (${r.by.label}'s request for ${r.record})`, [purpose]);
    requests.push({
      key: r.key,
      id: res.data!.requestAccess.id,
      owner: rec.org,
      requesterOrg: r.by.org,
      requesterSub: r.by.sub,
      recordId: rec.id,
      purpose,
      visible: false,
    });
  }

  // Deconfliction alerts raised while the records were indexed.
  const alertRows = await sql<{
    id: string;
    trigger: "RECORD" | "SEARCH";
    selector: string;
    holder_org: Org;
    holder_record_id: string;
    holder_covert: boolean;
    other_org: Org;
    other_record_id: string;
    other_covert: boolean;
  }>(
    stack.databases.HUB!.ownerUrl,
    "SELECT id::text AS id, trigger, selector, holder_org, holder_record_id, holder_covert, other_org, other_record_id, other_covert FROM deconfliction_alert",
  );
  const alerts: Alert[] = alertRows.map((a) => ({
    id: a.id,
    trigger: a.trigger,
    selector: a.selector,
    holderOrg: a.holder_org,
    holderRecordId: a.holder_record_id,
    holderCovert: a.holder_covert,
    otherOrg: a.other_org,
    otherRecordId: a.other_record_id,
    otherCovert: a.other_covert,
    side: null,
    known: false,
  }));
  expect(pending, "every canary is claimed").toEqual([]);

  const seeded: Seeded = { records, owned, agreements, requests, alerts, groups, canaryKey, allTexts, created: new Map() };
  return viewOf(seeded, ATTACKER_PRINCIPAL);
}

const views = new WeakMap<Seeded, Map<string, World>>();

/** What one principal may see of the seeded world (cached per principal). */
export function viewOf(seeded: Seeded, p: Principal): World {
  let cache = views.get(seeded);
  if (!cache) views.set(seeded, (cache = new Map()));
  const cacheKey = `${p.label}|${p.sub}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const baseById = new Map(seeded.records.map((r) => [r.id, r]));
  const get = (id: string) => baseById.get(id);
  const ags = seeded.agreements;
  const records = seeded.records.map((r): Rec => {
    const read = readLevel(p, r, get, ags);
    const visible = read.level === "FULL";
    const search = r.kind === "link" ? "NONE" : markLevel(p, r, ags, true).level;
    return { ...r, visible, why: read.why, searchLevel: r.kind === "link" ? "NONE" : visible ? "FULL" : search === "POINTER" ? "POINTER" : "NONE" };
  });
  const byKey = new Map(records.map((r) => [r.key, r]));
  const byId = new Map(records.map((r) => [r.id, r]));
  const byUuid = new Map(records.map((r) => [r.uuid, r]));
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
  const owned = seeded.owned.map((o): Owned => ({
    ...o,
    visible: o.kind === "monitoring" ? seesAssignment(p, o, ags) : seesSighting(p, o, { org: byId.get(o.about)!.org, readable: byId.get(o.about)!.visible }),
  }));
  const requests = seeded.requests.map((r) => ({ ...r, visible: seesRequest(p, r, get) }));
  const desk = mayAttempt(p, { t: "deskCovert" });
  const alerts = seeded.alerts.map((a) => {
    const side = alertSide(p, a, get, ags);
    return { ...a, side, known: side !== null || (desk && deskLists(a, ags)) };
  });
  const agreements = seeded.agreements.map((a) => ({ ...a, visible: seesAgreement(p, a) }));
  const visibleOwners = new Set([
    ...records.filter((r) => r.visible).map((r) => r.key),
    ...owned.filter((o) => o.visible).map((o) => o.key),
    ...requests.filter((r) => r.visible).map((r) => r.key),
    ...agreements.filter((a) => a.visible).map((a) => a.key),
  ]);

  const visibleIds = new Set(records.filter((r) => r.visible).map((r) => r.id));
  const hiddenIds = new Set(records.filter((r) => !r.visible).map((r) => r.id));
  const visibleLinkEnds = new Set(
    records.filter((r) => r.kind === "link" && r.visible).flatMap((r) => [r.from!, r.toIdentity, r.toForum].filter((x): x is string => !!x)),
  );
  const pointerIds = new Set(records.filter((r) => r.kind !== "link" && r.searchLevel === "POINTER").map((r) => r.id));
  const desc = (r: Rec) => `${r.key} (${r.org} ${r.kind}, ${r.why})`;
  const hiddenHandles = records.filter((r) => !r.visible && r.handle).map((r) => r.handle!);

  const visibleKeys = new Set(records.filter((r) => r.visible && r.handle).map((r) => normaliseHandle(r.handle!)));
  const hiddenKeys = new Map<string, string>();
  for (const r of records) if (!r.visible && r.handle && !visibleKeys.has(normaliseHandle(r.handle))) hiddenKeys.set(normaliseHandle(r.handle), desc(r));
  const visibleHashes = new Set(records.filter((r) => r.visible).flatMap((r) => r.selectors ?? []));
  const hiddenHashes = new Map<string, { raw: string; owner: string }>();
  for (const r of records) {
    if (r.visible) continue;
    for (const e of r.emails ?? []) if (!visibleHashes.has(emailSelector(e)!)) hiddenHashes.set(emailSelector(e)!, { raw: e, owner: desc(r) });
    for (const ph of r.phones ?? []) if (!visibleHashes.has(phoneSelector(ph)!)) hiddenHashes.set(phoneSelector(ph)!, { raw: ph, owner: desc(r) });
  }
  const canaryOwner = new Map<string, string>();
  for (const [t, { key, desc: d }] of seeded.canaryKey) {
    const rec = byKey.get(key);
    canaryOwner.set(t, rec ? desc(rec) : `${d}${visibleOwners.has(key) ? "" : ", hidden"}`);
  }
  for (const r of records) if (r.handle) canaryOwner.set(r.handle, desc(r));
  const world: World = {
    principal: p,
    seeded,
    records,
    byKey,
    byId,
    byUuid,
    visibleIds,
    hiddenIds,
    visibleLinkEnds,
    pointerIds,
    hiddenHandles,
    groups: seeded.groups,
    ordered,
    canaryOwner,
    hiddenKeys,
    hiddenHashes,
    owned,
    agreements,
    requests,
    alerts,
    visibleOwners,
  };
  cache.set(cacheKey, world);
  return world;
}

/** Records of an org and kind the viewer should get in a page after a cursor position. */
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

/** Assignments of an org (or on a forum) the viewer may know of. */
export const expectedAssignments = (w: World, q: { org?: Org; forum?: string }) =>
  w.owned.filter((o) => o.kind === "monitoring" && o.visible && (!q.org || o.org === q.org) && (!q.forum || o.about === q.forum));

/** Sightings the viewer gets from `<org> { sightings }` (the sighting org's own list) or an identity's `sightings`. */
export function expectedSightings(w: World, q: { org?: Org; identity?: string }): Owned[] {
  return w.owned.filter(
    (o) => o.kind === "sighting" && o.visible && (!q.identity || o.about === q.identity) && (!q.org || (o.org === q.org && w.principal.org === q.org)),
  );
}

/** The cursor format of the force subgraphs' pages (base64url JSON of created_at and uuid). */
export const cursorAt = (r: Rec) => Buffer.from(JSON.stringify({ t: r.createdAt.toISOString(), id: r.uuid })).toString("base64url");
export const decodeCursor = (c: string): { t: string; id: string } => JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
