import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DataSource, EntityManager } from "typeorm";
import { findOrg, type AgreementStatus, type Classification, type Principal, type RecordKind } from "@interforce/domain";
import type { Agreement } from "@interforce/policy";
import { badInput, conflict, notFound } from "@interforce/server-kit";
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

export async function loadAgreements(db: DataSource | EntityManager): Promise<Agreement[]> {
  const rows = await db.getRepository(AgreementRow).find({ order: { name: "ASC" } });
  return rows.map(toAgreement);
}

export const EASTERN_REGION_AGREEMENT = "Eastern Region Joint Monitoring";

export const AgreementInput = z
  .object({
    name: z.string().trim().min(3).max(200),
    members: z
      .array(z.string().refine((c) => findOrg(c) !== undefined, "is not an org in the registry"))
      .min(2, "needs at least two orgs")
      .max(100)
      .transform((m) => [...new Set(m)]),
    kinds: z
      .array(z.enum(["identity", "forum", "link"]))
      .min(1)
      .transform((k) => [...new Set(k)]),
    maxClassification: z.enum(["OFFICIAL", "OFFICIAL_SENSITIVE", "SECRET"]),
    validFrom: z.date(),
    validTo: z
      .date()
      .nullish()
      .transform((v) => v ?? null),
  })
  .superRefine((a, ctx) => {
    if (a.members.length < 2) ctx.addIssue({ code: "custom", path: ["members"], message: "needs at least two different orgs" });
    if (a.validTo && a.validTo <= a.validFrom) ctx.addIssue({ code: "custom", path: ["validTo"], message: "must be after validFrom" });
  });
export type AgreementInputValue = z.infer<typeof AgreementInput>;

type Change = "CREATED" | "AMENDED" | "SUSPENDED" | "REINSTATED" | "REVOKED";

const TRANSITIONS: Record<Exclude<Change, "CREATED" | "AMENDED">, { from: AgreementStatus[]; to: AgreementStatus }> = {
  SUSPENDED: { from: ["ACTIVE"], to: "SUSPENDED" },
  REINSTATED: { from: ["SUSPENDED"], to: "ACTIVE" },
  REVOKED: { from: ["ACTIVE", "SUSPENDED"], to: "REVOKED" },
};

/**
 * Joint-monitoring agreements: every change bumps the version (optimistic concurrency:
 * the caller names the version it saw) and writes a history row in the same transaction.
 * A revoked agreement is final.
 */
export class AgreementService {
  constructor(private readonly db: DataSource) {}

  async create(by: Principal, input: AgreementInputValue): Promise<AgreementRow> {
    return this.db.transaction(async (m) => {
      const row = Object.assign(new AgreementRow(), {
        id: randomUUID(),
        ...input,
        status: "ACTIVE",
        version: 1,
        updatedAt: new Date(),
      });
      await m.getRepository(AgreementRow).insert(row);
      await this.history(m, row, "CREATED", by, null);
      return row;
    });
  }

  async amend(by: Principal, id: string, expectedVersion: number, input: AgreementInputValue, reason: string | null): Promise<AgreementRow> {
    return this.change(by, id, expectedVersion, "AMENDED", reason, (row) => {
      if (row.status === "REVOKED") throw badInput("a revoked agreement cannot be amended", "id");
      Object.assign(row, input);
    });
  }

  async transition(by: Principal, id: string, expectedVersion: number, change: keyof typeof TRANSITIONS, reason: string | null) {
    const t = TRANSITIONS[change];
    return this.change(by, id, expectedVersion, change, reason, (row) => {
      if (!t.from.includes(row.status as AgreementStatus)) {
        throw badInput(`an agreement that is ${row.status} cannot be ${change.toLowerCase()}`, "id");
      }
      row.status = t.to;
    });
  }

  private async change(
    by: Principal,
    id: string,
    expectedVersion: number,
    change: Change,
    reason: string | null,
    apply: (row: AgreementRow) => void,
  ): Promise<AgreementRow> {
    if (reason && reason.length > 2000) throw badInput("reason is longer than 2000 characters", "reason");
    return this.db.transaction(async (m) => {
      const row = await m.getRepository(AgreementRow).findOne({ where: { id }, lock: { mode: "pessimistic_write" } });
      if (!row) throw notFound("No agreement with that id");
      if (row.version !== expectedVersion) {
        throw conflict(`the agreement is at version ${row.version}, not ${expectedVersion}; reload and retry`, "expectedVersion");
      }
      apply(row);
      row.version += 1;
      row.updatedAt = new Date();
      await m.getRepository(AgreementRow).save(row);
      await this.history(m, row, change, by, reason);
      return row;
    });
  }

  private async history(m: EntityManager, row: AgreementRow, change: Change, by: Principal, reason: string | null) {
    const { id: _id, ...snapshot } = row;
    await m.query(`INSERT INTO agreement_history (agreement_id, version, change, reason, changed_by, snapshot) VALUES ($1, $2, $3, $4, $5, $6)`, [
      row.id,
      row.version,
      change,
      reason,
      `${by.sub}@${by.org}`,
      JSON.stringify(snapshot),
    ]);
  }
}

/** The pilot's agreement: the eastern forces and CEOP share all record kinds up to OFFICIAL-SENSITIVE. */
export async function ensurePilotAgreement(db: DataSource, members: string[]): Promise<boolean> {
  const existing = await db.getRepository(AgreementRow).findOneBy({ name: EASTERN_REGION_AGREEMENT });
  if (existing) return false;
  await new AgreementService(db).create(
    { sub: "interforce-setup", org: "HUB", roles: ["POLICY_ADMIN"], clearance: "SECRET", covert: false },
    {
      name: EASTERN_REGION_AGREEMENT,
      members,
      kinds: ["identity", "forum", "link"],
      maxClassification: "OFFICIAL_SENSITIVE",
      validFrom: new Date(Date.now() - 30 * 24 * 3600 * 1000),
      validTo: null,
    },
  );
  return true;
}
