import { randomUUID } from "node:crypto";
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

export const EASTERN_REGION_AGREEMENT = "Eastern Region Joint Monitoring";

/** The pilot's agreement: the eastern forces and CEOP share all record kinds up to OFFICIAL-SENSITIVE. */
export async function ensurePilotAgreement(db: DataSource, members: string[]): Promise<boolean> {
  const existing = await db.getRepository(AgreementRow).findOneBy({ name: EASTERN_REGION_AGREEMENT });
  if (existing) return false;
  await db.getRepository(AgreementRow).insert({
    id: randomUUID(),
    name: EASTERN_REGION_AGREEMENT,
    members,
    kinds: ["identity", "forum", "link"],
    maxClassification: "OFFICIAL_SENSITIVE",
    status: "ACTIVE",
    validFrom: new Date(Date.now() - 30 * 24 * 3600 * 1000),
    validTo: null,
    version: 1,
    updatedAt: new Date(),
  });
  return true;
}
