import { afterAll, beforeAll, it } from "vitest";
import { gql, identityInput, markings, RECORD_IDENTITY, startTestStack, tokenFor, type TestStack } from "@interforce/testkit";

let stack: TestStack;
beforeAll(async () => {
  const t = Date.now();
  stack = await startTestStack();
  console.log("stack start ms", Date.now() - t);
}, 300_000);
afterAll(async () => {
  await stack?.stop();
});

it("explores", async () => {
  const officer = tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "SECRET", covert: true, sub: "seed@kent" });
  const f = await gql<any>(stack.gatewayUrl, `mutation($input: RecordForumInput!) { kent { recordForum(input: $input) { id } } }`, {
    token: officer,
    variables: { input: { platform: "DISCORD", name: "f1", kind: "FORUM", markings: markings() } },
  });
  const fid = f.data.kent.recordForum.id;
  const from = new Date(Date.now() - 2 * 86400_000).toISOString();
  const mk = async (covert: boolean) => {
    const r = await gql<any>(stack.gatewayUrl, `mutation($input: AssignMonitoringInput!) { kent { assignMonitoring(input: $input) { id } } }`, {
      token: officer,
      variables: { input: { forumId: fid, from, covert, leadOfficer: { name: "DS X", email: "x@kent.police.example", phone: "01234 567890" } } },
    });
    console.log(r.raw);
    return r.data.kent.assignMonitoring.id as string;
  };
  const a1 = await mk(false);
  const a2 = await mk(true);
  const at = new Date(Date.now() - 30 * 86400_000).toISOString();
  const kentOfficerNoClaim = tokenFor({ org: "KENT", roles: ["OFFICER"], clearance: "SECRET", covert: false, sub: "o@kent" });
  const q = `mutation { kent { a0: endMonitoring(id: "${a1}", at: "${at}") { id } a1: endMonitoring(id: "${a2}", at: "${at}") { id } a2: endMonitoring(id: "KENT:monitoring:00000000-0000-4000-8000-000000000000", at: "${at}") { id } } }`;
  console.log("batched end", (await gql(stack.gatewayUrl, q, { token: kentOfficerNoClaim })).raw);
  console.log("batched end forbidden", (await gql(stack.gatewayUrl, q, { token: tokenFor({ org: "ESSEX", roles: ["OFFICER"] }) })).raw);
  const essexOfficer = tokenFor({ org: "ESSEX", roles: ["OFFICER"], clearance: "OFFICIAL" });
  const pic = `{ forum(id: "${fid}") { id ... on Forum { name monitoring(first: 5) { nodes { id ... on MonitoringAssignment { org covert classification } } pageInfo { hasNextPage } } } } }`;
  console.log("picture essex officer", (await gql(stack.gatewayUrl, pic, { token: essexOfficer })).raw);
  console.log("picture essex analyst", (await gql(stack.gatewayUrl, pic, { token: tokenFor({ org: "ESSEX", roles: ["ANALYST"], clearance: "OFFICIAL" }) })).raw);
  const t0 = Date.now();
  for (let i = 0; i < 50; i++) await gql(stack.gatewayUrl, pic, { token: essexOfficer });
  console.log("50 serial picture ms", Date.now() - t0);
  const t1 = Date.now();
  await Promise.all(Array.from({ length: 8 }, async () => { for (let i = 0; i < 25; i++) await gql(stack.gatewayUrl, `{ agreements { id name } }`, { token: essexOfficer }); }));
  console.log("200 agreements @8 ms", Date.now() - t1);
  const ack = `mutation { a: acknowledgeDeconflictionAlert(id: "00000000-0000-4000-8000-000000000000") { id } b: acknowledgeDeconflictionAlert(id: "00000000-0000-4000-8000-000000000001") { id } }`;
  console.log("ack x2", (await gql(stack.gatewayUrl, ack, { token: tokenFor({ org: "ESSEX", roles: ["ANALYST"] }) })).raw);
  console.log("ack forbidden", (await gql(stack.gatewayUrl, ack, { token: tokenFor({ org: "ESSEX", roles: ["OFFICER"] }) })).raw);
  const ents = `query($r: [_Any!]!) { _entities(representations: $r) { ... on KentMonitoringAssignment { id covert } } }`;
  console.log("entities", (await gql(stack.forceUrls.KENT!, ents, { token: kentOfficerNoClaim, asGateway: "kent", variables: { r: [{ __typename: "KentMonitoringAssignment", id: a1 }, { __typename: "KentMonitoringAssignment", id: a2 }] } })).raw);
  const audit = `{ kent { a: auditTrail(recordId: "${a1}") { nodes { seq operation records { id kind } detail } pageInfo { hasNextPage } } b: auditTrail(recordId: "${fid}") { nodes { seq operation } } } }`;
  console.log("audit", (await gql(stack.gatewayUrl, audit, { token: tokenFor({ org: "KENT", roles: ["FORCE_ADMIN"], clearance: "SECRET", covert: true }) })).raw.slice(0, 3000));
  console.log("audit forbidden", (await gql(stack.gatewayUrl, audit, { token: tokenFor({ org: "KENT", roles: ["ANALYST"], clearance: "SECRET", covert: true }) })).raw.slice(0, 3000));
  const ex = `{ kent { e0: explainAccess(recordId: "${fid}", as: { org: "ESSEX", roles: ["ANALYST"], clearance: SECRET }) { read { level reason } search { level } } e1: explainAccess(recordId: "KENT:forum:00000000-0000-4000-8000-000000000000", as: { org: "ESSEX", roles: ["ANALYST"], clearance: SECRET }) { read { level } } } }`;
  console.log("explain", (await gql(stack.gatewayUrl, ex, { token: tokenFor({ org: "KENT", roles: ["FORCE_ADMIN"], clearance: "SECRET" }) })).raw);
  console.log("explain forbidden", (await gql(stack.gatewayUrl, ex, { token: tokenFor({ org: "ESSEX", roles: ["FORCE_ADMIN"], clearance: "SECRET" }) })).raw);
  const ag = `mutation { createAgreement(input: { name: "x", members: ["KENT"], kinds: [IDENTITY], maxClassification: OFFICIAL, validFrom: "2024-01-01T00:00:00Z" }) { id } }`;
  console.log("create bad", (await gql(stack.gatewayUrl, ag, { token: tokenFor({ org: "CEOP", roles: ["POLICY_ADMIN"] }) })).raw);
  console.log("create forbidden", (await gql(stack.gatewayUrl, ag, { token: tokenFor({ org: "CEOP", roles: ["FORCE_ADMIN"] }) })).raw);
}, 300_000);
