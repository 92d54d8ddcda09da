/**
 * A force's own fields (its audit trail, explainAccess) live in its namespace on Query
 * (`kent { … }`), one per org of the registry. An operation names every namespace and
 * includes only the signed-in org's (`@include(if: $kent)`), so it stays one typed document.
 */
export const NAMESPACES = { KENT: "kent", NORFOLK: "norfolk", ESSEX: "essex", CEOP: "ceop" } as const;

type Namespace = (typeof NAMESPACES)[keyof typeof NAMESPACES];

export const hasNamespace = (org: string): org is keyof typeof NAMESPACES => org in NAMESPACES;

/** The @include flags selecting one org's namespace. */
export function namespaceFlags(org: keyof typeof NAMESPACES): Record<Namespace, boolean> {
  const flags = { kent: false, norfolk: false, essex: false, ceop: false };
  flags[NAMESPACES[org]] = true;
  return flags;
}

/** The selected org's part of an answer. */
export const inNamespace = <T>(data: Partial<Record<Namespace, T | null>>, org: keyof typeof NAMESPACES): T | null | undefined => data[NAMESPACES[org]];
