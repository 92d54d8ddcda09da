import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

// Every column names its SQL type: esbuild (tsx, vitest) emits no decorator metadata.

/** The markings every intelligence record carries (DESIGN §4). */
export abstract class MarkedRecord {
  @PrimaryColumn({ type: "uuid" })
  id: string;

  @Column({ type: "text" })
  classification: string;

  @Column({ type: "text", name: "source_eval" })
  sourceEvaluation: string;

  @Column({ type: "text" })
  assessment: string;

  @Column({ type: "text" })
  handling: string;

  @Column({ type: "text", name: "handling_conditions", nullable: true })
  handlingConditions: string | null;

  @Column({ type: "text", name: "handling_orgs", array: true, default: () => "'{}'" })
  handlingOrgs: string[];

  @Column({ type: "boolean", default: false })
  covert: boolean;

  @Column({ type: "timestamptz", name: "review_due", nullable: true })
  reviewDue: Date | null;

  @Column({ type: "text", name: "created_by" })
  createdBy: string;

  @CreateDateColumn({ type: "timestamptz", precision: 3, name: "created_at" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz", precision: 3, name: "updated_at" })
  updatedAt: Date;
}

@Entity({ name: "online_identity" })
export class IdentityRow extends MarkedRecord {
  @Column({ type: "text" })
  platform: string;

  @Column({ type: "text", name: "platform_other", nullable: true })
  platformOther: string | null;

  @Column({ type: "text" })
  handle: string;

  @Column({ type: "text", name: "normalised_handle" })
  normalisedHandle: string;

  @Column({ type: "text", name: "display_name", nullable: true })
  displayName: string | null;

  @Column({ type: "text", name: "profile_url", nullable: true })
  profileUrl: string | null;

  @Column({ type: "text" })
  status: string;

  @Column({ type: "text", nullable: true })
  notes: string | null;

  @Column({ type: "timestamptz", name: "first_seen", nullable: true })
  firstSeen: Date | null;

  @Column({ type: "timestamptz", name: "last_seen", nullable: true })
  lastSeen: Date | null;

  @Column({ type: "text", name: "email_hashes", array: true, default: () => "'{}'" })
  emailHashes: string[];

  @Column({ type: "text", name: "phone_hashes", array: true, default: () => "'{}'" })
  phoneHashes: string[];
}

@Entity({ name: "forum" })
export class ForumRow extends MarkedRecord {
  @Column({ type: "text" })
  platform: string;

  @Column({ type: "text" })
  name: string;

  @Column({ type: "text", nullable: true })
  url: string | null;

  @Column({ type: "text" })
  kind: string;

  @Column({ type: "text", name: "risk_summary", nullable: true })
  riskSummary: string | null;

  @Column({ type: "text", name: "risk_level", default: "MEDIUM" })
  riskLevel: string;
}

@Entity({ name: "suspect_link" })
export class LinkRow extends MarkedRecord {
  /** Global id of the identity the link starts from; may belong to another force. */
  @Column({ type: "text", name: "from_id" })
  fromId: string;

  @Column({ type: "text", name: "to_identity_id", nullable: true })
  toIdentityId: string | null;

  @Column({ type: "text", name: "to_forum_id", nullable: true })
  toForumId: string | null;

  @Column({ type: "text", name: "link_type" })
  linkType: string;

  @Column({ type: "text", nullable: true })
  rationale: string | null;
}

/** Transactional outbox: written with the record, relayed to the hub's selector index. */
@Entity({ name: "outbox" })
export class OutboxRow {
  @PrimaryGeneratedColumn({ type: "bigint" })
  seq: string;

  @Column({ type: "uuid", name: "event_id", unique: true })
  eventId: string;

  @Column({ type: "text" })
  topic: string;

  @Column({ type: "jsonb" })
  payload: Record<string, unknown>;

  @CreateDateColumn({ type: "timestamptz", precision: 3, name: "created_at" })
  createdAt: Date;

  @Column({ type: "timestamptz", name: "published_at", nullable: true })
  publishedAt: Date | null;

  @Column({ type: "integer", default: 0 })
  attempts: number;
}

export const FORCE_ENTITIES = [IdentityRow, ForumRow, LinkRow, OutboxRow];
