import { gql } from "./graphql.js";
import { tokenFor } from "./tokens.js";

/** Input builders for the record mutations; every field can be overridden. */
export const markings = (over: Record<string, unknown> = {}) => ({
  classification: "OFFICIAL",
  source: "RELIABLE",
  assessment: "B",
  handling: "P",
  covert: false,
  ...over,
});

export const identityInput = (over: Record<string, unknown> = {}) => ({
  platform: "SNAPCHAT",
  handle: `test_${Math.random().toString(36).slice(2, 10)}`,
  status: "SUSPECT",
  notes: "test record",
  markings: markings(),
  ...over,
});

export const RECORD_IDENTITY = (ns: string) => `mutation Record($input: RecordOnlineIdentityInput!) {
  ${ns} { recordOnlineIdentity(input: $input) { id handle owner normalisedHandle } }
}`;

export const LINK_IDENTITIES = (ns: string) => `mutation Link($input: LinkIdentitiesInput!) {
  ${ns} { linkIdentities(input: $input) { id linkType } }
}`;

/**
 * Suspends or reinstates the pilot agreement that binds every org in a test stack, as a
 * POLICY_ADMIN would, so a test can look at the world without an agreement in force.
 */
export async function changePilotAgreement(gatewayUrl: string, change: "suspendAgreement" | "reinstateAgreement"): Promise<void> {
  const token = tokenFor({ org: "CEOP", roles: ["POLICY_ADMIN"], clearance: "SECRET", sub: "policy@hub" });
  const list = await gql<{ agreements: { nodes: { id: string; version: number; name: string }[] } }>(
    gatewayUrl,
    `{ agreements { nodes { id version name } } }`,
    { token },
  );
  const pilot = list.data?.agreements.nodes.find((a) => a.name === "Eastern Region Joint Monitoring");
  if (!pilot) throw new Error(`no pilot agreement: ${list.raw.slice(0, 300)}`);
  const res = await gql(gatewayUrl, `mutation($id: ID!, $v: Int!) { ${change}(id: $id, expectedVersion: $v, reason: "test") { status } }`, {
    token,
    variables: { id: pilot.id, v: pilot.version },
  });
  if (res.errors) throw new Error(`${change} failed: ${res.raw.slice(0, 300)}`);
}
