import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from "typeorm";

// Every column names its SQL type: esbuild (tsx, vitest) emits no decorator metadata.

/** This org's monitoring of a forum (its own or another org's). */
@Entity({ name: "monitoring_assignment" })
export class MonitoringAssignmentRow {
  @PrimaryColumn({ type: "uuid" })
  id: string;

  /** Global id of the forum; may belong to another org. */
  @Column({ type: "text", name: "forum_id" })
  forumId: string;

  @Column({ type: "timestamptz", precision: 3, name: "valid_from" })
  validFrom: Date;

  @Column({ type: "timestamptz", precision: 3, name: "valid_to", nullable: true })
  validTo: Date | null;

  @Column({ type: "boolean", default: false })
  covert: boolean;

  @Column({ type: "text" })
  classification: string;

  @Column({ type: "text", name: "lead_name" })
  leadName: string;

  @Column({ type: "text", name: "lead_email" })
  leadEmail: string;

  @Column({ type: "text", name: "lead_phone" })
  leadPhone: string;

  @Column({ type: "text", name: "created_by" })
  createdBy: string;

  @Column({ type: "text", name: "ended_by", nullable: true })
  endedBy: string | null;

  @CreateDateColumn({ type: "timestamptz", precision: 3, name: "created_at" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz", precision: 3, name: "updated_at" })
  updatedAt: Date;
}
