import type { DataSource } from "typeorm";
import type { Agreement } from "@interforce/policy";
import type { AgreementStatus, Classification, RecordKind } from "@interforce/domain";
import { AgreementRow } from "../db/entities.js";

export function toAgreement(r: AgreementRow): Agreement {
  return {
    id: r.id,
    name: r.name,
    members: r.members,
    kinds: r.kinds as RecordKind[],
    maxClassification: r.maxClassification as Classification,
    status: r.status as AgreementStatus,
    validFrom: r.validFrom,
    validTo: r.validTo,
  };
}

export async function loadAgreements(db: DataSource): Promise<Agreement[]> {
  const rows = await db.getRepository(AgreementRow).find({ order: { name: "ASC" } });
  return rows.map(toAgreement);
}
