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
