import type { Classification, Role } from "./enums.js";

/** Who is asking, as established from a verified access token. */
export interface Principal {
  sub: string;
  org: string;
  roles: Role[];
  clearance: Classification;
  /** May see its own force's covert records. */
  covert: boolean;
}
