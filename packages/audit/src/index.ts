export {
  AuditLog,
  MAX_AUDIT_PAGE,
  type AuditEventInput,
  type AuditEventRow,
  type AuditPage,
  type AuditPageOptions,
  type AuditRecordRef,
  type RecordOptions,
} from "./audit-log.js";
export { AUDIT_ACTIONS, GENESIS_HASH, canonicalEvent, canonicalJson, hashEvent, type AuditAction, type ChainedEventFields } from "./hash.js";
export { AUDIT_CHAIN_LOCK_KEY, AUDIT_MIGRATION_DOWN, AUDIT_MIGRATION_UP, AuditLog1732600000000 } from "./migration.js";
export { verifyChain, type ChainBreakReason, type QueryFn, type VerifyOptions, type VerifyResult } from "./verify.js";
