/** Console routes for records. Global ids (`KENT:identity:<uuid>`) keep their colons in the path. */
const segment = (id: string): string => encodeURIComponent(id).replaceAll("%3A", ":");

export const identityPath = (id: string): string => `/identity/${segment(id)}`;
export const forumPath = (id: string): string => `/forum/${segment(id)}`;
export const graphPath = (rootId: string): string => `/graph/${segment(rootId)}`;
export const agreementPath = (id: string): string => `/agreements/${segment(id)}`;
