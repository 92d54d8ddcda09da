import type { OrgClasses } from "./org-schema.js";

/** Feature modules that add resolvers to every org's types; each returns resolver classes. */
export type ForceModule = (classes: OrgClasses) => Function[];

export const FORCE_MODULES: ForceModule[] = [];
