export * from "./stack.js";
export * from "./tokens.js";
export * from "./graphql.js";
export * from "./db.js";
export * from "./builders.js";
