export * from "./enums.js";
export * from "./ids.js";
export * from "./normalise.js";
export * from "./registry.js";
export * from "./principal.js";
export * from "./joint-monitoring.js";
