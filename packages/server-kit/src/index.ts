export * from "./errors.js";
export * from "./logger.js";
export * from "./http.js";
export * from "./subgraph.js";
export * from "./graphql-enums.js";
