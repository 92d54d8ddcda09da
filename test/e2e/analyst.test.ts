import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleSelector } from "@interforce/domain";
import {
  changePilotAgreement,
  errorCodes,
  eventually,
  gql,
  identityInput,
  LINK_IDENTITIES,
  markings,
  RECORD_IDENTITY,
  sql,
  startTestStack,
  tokenFor,
  type GqlResult,
  type TestStack,
} from "@interforce/testkit";

let stack: TestStack;
const tag = Math.random().toString(36).slice(2, 7);
const owner = (org: string) => tokenFor({ org, roles: ["OFFICER"], clearance: "SECRET", covert: true, sub: `officer@${org.toLowerCase()}` });
const analyst = (org: string, clearance: "OFFICIAL" | "OFFICIAL_SENSITIVE" | "SECRET" = "OFFICIAL_SENSITIVE") =>
  tokenFor({ org, roles: ["ANALYST"], clearance, sub: `analyst@${org.toLowerCase()}` });

async function identity(org: string, input: Record<string, unknown>): Promise<string> {
  const ns = org.toLowerCase();
  const r = await gql<Record<string, { recordOnlineIdentity: { id: string } }>>(stack.gatewayUrl, RECORD_IDENTITY(ns), {
    token: owner(org),
    variables: { input: identityInput({ notes: `notes ${input.handle}`, ...input }) },
  });
  expect(r.errors).toBeUndefined();
  return r.data![ns]!.recordOnlineIdentity.id;
}

async function link(org: string, fromId: string, toIdentityId: string, mark: Record<string, unknown> = {}): Promise<string> {
  const ns = org.toLowerCase();
  const r = await gql<Record<string, { linkIdentities: { id: string } }>>(stack.gatewayUrl, LINK_IDENTITIES(ns), {
    token: owner(org),
    variables: { input: { fromId, toIdentityId, linkType: "COMMUNICATES_WITH", rationale: `rationale ${tag}`, markings: markings(mark) } },
  });
  expect(r.errors).toBeUndefined();
  return r.data![ns]!.linkIdentities.id;
}

const indexed = async (ids: string[]) =>
  Number(
    (
      await sql<{ n: string }>(stack.databases.HUB!.ownerUrl, "SELECT count(DISTINCT record_id)::text AS n FROM selector_pointer WHERE record_id = ANY($1)", [
        ids,
      ])
    )[0]!.n,
  ) === ids.length;

const SEARCH = `query($q: String!, $p: Platform, $f: Boolean) { search(query: $q, platform: $p, fuzzy: $f, first: 50) {
  hits { recordId org { code } match score access { level } identity { id ... on OnlineIdentity { handle } } } pageInfo { hasNextPage } } }`;
type Hit = {
  recordId: string;
  org: { code: string };
  match: string;
  score: number;
  access: { level: string };
  identity: { id: string; handle: string } | null;
};

const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack();
  ids.kentAngel = await identity("KENT", { handle: `D4rk_Angel.${tag}`, platform: "SNAPCHAT", emails: [`Angel.${tag}@Example.org`], phones: ["07700 900123"] });
  ids.norfolkAngel = await identity("NORFOLK", { handle: `dark angel ${tag}`, platform: "SNAPCHAT" });
  ids.essexSimilar = await identity("ESSEX", { handle: `dark angle ${tag}`, platform: "KIK", phones: ["+44 7700 900123"] });
  ids.kentDecoy = await identity("KENT", { handle: `darkangel${tag}x`, platform: "SNAPCHAT", status: "DECOY", markings: markings({ covert: true }) });
  ids.essexDecoyTwin = await identity("ESSEX", { handle: `Secret_Twin_${tag}`, platform: "TIKTOK" });
  ids.kentDecoyTwin = await identity("KENT", { handle: `secret twin ${tag}`, platform: "TIKTOK", status: "DECOY", markings: markings({ covert: true }) });
  // A graph: A(KENT) -> B(NORFOLK) -> H(KENT, SECRET: hidden from the viewer) -> D(NORFOLK)
  ids.a = await identity("KENT", { handle: `graph_a_${tag}` });
  ids.b = await identity("NORFOLK", { handle: `graph_b_${tag}` });
  ids.h = await identity("KENT", { handle: `graph_hidden_${tag}`, markings: markings({ classification: "SECRET" }) });
  ids.d = await identity("NORFOLK", { handle: `graph_d_${tag}` });
  ids.ab = await link("KENT", ids.a, ids.b);
  ids.bh = await link("NORFOLK", ids.b, ids.h);
  ids.hd = await link("KENT", ids.h, ids.d, { classification: "SECRET" });
  ids.aSecretLink = await link("KENT", ids.a, ids.d, { classification: "SECRET", source: "UNTESTED" });
  await eventually(
    () =>
      indexed(
        Object.entries(ids)
          .filter(([k]) => !["ab", "bh", "hd", "aSecretLink"].includes(k))
          .map(([, v]) => v),
      ),
    15000,
  );
});
afterAll(async () => {
  await stack?.stop();
});

describe("search: who else holds this selector", () => {
  it("finds the same handle at every force in one query, exact hits first, similar handles ranked after", async () => {
    const res = await gql<{ search: { hits: Hit[] } }>(stack.gatewayUrl, SEARCH, { token: analyst("CEOP"), variables: { q: `DARK-ANGEL ${tag}`, f: true } });
    expect(res.errors).toBeUndefined();
    const hits = res.data!.search.hits;
    expect(
      hits
        .slice(0, 2)
        .map((h) => h.recordId)
        .sort(),
    ).toEqual([ids.kentAngel, ids.norfolkAngel].sort());
    expect(hits.slice(0, 2).every((h) => h.match === "EXACT" && h.score === 1 && h.identity !== null)).toBe(true);
    const fuzzy = hits.find((h) => h.recordId === ids.essexSimilar)!;
    expect(fuzzy).toMatchObject({ match: "FUZZY", org: { code: "ESSEX" }, identity: { handle: `dark angle ${tag}` } });
    expect(fuzzy.score).toBeLessThan(1);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it("gives a fuzzy POINTER no similarity to the handle it may not read, so queries cannot home in on it", async () => {
    // ids.h is SECRET: an OFFICIAL_SENSITIVE CEOP analyst may know KENT holds it, not read it.
    const scores: number[] = [];
    for (const q of [`graph_hiden_${tag}`, `grap hidden ${tag}`, `graph_hidden_${tag.slice(0, 3)}`]) {
      const res = await gql<{ search: { hits: (Hit & { selector: string })[] } }>(stack.gatewayUrl, SEARCH.replace("recordId org", "recordId selector org"), {
        token: analyst("CEOP"),
        variables: { q, f: true },
      });
      expect(res.errors).toBeUndefined();
      const hit = res.data!.search.hits.find((h) => h.recordId === ids.h)!;
      expect(hit).toMatchObject({ match: "FUZZY", access: { level: "POINTER" }, identity: null });
      expect(res.raw).not.toContain(`graph_hidden_${tag}`.replace(/_/g, ""));
      scores.push(hit.score);
    }
    // The same floor for every query, however close it came.
    expect(new Set(scores).size).toBe(1);
    expect(scores[0]).toBeLessThan(0.5);
  });

  it("never turns a fuzzy or exact match on a covert record into a hit", async () => {
    for (const fuzzy of [true, false]) {
      const res = await gql<{ search: { hits: Hit[] } }>(stack.gatewayUrl, SEARCH, {
        token: analyst("CEOP", "SECRET"),
        variables: { q: `darkangel${tag}x`, f: fuzzy },
      });
      expect(res.data!.search.hits.map((h) => h.recordId)).not.toContain(ids.kentDecoy);
      expect(res.raw).not.toContain(ids.kentDecoy);
    }
  });

  it("matches emails and phone numbers by hash, in any spelling, across forces", async () => {
    const byEmail = await gql<{ search: { hits: Hit[] } }>(stack.gatewayUrl, SEARCH, {
      token: analyst("ESSEX"),
      variables: { q: ` angel.${tag}@example.ORG ` },
    });
    expect(byEmail.data!.search.hits.map((h) => h.recordId)).toEqual([ids.kentAngel]);
    const byPhone = await gql<{ search: { hits: Hit[] } }>(stack.gatewayUrl, SEARCH, { token: analyst("CEOP"), variables: { q: "0044 7700 900 123" } });
    expect(byPhone.data!.search.hits.map((h) => h.recordId).sort()).toEqual([ids.kentAngel, ids.essexSimilar].sort());
    const stored = await sql<{ email_hashes: string[] }>(stack.databases.KENT!.ownerUrl, "SELECT email_hashes FROM online_identity WHERE id = $1", [
      ids.kentAngel.split(":")[2],
    ]);
    expect(JSON.stringify(stored)).not.toContain("example.org");
  });
});

describe("deconfliction", () => {
  type Alert = {
    trigger: string;
    selector: string;
    counterpartOrg: string | null;
    yourRecordId: string | null;
    contact: { name: string };
    advice: string;
    id: string;
    acknowledgedAt: string | null;
  };
  const ALERTS = `{ deconflictionAlerts(first: 100) { nodes { id trigger selector counterpartOrg yourRecordId contact { name } advice acknowledgedAt } } }`;
  const alerts = async (org: string, covert = false) =>
    (
      await gql<{ deconflictionAlerts: { nodes: Alert[] } }>(stack.gatewayUrl, ALERTS, {
        token: tokenFor({ org, roles: ["ANALYST"], clearance: "OFFICIAL_SENSITIVE", covert, sub: `analyst@${org.toLowerCase()}` }),
      })
    ).data!.deconflictionAlerts.nodes;

  it("tells both SPOCs when a force records a selector another holds", async () => {
    const kent = await eventually(async () => (await alerts("KENT")).find((a) => a.trigger === "RECORD" && a.counterpartOrg === "NORFOLK"));
    expect(kent).toMatchObject({ yourRecordId: ids.kentAngel, contact: { name: "Norfolk Intelligence SPOC" } });
    const norfolk = (await alerts("NORFOLK")).find((a) => a.trigger === "RECORD" && a.counterpartOrg === "KENT");
    expect(norfolk).toMatchObject({ yourRecordId: ids.norfolkAngel, contact: { name: "Kent Intelligence SPOC" } });
  });

  it("names nobody it should not when one side is covert", async () => {
    // ESSEX recorded `Secret_Twin`, then KENT recorded the same selector as a covert decoy.
    const essex = await eventually(async () => (await alerts("ESSEX")).find((a) => a.yourRecordId === ids.essexDecoyTwin));
    expect(essex.counterpartOrg).toBeNull();
    expect(essex.contact.name).toBe("CEOP Deconfliction Desk");
    expect(JSON.stringify(await alerts("ESSEX"))).not.toContain(ids.kentDecoyTwin);
    // Only KENT officers with the covert claim hear about KENT's covert records.
    expect((await alerts("KENT")).find((a) => a.yourRecordId === ids.kentDecoyTwin)).toBeUndefined();
    const kent = (await alerts("KENT", true)).find((a) => a.yourRecordId === ids.kentDecoyTwin)!;
    expect(kent).toMatchObject({ counterpartOrg: "ESSEX", contact: { name: "Essex Intelligence SPOC" } });

    // A search for a covert record's selector: no hit for the searcher, an alert for the owner.
    const search = await gql<{ search: { hits: Hit[] } }>(stack.gatewayUrl, SEARCH, {
      token: analyst("NORFOLK"),
      variables: { q: `darkangel${tag}x`, p: "SNAPCHAT" },
    });
    expect(search.data!.search.hits).toEqual([]);
    const owner = await eventually(async () => (await alerts("KENT", true)).find((a) => a.trigger === "SEARCH" && a.yourRecordId === ids.kentDecoy));
    expect(owner.counterpartOrg).toBe("NORFOLK");
    // The searcher is left as if nobody held the selector: no alert that would betray a covert interest.
    expect((await alerts("NORFOLK")).filter((a) => a.trigger === "SEARCH" && a.counterpartOrg === null)).toEqual([]);
    expect(JSON.stringify(await alerts("NORFOLK"))).not.toContain(ids.kentDecoy);
  });

  it("shows the CEOP deconfliction desk the alerts it brokers, naming both orgs and no record, and no one else", async () => {
    const DESK = `{ deconflictionDeskAlerts(first: 100) { nodes { id trigger selector holderOrg holderCovert otherOrg otherCovert partners holderContact { name } otherContact { name } } } }`;
    type DeskAlert = {
      id: string;
      holderOrg: string;
      otherOrg: string;
      holderCovert: boolean;
      otherCovert: boolean;
      partners: boolean;
      holderContact: { name: string };
    };
    const desk = tokenFor({ org: "CEOP", roles: ["ANALYST"], clearance: "SECRET", covert: true, sub: "desk@ceop" });
    const twin = (
      await sql<{ id: string }>(stack.databases.HUB!.ownerUrl, "SELECT id FROM deconfliction_alert WHERE holder_record_id = $1 OR other_record_id = $1", [
        ids.kentDecoyTwin,
      ])
    )[0]!;
    const res = await gql<{ deconflictionDeskAlerts: { nodes: DeskAlert[] } }>(stack.gatewayUrl, DESK, { token: desk });
    expect(res.errors).toBeUndefined();
    const listed = res.data!.deconflictionDeskAlerts.nodes;
    // Which side holds depends on which pointer reached the hub first; KENT's side is the covert one.
    const alert = listed.find((a) => a.id === twin.id)!;
    expect([alert.holderOrg, alert.otherOrg].sort()).toEqual(["ESSEX", "KENT"]);
    expect(alert.holderOrg === "KENT" ? alert.holderCovert : alert.otherCovert).toBe(true);
    expect(alert.holderContact.name).toBe(alert.holderOrg === "KENT" ? "Kent Intelligence SPOC" : "Essex Intelligence SPOC");
    // Only alerts a side was told to take to the desk: a covert side, or no agreement in force.
    expect(listed.every((a) => a.holderCovert || a.otherCovert || !a.partners)).toBe(true);
    for (const id of [ids.kentDecoyTwin, ids.essexDecoyTwin, ids.kentDecoy]) expect(res.raw).not.toContain(id);
    for (const token of [analyst("ESSEX"), analyst("CEOP", "SECRET"), tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", covert: true })]) {
      const refused = await gql(stack.gatewayUrl, DESK, { token });
      expect(errorCodes(refused)).toEqual(["FORBIDDEN"]);
      expect(refused.raw).not.toContain(twin.id);
    }
  });

  it("is acknowledged per org, and only by a party to it", async () => {
    // KENT and NORFOLK both recorded the angel handle: CEOP is no party to that alert.
    const first = (await alerts("KENT")).find((a) => a.trigger === "RECORD" && a.counterpartOrg === "NORFOLK");
    const ack = `mutation($id: ID!) { acknowledgeDeconflictionAlert(id: $id) { acknowledgedAt } }`;
    const outsider = await gql(stack.gatewayUrl, ack, { token: analyst("CEOP"), variables: { id: first!.id } });
    expect(errorCodes(outsider)).toEqual(["NOT_FOUND"]);
    const done = await gql<{ acknowledgeDeconflictionAlert: { acknowledgedAt: string } }>(stack.gatewayUrl, ack, {
      token: analyst("KENT"),
      variables: { id: first!.id },
    });
    expect(done.data!.acknowledgeDeconflictionAlert.acknowledgedAt).toBeTruthy();
    expect((await alerts("KENT")).find((a) => a.id === first!.id)!.acknowledgedAt).toBeTruthy();
    // Each side acknowledges for itself.
    expect((await alerts("NORFOLK")).find((a) => a.id === first!.id)!.acknowledgedAt).toBeNull();
  });

  it("names neither side to the other, and tells a searcher nothing, when no agreement in force binds them", async () => {
    const transition = (change: "suspendAgreement" | "reinstateAgreement") => changePilotAgreement(stack.gatewayUrl, change);
    const handle = `outside_${tag}`;
    const selector = handleSelector(handle, "KIK");
    const held = await identity("KENT", { handle, platform: "KIK" });
    await eventually(() => indexed([held]), 15000);
    await transition("suspendAgreement");
    try {
      const search = await gql<{ search: { hits: Hit[] } }>(stack.gatewayUrl, SEARCH, { token: analyst("ESSEX"), variables: { q: handle, p: "KIK" } });
      expect(search.data!.search.hits).toEqual([]);
      // The holder is told someone searched, and to go through the desk; the searcher is told nothing.
      const kent = await eventually(async () => (await alerts("KENT")).find((a) => a.trigger === "SEARCH" && a.yourRecordId === held));
      expect(kent).toMatchObject({ counterpartOrg: null, contact: { name: "CEOP Deconfliction Desk" } });
      expect(JSON.stringify(kent)).not.toContain("ESSEX");
      const essex = await alerts("ESSEX");
      expect(JSON.stringify(essex)).not.toContain(held);
      expect(essex.filter((a) => a.selector === selector)).toEqual([]);
    } finally {
      await transition("reinstateAgreement");
    }
    // Partners again: the same alert names each side to the other.
    const named = await eventually(async () =>
      (await alerts("ESSEX")).find((a) => a.trigger === "SEARCH" && a.counterpartOrg === "KENT" && a.selector === selector),
    );
    expect(named.contact.name).toBe("Kent Intelligence SPOC");
  });

  it("cannot be acknowledged, or read back through the acknowledgement, by someone of the org it is hidden from", async () => {
    // The alert about KENT's covert decoy twin: a KENT analyst without the covert claim never sees it.
    const [row] = await sql<{ id: string; holder_ack_at: string | null; other_ack_at: string | null }>(
      stack.databases.HUB!.ownerUrl,
      "SELECT id, holder_ack_at, other_ack_at FROM deconfliction_alert WHERE holder_record_id = $1 OR other_record_id = $1",
      [ids.kentDecoyTwin],
    );
    expect(row).toBeDefined();
    const ack = `mutation($id: ID!) { acknowledgeDeconflictionAlert(id: $id) { id counterpartOrg yourRecordId acknowledgedAt } }`;
    const res = await gql(stack.gatewayUrl, ack, { token: analyst("KENT"), variables: { id: row!.id } });
    expect(errorCodes(res)).toEqual(["NOT_FOUND"]);
    expect(res.raw).not.toContain(ids.kentDecoyTwin);
    expect(res.raw).not.toContain("ESSEX");
    const [after] = await sql<{ holder_ack_at: string | null; other_ack_at: string | null }>(
      stack.databases.HUB!.ownerUrl,
      "SELECT holder_ack_at, other_ack_at FROM deconfliction_alert WHERE id = $1",
      [row!.id],
    );
    expect(after).toEqual({ holder_ack_at: row!.holder_ack_at, other_ack_at: row!.other_ack_at });
  });

  it("pages through full pages, none repeated or skipped, when alerts are withheld from the reader", async () => {
    // A KENT analyst (OFFICIAL_SENSITIVE, no covert claim) is not told of the alerts about KENT's
    // covert records, nor of one about a SECRET record: NORFOLK and KENT both hold this handle.
    await identity("NORFOLK", { handle: `paging_secret_${tag}`, platform: "DISCORD" });
    const secret = await identity("KENT", { handle: `paging_secret_${tag}`, platform: "DISCORD", markings: markings({ classification: "SECRET" }) });
    await eventually(
      async () =>
        (await sql(stack.databases.HUB!.ownerUrl, "SELECT 1 FROM deconfliction_alert WHERE holder_record_id = $1 OR other_record_id = $1", [secret])).length >
        0,
      // Both pointers go through their forces' outboxes first; a busy machine can take a while.
      30_000,
    );
    const all = await alerts("KENT");
    expect(JSON.stringify(all)).not.toContain(secret);
    const hidden = await sql<{ n: string }>(
      stack.databases.HUB!.ownerUrl,
      "SELECT count(*)::text AS n FROM deconfliction_alert WHERE holder_org = 'KENT' OR other_org = 'KENT'",
    );
    expect(Number(hidden[0]!.n)).toBeGreaterThan(all.length);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const paged: string[] = [];
    for (let after: string | null = null; ;) {
      type Page = { nodes: { id: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
      const r: GqlResult<{ deconflictionAlerts: Page }> = await gql(
        stack.gatewayUrl,
        `query($a: String) { deconflictionAlerts(first: 1, after: $a) { nodes { id } pageInfo { endCursor hasNextPage } } }`,
        {
          token: analyst("KENT"),
          variables: { a: after },
        },
      );
      const page = r.data!.deconflictionAlerts;
      expect(page.nodes).toHaveLength(1);
      paged.push(page.nodes[0]!.id);
      // The cursor is opaque: it names no alert, record or selector.
      for (const a of all) expect(page.pageInfo.endCursor).not.toContain(a.id);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all.map((a) => a.id));
  });
});

describe("linkGraph", () => {
  const GRAPH = `query($id: ID!, $d: Int!) { linkGraph(rootId: $id, depth: $d) {
    root { id } nodes { id ... on OnlineIdentity { handle owner } } edges { id owner ... on SuspectLink { from { identity { id } } toIdentity { identity { id } } } } truncated unavailableOrgs } }`;
  type End = { identity: { id: string } | null } | null;
  type Graph = {
    linkGraph: {
      root: { id: string } | null;
      nodes: { id: string; handle: string }[];
      edges: { id: string; from?: End; toIdentity?: End }[];
      truncated: boolean;
      unavailableOrgs: string[];
    };
  };

  it("walks links across forces and keeps hidden nodes hidden, even from the edges that touch them", async () => {
    const res = await gql<Graph>(stack.gatewayUrl, GRAPH, { token: analyst("CEOP"), variables: { id: ids.a, d: 3 } });
    expect(res.errors).toBeUndefined();
    const g = res.data!.linkGraph;
    expect(g.root).toEqual({ id: ids.a });
    expect(g.nodes.map((n) => n.id).sort()).toEqual([ids.a, ids.b].sort());
    expect(g.edges.map((e) => e.id)).toEqual([ids.ab]);
    // Both ends of the visible edge are read from their owners.
    expect(g.edges[0]).toMatchObject({ from: { identity: { id: ids.a } }, toIdentity: { identity: { id: ids.b } } });
    expect(g.unavailableOrgs).toEqual([]);
    for (const hidden of [ids.h, ids.d, ids.bh, ids.hd, ids.aSecretLink, `graph_hidden_${tag}`]) expect(res.raw).not.toContain(hidden);
  });

  it("shows the whole chain to a principal cleared for it", async () => {
    const res = await gql<Graph>(stack.gatewayUrl, GRAPH, { token: owner("KENT"), variables: { id: ids.a, d: 3 } });
    // KENT officers read only their own force: NORFOLK's records stay out.
    expect(res.data!.linkGraph.nodes.map((n) => n.id).sort()).toEqual([ids.a].sort());
    const cleared = await gql<Graph>(stack.gatewayUrl, GRAPH, {
      token: tokenFor({ org: "KENT", roles: ["OFFICER", "ANALYST"], clearance: "SECRET" }),
      variables: { id: ids.a, d: 3 },
    });
    expect(cleared.data!.linkGraph.nodes.map((n) => n.id).sort()).toEqual([ids.a, ids.b, ids.h, ids.d].sort());
    expect(cleared.data!.linkGraph.edges.map((e) => e.id).sort()).toEqual([ids.ab, ids.bh, ids.hd, ids.aSecretLink].sort());
  });

  it("rejects depth over 3 and a root that is not an identity", async () => {
    expect(errorCodes(await gql(stack.gatewayUrl, GRAPH, { token: analyst("CEOP"), variables: { id: ids.a, d: 4 } }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await gql(stack.gatewayUrl, GRAPH, { token: analyst("CEOP"), variables: { id: ids.ab, d: 1 } }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("gives nothing for a root the caller may not read", async () => {
    const res = await gql<Graph>(stack.gatewayUrl, GRAPH, { token: analyst("CEOP"), variables: { id: ids.h, d: 2 } });
    expect(res.data!.linkGraph).toMatchObject({ root: null, nodes: [], edges: [] });
  });
});

describe("identities across forces", () => {
  const LIST = `query($f: IdentityFilter, $first: Int!, $after: String) { identities(filter: $f, first: $first, after: $after) {
    nodes { id ... on OnlineIdentity { handle owner lastSeen } } pageInfo { endCursor hasNextPage } unavailableOrgs } }`;
  type List = {
    identities: { nodes: { id: string; owner: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean }; unavailableOrgs: string[] };
  };

  it("pages through every readable identity of every force once, in a stable order, without covert ones", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const res: Awaited<ReturnType<typeof gql<List>>> = await gql<List>(stack.gatewayUrl, LIST, { token: analyst("CEOP"), variables: { first: 3, after } });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.identities.nodes.map((n) => n.id));
      if (!res.data!.identities.pageInfo.hasNextPage) break;
      after = res.data!.identities.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const visible of [ids.kentAngel, ids.norfolkAngel, ids.essexSimilar, ids.a, ids.b, ids.d]) expect(seen).toContain(visible);
    for (const hidden of [ids.kentDecoy, ids.kentDecoyTwin, ids.h]) expect(seen).not.toContain(hidden);
  });

  it("filters by platform and owner", async () => {
    const res = await gql<List>(stack.gatewayUrl, LIST, { token: analyst("CEOP"), variables: { first: 50, f: { platform: "KIK", orgs: ["ESSEX"] } } });
    expect(res.data!.identities.nodes.map((n) => n.id)).toEqual([ids.essexSimilar]);
    const bad = await gql(stack.gatewayUrl, LIST, { token: analyst("CEOP"), variables: { first: 50, f: { orgs: ["ATLANTIS"] } } });
    expect(errorCodes(bad)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("idempotent writes", () => {
  const MUTATION = `mutation($input: RecordOnlineIdentityInput!, $key: String) { kent { recordOnlineIdentity(input: $input, idempotencyKey: $key) { id handle } } }`;
  type Res = { kent: { recordOnlineIdentity: { id: string } } };
  const count = async (handle: string) =>
    Number((await sql<{ n: string }>(stack.databases.KENT!.ownerUrl, "SELECT count(*)::text AS n FROM online_identity WHERE handle = $1", [handle]))[0]!.n);

  it("applies a retried write once, even when the retries race, and refuses the key for another request", async () => {
    const handle = `retry_${tag}`;
    const input = identityInput({ handle });
    const key = `client-${tag}-1`;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => gql<Res>(stack.gatewayUrl, MUTATION, { token: owner("KENT"), variables: { input, key } })),
    );
    const returned = new Set(results.map((r) => r.data?.kent.recordOnlineIdentity.id));
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    expect(returned.size).toBe(1);
    expect(await count(handle)).toBe(1);
    const [id] = [...returned];
    const collections = await sql(stack.databases.KENT!.ownerUrl, "SELECT 1 FROM audit_event WHERE action = 'COLLECTION' AND $1 = ANY(record_ids)", [id]);
    expect(collections).toHaveLength(1);

    const other = await gql(stack.gatewayUrl, MUTATION, { token: owner("KENT"), variables: { input: identityInput({ handle: `other_${tag}` }), key } });
    expect(errorCodes(other)).toEqual(["BAD_USER_INPUT"]);
    expect(other.errors![0]!.extensions!.field).toBe("idempotencyKey");
    expect(await count(`other_${tag}`)).toBe(0);
  });
});
