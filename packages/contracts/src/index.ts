export * from "./wire.js";
export * from "./outbox-events.js";
export * from "./internal-queries.js";
export * from "./policy-feed.js";
