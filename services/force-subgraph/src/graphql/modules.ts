import type { ReferenceResolvers } from "@interforce/server-kit";
import type { OrgClasses } from "./org-schema.js";
import { monitoringModule } from "../modules/monitoring/monitoring.resolver.js";
import { sightingsModule } from "../modules/sightings/sighting.resolver.js";

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

export const FORCE_MODULES: ForceModule[] = [monitoringModule, sightingsModule];
