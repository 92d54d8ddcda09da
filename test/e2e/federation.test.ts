import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  errorCodes,
  eventually,
  expiredToken,
  gql,
  identityInput,
  LINK_IDENTITIES,
  markings,
  RECORD_IDENTITY,
  rawToken,
  sql,
  startTestStack,
  tokenFor,
  type TestStack,
} from "@interforce/testkit";

let stack: TestStack;
const kentOfficer = () => tokenFor({ org: "KENT", roles: ["OFFICER"] });
const norfolkOfficer = () => tokenFor({ org: "NORFOLK", roles: ["OFFICER"] });

const SEARCH = `query Search($s: String!) {
  search(query: $s, platform: SNAPCHAT) {
    hits { org { code spoc { email } } selector identity { id owner handle status notes } }
    pageInfo { hasNextPage }
  }
}`;

let kentId: string;
let norfolkId: string;
let linkId: string;
const suffix = Math.random().toString(36).slice(2, 8);
const kentHandle = `Sh4d0w_Fox.${suffix}`;
const norfolkHandle = `shadow fox ${suffix}`;

async function indexed(recordId: string) {
  const rows = await sql(stack.databases.HUB!.ownerUrl, "SELECT 1 FROM selector_pointer WHERE record_id = $1", [recordId]);
  return rows.length === 1;
}

beforeAll(async () => {
  stack = await startTestStack();
  const k = await gql<{ kent: { recordOnlineIdentity: { id: string } } }>(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
    token: kentOfficer(),
    variables: { input: identityInput({ handle: kentHandle, notes: "kent notes", markings: markings({ classification: "OFFICIAL_SENSITIVE" }) }) },
  });
  expect(k.errors).toBeUndefined();
  kentId = k.data!.kent.recordOnlineIdentity.id;
  const n = await gql<{ norfolk: { recordOnlineIdentity: { id: string } } }>(stack.gatewayUrl, RECORD_IDENTITY("norfolk"), {
    token: norfolkOfficer(),
    variables: { input: identityInput({ handle: norfolkHandle, notes: "norfolk notes" }) },
  });
  expect(n.errors).toBeUndefined();
  norfolkId = n.data!.norfolk.recordOnlineIdentity.id;
  const l = await gql<{ kent: { linkIdentities: { id: string } } }>(stack.gatewayUrl, LINK_IDENTITIES("kent"), {
    token: kentOfficer(),
    variables: {
      input: {
        fromId: kentId,
        toIdentityId: norfolkId,
        linkType: "SAME_PERSON",
        rationale: "same script",
        markings: markings({ classification: "OFFICIAL_SENSITIVE" }),
      },
    },
  });
  expect(l.errors).toBeUndefined();
  linkId = l.data!.kent.linkIdentities.id;
  await eventually(async () => (await indexed(kentId)) && (await indexed(norfolkId)));
});

afterAll(async () => {
  await stack?.stop();
});

describe("search across forces through the gateway", () => {
  it("returns the KENT and NORFOLK records of a shared handle, each fetched only from its owner", async () => {
    const res = await gql<{ search: { hits: { org: { code: string }; identity: { id: string; handle: string; owner: string; notes: string } }[] } }>(
      stack.gatewayUrl,
      SEARCH,
      { token: tokenFor({ org: "KENT", roles: ["ANALYST"] }), variables: { s: "SHADOW-FOX " + suffix } },
    );
    expect(res.errors).toBeUndefined();
    const hits = res.data!.search.hits;
    expect(hits.map((h) => h.identity.id).sort()).toEqual([kentId, norfolkId].sort());
    const byOrg = Object.fromEntries(hits.map((h) => [h.org.code, h.identity]));
    expect(byOrg.KENT).toMatchObject({ handle: kentHandle, owner: "KENT", notes: "kent notes" });
    expect(byOrg.NORFOLK).toMatchObject({ handle: norfolkHandle, owner: "NORFOLK", notes: "norfolk notes" });

    // Each force subgraph was asked only for its own ids; the others were not called.
    // Each resolution is audited before it answers, so the audit logs are complete by now.
    const resolved = async (org: string) =>
      (
        await sql<{ record_ids: string[]; asked: number }>(
          stack.databases[org]!.ownerUrl,
          "SELECT record_ids, (detail->>'asked')::int AS asked FROM audit_event WHERE request_id = $1 AND operation LIKE 'resolve %'",
          [res.requestId],
        )
      ).flatMap((e) => (e.asked === e.record_ids.length ? e.record_ids : [...e.record_ids, `${e.asked - e.record_ids.length} unknown id(s)`]));
    expect(await resolved("KENT")).toEqual([kentId]);
    expect(await resolved("NORFOLK")).toEqual([norfolkId]);
    expect(await resolved("ESSEX")).toEqual([]);
    expect(await resolved("CEOP")).toEqual([]);
  });

  it("answers the same hits in nodes as in the deprecated hits, and for the deprecated selector: as for query:", async () => {
    const token = tokenFor({ org: "KENT", roles: ["ANALYST"] });
    const ask = (arg: "query" | "selector") =>
      gql<{ search: { nodes: { recordId: string }[]; hits: { recordId: string }[] } }>(
        stack.gatewayUrl,
        `query($s: String!) { search(${arg}: $s, platform: SNAPCHAT) { nodes { recordId } hits { recordId } } }`,
        { token, variables: { s: "SHADOW-FOX " + suffix } },
      );
    const [byQuery, bySelector] = [await ask("query"), await ask("selector")];
    expect(byQuery.errors, byQuery.raw).toBeUndefined();
    expect(byQuery.data!.search.nodes.map((h) => h.recordId).sort()).toEqual([kentId, norfolkId].sort());
    expect(byQuery.data!.search.hits).toEqual(byQuery.data!.search.nodes);
    expect(bySelector.data).toEqual(byQuery.data);
  });

  it("resolves both ends of a cross-force link from their owners", async () => {
    const res = await gql<{ suspectLink: Record<string, any> }>(
      stack.gatewayUrl,
      `query($id: ID!) { suspectLink(id: $id) { id owner linkType
          from { identity { id owner handle } }
          toIdentity { identity { id owner handle } } } }`,
      { token: tokenFor({ org: "ESSEX", roles: ["ANALYST"] }), variables: { id: linkId } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.suspectLink).toMatchObject({
      id: linkId,
      owner: "KENT",
      linkType: "SAME_PERSON",
      from: { identity: { id: kentId, owner: "KENT", handle: kentHandle } },
      toIdentity: { identity: { id: norfolkId, owner: "NORFOLK", handle: norfolkHandle } },
    });
    const norfolkLogs = await eventually(async () => {
      const found = stack.logsFor("norfolk", res.requestId).filter((l) => l.msg === "records resolved by id");
      return found.length > 0 && found;
    });
    // NORFOLK decides on its own record only: once when the hub asks whether the caller may
    // read the reference's record, and again when the gateway fetches it.
    expect([...new Set(norfolkLogs.flatMap((l) => Object.keys(l.decisions as object)))]).toEqual([norfolkId]);
    expect(norfolkLogs.flatMap((l) => Object.values(l.decisions as object))).toEqual(norfolkLogs.map(() => "FULL"));
  });
});

describe("an identity's links", () => {
  it("are a page: walked with first and after, through the hub and through the owner's namespace alike", async () => {
    // Two more links from the KENT identity, to KENT identities of its own.
    for (const n of [1, 2]) {
      const to = await gql<{ kent: { recordOnlineIdentity: { id: string } } }>(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
        token: kentOfficer(),
        variables: { input: identityInput({ handle: `fox cub ${n} ${suffix}` }) },
      });
      expect(to.errors, to.raw).toBeUndefined();
      const l = await gql(stack.gatewayUrl, LINK_IDENTITIES("kent"), {
        token: kentOfficer(),
        variables: {
          input: {
            fromId: kentId,
            toIdentityId: to.data!.kent.recordOnlineIdentity.id,
            linkType: "COMMUNICATES_WITH",
            rationale: `cub ${n}`,
            markings: markings({ classification: "OFFICIAL_SENSITIVE" }),
          },
        },
      });
      expect(l.errors, l.raw).toBeUndefined();
    }
    type Page = { nodes: { id: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
    const paths: [string, string, (d: any) => Page][] = [
      [
        "hub",
        `identity(id: $id) { ... on OnlineIdentity { links(first: $n, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } } }`,
        (d) => d.identity.links,
      ],
      [
        "kent",
        `kent { identity(id: $id) { links(first: $n, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } } }`,
        (d) => d.kent.identity.links,
      ],
    ];
    const token = tokenFor({ org: "KENT", roles: ["ANALYST"] });
    for (const [path, field, pick] of paths) {
      const ask = (n: number, after: string | null) =>
        gql(stack.gatewayUrl, `query($id: ID!, $n: Int!, $after: String) { ${field} }`, { token, variables: { id: kentId, n, after } });
      const all = await ask(100, null);
      expect(all.errors, all.raw).toBeUndefined();
      const whole = pick(all.data);
      expect(whole.nodes, path).toHaveLength(3);
      expect(
        whole.nodes.map((l) => l.id),
        path,
      ).toContain(linkId);
      expect(whole.pageInfo.hasNextPage, path).toBe(false);
      const walked: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await ask(1, after);
        expect(res.errors, res.raw).toBeUndefined();
        const page = pick(res.data);
        walked.push(...page.nodes.map((l) => l.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(walked, path).toEqual(whole.nodes.map((l) => l.id));
      const bad = await ask(1, "not-a-cursor");
      expect(errorCodes(bad), path).toEqual(["BAD_USER_INPUT"]);
      expect(bad.errors![0]!.extensions!.field, path).toBe("after");
    }
  });
});

describe("reference resolution", () => {
  it("answers one _entities call of many representations with one batched database read", async () => {
    const reps = [kentId, ...Array.from({ length: 49 }, (_, i) => `KENT:identity:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`)];
    const res = await gql<{ _entities: ({ id: string } | null)[] }>(
      stack.forceUrls.KENT!,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on KentOnlineIdentity { id } } }`,
      {
        token: tokenFor({ org: "KENT", roles: ["ANALYST"] }),
        variables: { r: reps.map((id) => ({ __typename: "KentOnlineIdentity", id })) },
        asGateway: "kent",
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]).toEqual({ id: kentId });
    expect(res.data!._entities.slice(1).every((e) => e === null)).toBe(true);
    // Service logs reach the test through a pipe; wait for the line rather than race it.
    const batches = await eventually(async () => {
      const found = stack.logsFor("kent", res.requestId).filter((l) => l.msg === "records resolved by id");
      return found.length > 0 && found;
    });
    // One batch, one audit event (written before the answer, so none can still be on its way).
    const events = await sql(stack.databases.KENT!.ownerUrl, "SELECT 1 FROM audit_event WHERE request_id = $1 AND operation = 'resolve identity'", [
      res.requestId,
    ]);
    expect(events).toHaveLength(1);
    expect(batches).toHaveLength(1);
    expect(Object.keys(batches[0]!.decisions as object)).toHaveLength(50);
  });
});

describe("a principal outside the agreement", () => {
  const essex = () => tokenFor({ org: "ESSEX", roles: ["ANALYST"], clearance: "SECRET" });

  /** Whether each force, and the hub's search, still lets the ESSEX analyst read both records. */
  async function essexReadsBoth(): Promise<{ kent: boolean; norfolk: boolean; search: boolean }> {
    const reads = async (org: "KENT" | "NORFOLK", id: string) => {
      const typename = org === "KENT" ? "KentOnlineIdentity" : "NorfolkOnlineIdentity";
      const res = await gql<{ _entities: unknown[] }>(
        stack.forceUrls[org]!,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { id } } }`,
        {
          token: essex(),
          variables: { r: [{ __typename: typename, id }] },
          asGateway: org.toLowerCase(),
        },
      );
      return res.data?._entities?.[0] != null;
    };
    const hits = await gql<{ search: { hits: unknown[] } }>(stack.gatewayUrl, SEARCH, { token: essex(), variables: { s: norfolkHandle } });
    return { kent: await reads("KENT", kentId), norfolk: await reads("NORFOLK", norfolkId), search: (hits.data?.search.hits.length ?? 0) > 0 };
  }

  // Forces refresh their copy of the agreements every 200 ms in the test stack: wait until
  // every one of them, and the hub, applies the change.
  beforeAll(async () => {
    await sql(stack.databases.HUB!.ownerUrl, `UPDATE agreement SET members = array_remove(members, 'ESSEX')`);
    await eventually(async () => Object.values(await essexReadsBoth()).every((v) => !v));
  });
  afterAll(async () => {
    await sql(stack.databases.HUB!.ownerUrl, `UPDATE agreement SET members = array_append(members, 'ESSEX')`);
    await eventually(async () => Object.values(await essexReadsBoth()).every(Boolean));
  });

  it("gets no search hit, not even a count, for either record", async () => {
    const res = await gql<{ search: { hits: unknown[]; pageInfo: { hasNextPage: boolean } } }>(stack.gatewayUrl, SEARCH, {
      token: essex(),
      variables: { s: norfolkHandle },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.search.hits).toEqual([]);
    expect(res.data!.search.pageInfo.hasNextPage).toBe(false);
    expect(res.raw).not.toContain(kentHandle);
    expect(res.raw).not.toContain(norfolkHandle);
  });

  it("reads nothing by id through the hub's routing", async () => {
    const res = await gql<{ identity: Record<string, unknown> | null }>(
      stack.gatewayUrl,
      `query($id: ID!) { identity(id: $id) { id ... on OnlineIdentity { handle notes } } }`,
      { token: essex(), variables: { id: kentId } },
    );
    expect(res.raw).not.toContain(kentHandle);
    expect(res.raw).not.toContain("kent notes");
  });

  it("gets null from a force subgraph's _entities called directly with the ids", async () => {
    for (const [org, id, handle] of [
      ["KENT", kentId, kentHandle],
      ["NORFOLK", norfolkId, norfolkHandle],
    ] as const) {
      const typename = org === "KENT" ? "KentOnlineIdentity" : "NorfolkOnlineIdentity";
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { id handle notes } } }`;
      // Signed as the gateway would: this proves the subgraph's own check, not the gateway's.
      const res = await gql<{ _entities: unknown[] }>(stack.forceUrls[org]!, query, {
        token: essex(),
        variables: { r: [{ __typename: typename, id }] },
        asGateway: org.toLowerCase(),
      });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([null]);
      expect(res.raw).not.toContain(handle);
      // The same call by the owner returns the record, so the null above is the policy's doing.
      const owner = await gql<{ _entities: { handle: string }[] }>(stack.forceUrls[org]!, query, {
        token: tokenFor({ org, roles: ["ANALYST"] }),
        variables: { r: [{ __typename: typename, id }] },
        asGateway: org.toLowerCase(),
      });
      expect(owner.data?._entities[0]?.handle).toBe(handle);
    }
  });

  it("sees nothing of KENT in KENT's own list", async () => {
    const res = await gql<{ kent: { identities: { nodes: unknown[] } } }>(stack.gatewayUrl, `{ kent { identities(first: 100) { nodes { id handle } } } }`, {
      token: essex(),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.kent.identities.nodes).toEqual([]);
  });
});

describe("writes are namespaced by org", () => {
  it("refuses an ESSEX officer writing into kent with FORBIDDEN and writes nothing", async () => {
    const before = await sql<{ n: string }>(stack.databases.KENT!.ownerUrl, "SELECT count(*)::text AS n FROM online_identity");
    const handle = `intruder_${suffix}`;
    const res = await gql(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
      token: tokenFor({ org: "ESSEX", roles: ["OFFICER", "FORCE_ADMIN"] }),
      variables: { input: identityInput({ handle }) },
    });
    expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
    expect(res.data?.kent ?? null).toBeNull();
    const after = await sql<{ n: string }>(stack.databases.KENT!.ownerUrl, "SELECT count(*)::text AS n FROM online_identity");
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(await sql(stack.databases.KENT!.ownerUrl, "SELECT 1 FROM online_identity WHERE handle = $1", [handle])).toEqual([]);
    expect(await sql(stack.databases.KENT!.ownerUrl, "SELECT 1 FROM outbox WHERE payload->>'selector' LIKE $1", [`intruder${suffix}%`])).toEqual([]);
  });

  it("refuses bad input with BAD_USER_INPUT naming the field, and writes nothing", async () => {
    const res = await gql(stack.gatewayUrl, RECORD_IDENTITY("kent"), {
      token: kentOfficer(),
      variables: { input: identityInput({ handle: `bad_${suffix}`, profileUrl: "javascript:alert(1)" }) },
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0]!.extensions!.field).toBe("input.profileUrl");
    expect(await sql(stack.databases.KENT!.ownerUrl, "SELECT 1 FROM online_identity WHERE handle = $1", [`bad_${suffix}`])).toEqual([]);
  });

  it("refuses a link whose type does not fit its far end (membership of an identity, an alias of a forum), and writes nothing", async () => {
    const forum = await gql<{ kent: { recordForum: { id: string } } }>(
      stack.gatewayUrl,
      `mutation($input: RecordForumInput!) { kent { recordForum(input: $input) { id } } }`,
      {
        token: kentOfficer(),
        variables: { input: { platform: "DISCORD", name: `room ${suffix}`, kind: "FORUM", markings: markings({ classification: "OFFICIAL_SENSITIVE" }) } },
      },
    );
    expect(forum.errors).toBeUndefined();
    const before = await sql<{ n: string }>(stack.databases.KENT!.ownerUrl, "SELECT count(*)::text AS n FROM suspect_link");
    const OS = markings({ classification: "OFFICIAL_SENSITIVE" });
    for (const input of [
      { fromId: kentId, toIdentityId: norfolkId, linkType: "MEMBER_OF", markings: OS },
      { fromId: kentId, toForumId: forum.data!.kent.recordForum.id, linkType: "ALIAS_OF", markings: OS },
    ]) {
      const res = await gql(stack.gatewayUrl, LINK_IDENTITIES("kent"), { token: kentOfficer(), variables: { input } });
      expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
      expect(res.errors![0]!.extensions!.field).toBe("input.linkType");
    }
    expect(await sql<{ n: string }>(stack.databases.KENT!.ownerUrl, "SELECT count(*)::text AS n FROM suspect_link")).toEqual(before);
  });
});

describe("authentication", () => {
  const query = `{ orgs { code } }`;
  const cases: [string, () => Record<string, string>][] = [
    ["a missing token", () => ({})],
    ["a malformed token", () => ({ authorization: "Bearer not.a.jwt" })],
    ["an expired token", () => ({ authorization: `Bearer ${expiredToken("KENT")}` })],
    [
      "a token of another issuer",
      () => ({
        authorization: `Bearer ${rawToken({ sub: "x", org: "KENT", roles: ["ANALYST"], clearance: "OFFICIAL", iss: "elsewhere", aud: "interforce", iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 })}`,
      }),
    ],
  ];
  for (const [name, headers] of cases) {
    it(`answers ${name} with UNAUTHENTICATED at the gateway and at a subgraph`, async () => {
      for (const [url, asGateway] of [
        [stack.gatewayUrl, undefined],
        [stack.forceUrls.KENT!, "kent"],
      ] as const) {
        const res = await gql(url, query, { headers: headers(), asGateway });
        expect(res.status).toBe(401);
        expect(errorCodes(res)).toEqual(["UNAUTHENTICATED"]);
        expect(res.data ?? null).toBeNull();
        expect(res.raw).not.toMatch(/at .*\.ts|stack/i);
      }
    });
  }
});
