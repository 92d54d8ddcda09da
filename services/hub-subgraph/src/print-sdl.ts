import "reflect-metadata";
import { buildHubSubgraph } from "./graphql/hub-schema.js";

process.stdout.write((await buildHubSubgraph()).sdl);
