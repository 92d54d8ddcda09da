import { Column, Entity, PrimaryColumn } from "typeorm";

// Every column names its SQL type: esbuild (tsx, vitest) emits no decorator metadata.

@Entity({ name: "agreement" })
export class AgreementRow {
  @PrimaryColumn({ type: "uuid" }) id: string;
  @Column({ type: "text" }) name: string;
  @Column({ type: "text", array: true }) members: string[];
  @Column({ type: "text", array: true }) kinds: string[];
  @Column({ type: "text", name: "max_classification" }) maxClassification: string;
  @Column({ type: "text" }) status: string;
  @Column({ type: "timestamptz", name: "valid_from" }) validFrom: Date;
  @Column({ type: "timestamptz", name: "valid_to", nullable: true }) validTo: Date | null;
  @Column({ type: "integer" }) version: number;
  @Column({ type: "timestamptz", name: "updated_at" }) updatedAt: Date;
}

/** A pointer in the selector index: who holds what, never the content. */
@Entity({ name: "selector_pointer" })
export class PointerRow {
  @PrimaryColumn({ type: "text", name: "record_id" }) recordId: string;
  /** HMAC of the normalised selector under the selector key `keyId` (see @interforce/auth selector-keys). */
  @PrimaryColumn({ type: "text" }) selector: string;
  @Column({ type: "text", name: "key_id" }) keyId: string;
  @Column({ type: "text", name: "handle_mac", nullable: true }) handleMac: string | null;
  @Column({ type: "text", name: "handle_words", nullable: true }) handleWords: string | null;
  @Column({ type: "text", name: "selector_sealed" }) selectorSealed: string;
  @Column({ type: "text" }) org: string;
  @Column({ type: "text" }) kind: string;
  @Column({ type: "text" }) platform: string;
  @Column({ type: "text" }) classification: string;
  @Column({ type: "text" }) handling: string;
  @Column({ type: "text", name: "handling_orgs", array: true }) handlingOrgs: string[];
  @Column({ type: "boolean" }) covert: boolean;
  @Column({ type: "timestamptz", name: "review_due", nullable: true }) reviewDue: Date | null;
  @Column({ type: "uuid", name: "last_event_id" }) lastEventId: string;
  @Column({ type: "timestamptz", name: "updated_at" }) updatedAt: Date;
}

export const HUB_ENTITIES = [AgreementRow, PointerRow];
