import type { OrgEntry } from "@interforce/domain";
import type { Action } from "@interforce/policy";
import type { ReferenceResolvers } from "@interforce/server-kit";
import type { ForceContext } from "../context.js";
import type { OrgTypeNames } from "./views.js";

// The contract between org-schema.ts and the feature modules, in a file of its own so that
// neither side imports the other (org-schema lists the modules; the modules use these types).

/**
 * What a feature module needs to add fields to an org's types: its own resolver classes
 * target these (`@Resolver(() => c.OrgQuery)`), so each feature lives in its own folder.
 */
export interface OrgClasses {
  org: OrgEntry;
  /** The lower-case namespace field, e.g. `kent`. */
  ns: string;
  names: OrgTypeNames;
  OrgIdentity: Function;
  OrgForum: Function;
  OrgLink: Function;
  OrgQuery: Function;
  OrgMutation: Function;
  /**
   * Whether the caller may perform the action here, by the policy's action catalogue (and a
   * stated purpose where the action needs one); a refused write is audited. Throws FORBIDDEN.
   */
  gate: (ctx: ForceContext, action: Action) => Promise<void>;
}

/**
 * What a feature module adds to one org's schema: resolver classes and, for entity types of
 * its own, their `__resolveReference` (type-graphql has no decorator for it).
 */
export interface ForceModuleParts {
  resolvers: Function[];
  references?: ReferenceResolvers;
}

/** Feature modules that add resolvers to every org's types; each returns resolver classes. */
export type ForceModule = (classes: OrgClasses) => Function[] | ForceModuleParts;

export const partsOf = (built: Function[] | ForceModuleParts): Required<ForceModuleParts> =>
  Array.isArray(built) ? { resolvers: built, references: {} } : { resolvers: built.resolvers, references: built.references ?? {} };
