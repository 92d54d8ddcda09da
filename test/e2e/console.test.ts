/**
 * The web console in a real browser (Debian's chromium, driven by playwright-core) against a
 * real federation with the demo data, served by the gateway itself: sign-in with the demo
 * picker, search, the link graph, an access request granted by the owner, and an agreement
 * suspended by a policy admin. Every request the pages make must go to the gateway: the console
 * loads nothing from any other host. Screenshots go to test/artifacts/console/.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PRINCIPALS } from "@interforce/auth";
import { REPO_ROOT } from "@interforce/domain";
import { gql, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";
import { SHARED_HANDLE } from "../../infra/local/seed.js";
// The console's own names for what the test looks for (it has no package entry: it is a web app, not a library).
// eslint-disable-next-line no-restricted-imports
import { testIds } from "../../services/console/src/testids.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(REPO_ROOT, "test/artifacts/console");
/** The screenshots the README shows; refreshed with UPDATE_SCREENSHOTS=1. */
const DOCS = join(REPO_ROOT, "docs/screenshots");
const PUBLISHED = ["sign-in", "search", "graph", "agreements"];
const PURPOSE = "Op KESTREL 24/1234";
/** How long a page may take to draw what it fetched, on a busy two-core machine. */
const WAIT = { timeout: 15_000 };

let stack: TestStack;
let browser: Browser;
let origin = "";
/** Every URL any page asked for, across every context. */
const requested: string[] = [];
const pages: Page[] = [];

const by = (id: string) => `[data-testid="${id}"]`;
const principal = (id: string) => {
  const p = DEMO_PRINCIPALS.find((d) => d.id === id);
  if (!p) throw new Error(`no demo principal ${id}`);
  return p;
};
/** A token for a demo principal, signed as the gateway's minting endpoint would sign it, for the test's own API calls. */
const tokenOf = (id: string) => tokenFor(principal(id));

async function api<T>(id: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await gql<T>(stack.gatewayUrl, query, { token: tokenOf(id), variables, purpose: "console test: setup" });
  if (res.errors?.length || !res.data) throw new Error(`${id}: ${res.raw}`);
  return res.data;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A fresh browser context (no cookies, no storage) signed in through the picker as `id`. */
async function signIn(id: string, screenshot?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  pages.push(page);
  page.on("request", (r) => requested.push(r.url()));
  // A browser at the gateway's root is sent to the console.
  await page.goto(`${origin}/`);
  expect(new URL(page.url()).pathname).toMatch(/^\/console\//);
  const picker = page.locator(by(testIds.principalPicker));
  await picker.waitFor();
  await picker.selectOption(id);
  expect(await picker.inputValue()).toBe(id);
  if (screenshot) await shot(page, screenshot);
  await page.locator(by(testIds.signInButton)).click();
  await page.locator(by(testIds.purposeInput)).fill(PURPOSE);
  await page.locator(by(testIds.purposeSubmit)).click();
  const current = page.locator(by(testIds.currentPrincipal));
  await current.waitFor();
  // Org code, role and clearance, however the header spaces them.
  const p = principal(id);
  const flat = (s: string) => s.toUpperCase().replace(/[\s_-]/g, "");
  const text = flat(await current.innerText());
  for (const part of [p.org, p.roles[0]!, p.clearance]) expect(text).toContain(flat(part));
  return page;
}

/** Searches from the search page; resolves once the results (or the empty state) are drawn. */
async function search(page: Page, query: string, platform?: string): Promise<void> {
  await page.locator(by(testIds.navSearch)).click();
  await page.locator(by(testIds.searchInput)).fill(query);
  if (platform) await page.locator(by(testIds.searchPlatform)).selectOption(platform);
  await page.locator(by(testIds.searchSubmit)).click();
  await page.locator(by(testIds.searchResults)).waitFor();
}

const hits = (page: Page) => page.locator(by(testIds.searchHit));
const hitOf = (page: Page, recordId: string) => page.locator(`${by(testIds.searchHit)}[data-record-id="${recordId}"]`);

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the console's browser test needs Debian's chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (.ci/run does)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  // Demo data, and the console built (when missing or stale) as `npm start` builds it.
  stack = await startTestStack({ seedScale: 1, buildConsole: true });
  origin = new URL(stack.gatewayUrl).origin;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core gives each launch a fresh, temporary user-data dir of its own.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the console in a browser", () => {
  let kent: Page;

  it("signs a KENT analyst in with the demo picker and finds the NORFOLK record of the shared handle, with its SPOC", async () => {
    kent = await signIn("kent-analyst", "sign-in");
    await search(kent, "dark angel 99", SHARED_HANDLE.platform);
    const norfolk = kent.locator(`${by(testIds.searchHit)}[data-org="NORFOLK"]`);
    await norfolk.first().waitFor();
    await expect.poll(() => hits(kent).count(), WAIT).toBe(2);
    const text = await kent.locator(by(testIds.searchResults)).innerText();
    expect(text).toContain(SHARED_HANDLE.NORFOLK);
    expect(text).toContain(SHARED_HANDLE.KENT);
    expect(await norfolk.getAttribute("data-access")).toBe("FULL");
    await shot(kent, "search");
    // NORFOLK's SPOC, from the registry, is named with its hit, FULL as it is (POINTER hits below); KENT's own hit names none.
    expect(await norfolk.locator(by(testIds.hitSpoc)).innerText()).toContain("spoc.intel@norfolk.police.example");
    expect(await kent.locator(`${by(testIds.searchHit)}[data-org="KENT"] ${by(testIds.hitSpoc)}`).count()).toBe(0);
  });

  it("opens NORFOLK's record from its hit, and its link graph: KENT's link to it, read from both owners", async () => {
    const norfolk = kent.locator(`${by(testIds.searchHit)}[data-org="NORFOLK"]`);
    const recordId = await norfolk.getAttribute("data-record-id");
    await norfolk.getByRole("link", { name: SHARED_HANDLE.NORFOLK }).click();
    await kent.locator(by(testIds.identityPage)).waitFor();
    expect(await kent.locator(by(testIds.identityHandle)).innerText()).toBe(SHARED_HANDLE.NORFOLK);
    expect(await kent.locator(by(testIds.classificationBanner)).innerText()).toMatch(/OFFICIAL/);
    await kent.locator(by(testIds.openGraph)).click();
    await kent.locator(by(testIds.linkGraph)).waitFor();
    const nodes = kent.locator(by(testIds.graphNode));
    await expect.poll(() => nodes.evaluateAll((els) => els.map((e) => e.getAttribute("data-org")).sort()), WAIT).toEqual(["KENT", "NORFOLK"]);
    expect(await kent.locator(`${by(testIds.graphNode)}[data-id="${recordId}"]`).count()).toBe(1);
    await shot(kent, "graph-shared-handle");
  });

  it("draws a KENT analyst's link graph without the records hidden from them", async () => {
    // A root whose neighbourhood holds a record the analyst may not see (a decoy, or one above their clearance),
    // found by asking the API as KENT's covert, SECRET-cleared analyst and as the plain one.
    const GRAPH = `query($id: ID!) { linkGraph(rootId: $id, depth: 2) { nodes { id } } }`;
    const { kent: own } = await api<{ kent: { identities: { nodes: { id: string }[] } } }>(
      "kent-analyst",
      `{ kent { identities(first: 100) { nodes { id } } } }`,
    );
    let root: string | undefined;
    let hidden: string[] = [];
    let visible: string[] = [];
    for (const { id } of own.identities.nodes) {
      type G = { linkGraph: { nodes: { id: string }[] } };
      const all = (await api<G>("kent-analyst-covert", GRAPH, { id })).linkGraph.nodes.map((n) => n.id);
      const seen = (await api<G>("kent-analyst", GRAPH, { id })).linkGraph.nodes.map((n) => n.id);
      hidden = all.filter((n) => !seen.includes(n));
      if (hidden.length > 0 && seen.length > 1) {
        root = id;
        visible = seen;
        break;
      }
    }
    expect(root, "the demo data has a KENT identity linked to a record hidden from a KENT analyst").toBeDefined();

    await kent.goto(`${origin}/console/graph/${root}`);
    await kent.locator(by(testIds.linkGraph)).waitFor();
    const nodes = kent.locator(by(testIds.graphNode));
    await expect.poll(() => nodes.count(), WAIT).toBe(visible.length);
    const drawn = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
    expect(drawn.sort()).toEqual([...visible].sort());
    for (const id of hidden) expect(await kent.locator(`${by(testIds.graphNode)}[data-id="${id}"]`).count()).toBe(0);
    expect(await kent.content()).not.toContain(hidden[0]!.split(":")[2]);
    await shot(kent, "graph");
  });

  let pointer = "";
  let pointerHandle = "";

  it("lets an ESSEX analyst ask NORFOLK for a record behind a POINTER hit", async () => {
    // A NORFOLK identity ESSEX gets only hit/no-hit for (handling conditions, or past review) but may be granted.
    type Hits = { search: { hits: { recordId: string; org: { code: string }; access: { level: string } }[] } };
    const { norfolk } = await api<{ norfolk: { identities: { nodes: { id: string; handle: string; classification: string; covert: boolean }[] } } }>(
      "norfolk-force-admin",
      `{ norfolk { identities(first: 100) { nodes { id handle classification covert } } } }`,
    );
    for (const n of norfolk.identities.nodes.filter((i) => !i.covert && i.classification !== "SECRET")) {
      const found = await api<Hits>("essex-analyst", `query($q: String!) { search(query: $q) { hits { recordId org { code } access { level } } } }`, {
        q: n.handle,
      });
      if (found.search.hits.some((h) => h.recordId === n.id && h.access.level === "POINTER")) {
        pointer = n.id;
        pointerHandle = n.handle;
        break;
      }
    }
    expect(pointer, "the demo data has a NORFOLK identity ESSEX sees only as a POINTER").not.toBe("");

    const essex = await signIn("essex-analyst");
    await search(essex, pointerHandle);
    const hit = hitOf(essex, pointer);
    await hit.waitFor();
    expect(await hit.getAttribute("data-access")).toBe("POINTER");
    expect(await hit.getAttribute("data-org")).toBe("NORFOLK");
    // No content of the record: only who holds it and whom to ask.
    expect(await hit.locator(by(testIds.hitSpoc)).innerText()).toContain("norfolk.police.example");
    await hit.locator(by(testIds.requestAccess)).click();
    await essex.locator(by(testIds.requestAccessJustification)).fill("Same suspect approached a child in Essex; need the profile to safeguard.");
    await shot(essex, "request-access");
    await essex.locator(by(testIds.requestAccessSubmit)).click();
    await essex.locator(by(testIds.requestAccessSent)).waitFor();
    await essex.context().close();
  });

  it("lets NORFOLK's force admin grant it, and the ESSEX analyst then reads the record in full", async () => {
    const admin = await signIn("norfolk-force-admin");
    await admin.locator(by(testIds.navRequests)).click();
    const pending = admin.locator(`${by(testIds.accessRequest)}[data-status="PENDING"]`);
    await pending.first().waitFor();
    expect(await pending.count()).toBe(1);
    await shot(admin, "requests");
    const id = await pending.first().getAttribute("data-id");
    await pending.first().locator(by(testIds.grantButton)).click();
    await admin.locator(`${by(testIds.accessRequest)}[data-id="${id}"][data-status="GRANTED"]`).waitFor();
    await admin.context().close();

    const essex = await signIn("essex-analyst");
    await search(essex, pointerHandle);
    const hit = hitOf(essex, pointer);
    await hit.waitFor();
    expect(await hit.getAttribute("data-access")).toBe("FULL");
    expect(await hit.innerText()).toContain(pointerHandle);
    await shot(essex, "granted");
    await essex.context().close();
  });

  it("draws every other page for the CEOP desk and KENT's force admin without an error", async () => {
    const areas: [string, string][] = [
      [testIds.navMonitoring, "monitoring"],
      [testIds.navAlerts, "alerts"],
      [testIds.navRequests, "requests"],
      [testIds.navAudit, "audit"],
      [testIds.navExplain, "explain"],
      [testIds.navAgreements, "agreements"],
    ];
    for (const id of ["ceop-desk", "kent-force-admin"]) {
      const page = await signIn(id);
      let visited = 0;
      for (const [nav, area] of areas) {
        const link = page.locator(by(nav));
        if ((await link.count()) === 0) continue;
        await link.click();
        await page.waitForURL(`**/console/${area}`);
        await expect.poll(() => page.locator(by(testIds.loading)).count(), WAIT).toBe(0);
        expect(await page.locator(by(testIds.error)).allInnerTexts(), `${id} ${area}`).toEqual([]);
        await shot(page, `${area}-${id}`);
        visited++;
      }
      expect(visited, id).toBeGreaterThan(1);
      await page.context().close();
    }
  });

  it("lets a policy admin suspend the agreement, and the KENT analyst's results shrink to KENT's own", async () => {
    const admin = await signIn("policy-admin");
    await admin.locator(by(testIds.navAgreements)).click();
    const row = admin.locator(`${by(testIds.agreement)}[data-status="ACTIVE"]`).first();
    await row.waitFor();
    const id = await row.getAttribute("data-id");
    await shot(admin, "agreements");
    await row.locator(by(testIds.suspendButton)).click();
    await admin.locator(by(testIds.agreementReason)).fill("Console test: data-sharing review.");
    await admin.locator(by(testIds.agreementConfirm)).click();
    await admin.locator(`${by(testIds.agreement)}[data-id="${id}"][data-status="SUSPENDED"]`).waitFor();
    await shot(admin, "agreement-suspended");
    await admin.context().close();

    // Each force refreshes its agreements every 200 ms here (within 5 s in any deployment): search until it has.
    await expect
      .poll(
        async () => {
          await kent.reload();
          await search(kent, "dark angel 99", SHARED_HANDLE.platform);
          return hits(kent).evaluateAll((els) => els.map((e) => e.getAttribute("data-org")));
        },
        { timeout: 15_000, interval: 100 },
      )
      .toEqual(["KENT"]);
    await shot(kent, "search-after-suspension");
  });

  it("sends a browser's GET of /graphql to the bundled GraphiQL, which runs with the tab's session", async () => {
    await kent.goto(`${origin}/graphql`);
    expect(new URL(kent.url()).pathname).toBe("/graphiql");
    await kent.locator(".graphiql-container").waitFor();
    await shot(kent, "graphiql");
  });

  it("in production offers no picker: a pasted token is verified by the gateway, and there is no GraphiQL", async () => {
    await stack.restart("gateway", { INTERFORCE_MODE: "production" });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    pages.push(page);
    page.on("request", (r) => requested.push(r.url()));
    await page.goto(`${origin}/console/`);
    const paste = page.locator(by(testIds.tokenInput));
    await paste.waitFor();
    expect(await page.locator(by(testIds.principalPicker)).count()).toBe(0);
    expect((await page.request.get(`${origin}/console/session/principals`)).status()).toBe(404);
    expect((await page.request.post(`${origin}/console/session/token`, { data: { id: "kent-analyst" } })).status()).toBe(404);
    expect((await page.request.get(`${origin}/graphiql`)).status()).toBe(404);
    await paste.fill(tokenOf("essex-analyst"));
    await shot(page, "sign-in-production");
    await page.locator(by(testIds.signInButton)).click();
    await page.locator(by(testIds.purposeInput)).fill(PURPOSE);
    await page.locator(by(testIds.purposeSubmit)).click();
    expect(await page.locator(by(testIds.currentPrincipal)).innerText()).toContain("ESSEX");
    await context.close();
  });

  it("made no request to any host but the gateway", () => {
    expect(requested.length).toBeGreaterThan(10);
    const foreign = requested.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    expect(foreign).toEqual([]);
    if (process.env.UPDATE_SCREENSHOTS === "1") {
      mkdirSync(DOCS, { recursive: true });
      for (const name of PUBLISHED) copyFileSync(join(ARTIFACTS, `${name}.png`), join(DOCS, `${name}.png`));
    }
  });
});
