import type { DataSource, EntityManager } from "typeorm";
import type { Agreement, Grant } from "@interforce/policy";
import type { AgreementStatus, Classification, RecordKind } from "@interforce/domain";

type AgreementJson = {
  id: string;
  name: string;
  members: string[];
  kinds: string[];
  max_classification: string;
  status: string;
  valid_from: string;
  valid_to: string | null;
};
type GrantJson = { record_id: string; requester_org: string; grant_expires_at: string };

/**
 * The agreements and the live grants (of one owner's records, or of all) as the policy takes them,
 * read in one statement: both are read at the moment of the request, never cached, so a suspended
 * agreement or an expired grant stops counting at once.
 */
export async function loadPolicyInputs(db: DataSource | EntityManager, ownerOrg?: string): Promise<{ agreements: Agreement[]; grants: Grant[] }> {
  const [row] = (await db.query(
    `SELECT
       (SELECT coalesce(json_agg(a ORDER BY a.name), '[]'::json)
          FROM (SELECT id, name, members, kinds, max_classification, status, valid_from, valid_to FROM agreement) a) AS agreements,
       (SELECT coalesce(json_agg(g), '[]'::json)
          FROM (SELECT record_id, requester_org, grant_expires_at FROM access_request
                 WHERE status = 'GRANTED' AND grant_expires_at > now() AND ($1::text IS NULL OR owner_org = $1)) g) AS grants`,
    [ownerOrg ?? null],
  )) as { agreements: AgreementJson[]; grants: GrantJson[] }[];
  return {
    agreements: row!.agreements.map((a) => ({
      id: a.id,
      name: a.name,
      members: a.members,
      kinds: a.kinds as RecordKind[],
      maxClassification: a.max_classification as Classification,
      status: a.status as AgreementStatus,
      validFrom: new Date(a.valid_from),
      validTo: a.valid_to === null ? null : new Date(a.valid_to),
    })),
    grants: row!.grants.map((g) => ({ recordId: g.record_id, org: g.requester_org, expiresAt: new Date(g.grant_expires_at) })),
  };
}
