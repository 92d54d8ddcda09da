import type { ForceModule } from "./org-classes.js";
import { monitoringModule } from "../modules/monitoring/monitoring.resolver.js";
import { sightingsModule } from "../modules/sightings/sighting.resolver.js";

/** The feature modules every org's schema is built with (the contract is in org-classes.ts). */
export const FORCE_MODULES: ForceModule[] = [monitoringModule, sightingsModule];
