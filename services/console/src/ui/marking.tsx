/**
 * The highest classification of what is on screen, shown at the top of every page. Each view
 * that shows marked records declares their classifications while it is mounted.
 */
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useState, type ReactNode } from "react";
import { highestClassification } from "../domain/markings";
import type { Classification } from "../gql/graphql";

interface MarkingRegistry {
  highest: Classification;
  declare(key: string, markings: Classification[] | null): void;
}

const MarkingContext = createContext<MarkingRegistry | null>(null);

export function MarkingProvider({ children }: { children: ReactNode }) {
  const [byView, setByView] = useState<ReadonlyMap<string, Classification[]>>(new Map());
  const declare = useCallback((key: string, markings: Classification[] | null) => {
    setByView((current) => {
      const next = new Map(current);
      if (markings) next.set(key, markings);
      else next.delete(key);
      return next;
    });
  }, []);
  const value = useMemo<MarkingRegistry>(() => ({ highest: highestClassification([...byView.values()].flat()), declare }), [byView, declare]);
  return <MarkingContext.Provider value={value}>{children}</MarkingContext.Provider>;
}

function useRegistry(): MarkingRegistry {
  const registry = useContext(MarkingContext);
  if (!registry) throw new Error("marking hooks outside MarkingProvider");
  return registry;
}

export const useHighestMarking = (): Classification => useRegistry().highest;

/** Declares the classifications this view shows, for as long as it is mounted. */
export function useMarkings(markings: readonly (Classification | null | undefined)[]): void {
  const { declare } = useRegistry();
  const key = useId();
  const list = markings.filter((m): m is Classification => !!m);
  const signature = list.join(",");
  useEffect(() => {
    declare(key, signature ? (signature.split(",") as Classification[]) : []);
    return () => declare(key, null);
  }, [declare, key, signature]);
}
