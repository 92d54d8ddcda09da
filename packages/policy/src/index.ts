export * from "./types.js";
export * from "./agreements.js";
export * from "./decide.js";
export * from "./sql.js";
