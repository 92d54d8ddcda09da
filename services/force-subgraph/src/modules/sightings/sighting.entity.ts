import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from "typeorm";

// Every column names its SQL type: esbuild (tsx, vitest) emits no decorator metadata.

/** This org saw an identity (usually another org's) at a time, perhaps in a forum. */
@Entity({ name: "sighting" })
export class SightingRow {
  @PrimaryColumn({ type: "uuid" })
  id: string;

  @Column({ type: "text", name: "identity_id" })
  identityId: string;

  /** The identity's owner, kept apart so the owner's principals can be served by index. */
  @Column({ type: "text", name: "identity_org" })
  identityOrg: string;

  @Column({ type: "text", name: "forum_id", nullable: true })
  forumId: string | null;

  @Column({ type: "timestamptz", precision: 3, name: "seen_at" })
  seenAt: Date;

  @Column({ type: "text", nullable: true })
  note: string | null;

  @Column({ type: "text" })
  classification: string;

  @Column({ type: "text", name: "created_by" })
  createdBy: string;

  @CreateDateColumn({ type: "timestamptz", precision: 3, name: "created_at" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz", precision: 3, name: "updated_at" })
  updatedAt: Date;
}
