/** React hooks over `execute`: one query, a paginated list ("Load more"), and mutations. */
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useSession } from "../session/session";
import { execute, type Answer, type Credentials } from "./client";
import { ApiError, type ApiErrorItem } from "./errors";

export interface QueryState<TData> {
  data: TData | null;
  /** Partial errors that came with the data. */
  errors: ApiErrorItem[];
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

function useCredentials(): Credentials {
  const { session, purpose } = useSession();
  const token = session?.token ?? "";
  return useMemo(() => ({ token, purpose: purpose ?? "" }), [token, purpose]);
}

const asApiError = (e: unknown): ApiError => (e instanceof ApiError ? e : new ApiError("INTERNAL", e instanceof Error ? e.message : String(e)));

/** Runs the query whenever its variables change (compared by value); `skip` leaves it idle. */
export function useQuery<TData, TVariables>(
  document: DocumentTypeDecoration<TData, TVariables>,
  variables: TVariables,
  { skip = false }: { skip?: boolean } = {},
): QueryState<TData> {
  const credentials = useCredentials();
  const key = JSON.stringify(variables);
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<Omit<QueryState<TData>, "reload">>({ data: null, errors: [], error: null, loading: !skip });

  useEffect(() => {
    if (skip) return;
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    execute(document, JSON.parse(key) as TVariables, credentials, abort.signal).then(
      ({ data, errors }) => setState({ data, errors, error: null, loading: false }),
      (e: unknown) => abort.signal.aborted || setState({ data: null, errors: [], error: asApiError(e), loading: false }),
    );
    return () => abort.abort();
  }, [document, key, skip, generation, credentials]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

export interface Connection<TNode> {
  nodes: TNode[];
  pageInfo: { endCursor?: string | null; hasNextPage: boolean };
}

export interface PagedState<TData, TNode> extends QueryState<TData> {
  nodes: TNode[];
  hasMore: boolean;
  loadingMore: boolean;
  /** A later page that failed; the pages already shown stay. */
  loadMoreError: ApiError | null;
  loadMore(): void;
}

/**
 * A list the API pages with `first`/`after`: the first page comes with `data` (for the fields
 * around the list), later pages append their nodes.
 */
export function usePagedQuery<TData, TVariables extends { after?: string | null }, TNode>(
  document: DocumentTypeDecoration<TData, TVariables>,
  variables: TVariables,
  select: (data: TData) => Connection<TNode> | null | undefined,
  options: { skip?: boolean } = {},
): PagedState<TData, TNode> {
  const first = useQuery(document, variables, options);
  const credentials = useCredentials();
  const [more, setMore] = useState<{ nodes: TNode[]; endCursor: string | null; hasNextPage: boolean } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const selectRef = useRef(select);
  selectRef.current = select;
  // A page asked for before the list was reloaded or re-filtered is dropped.
  const listRef = useRef<TData | null>(null);
  listRef.current = first.data;

  useEffect(() => {
    setMore(null);
    setMoreError(null);
  }, [first.data]);

  const firstPage = first.data ? selectRef.current(first.data) : null;
  const endCursor = more ? more.endCursor : (firstPage?.pageInfo.endCursor ?? null);
  const hasMore = more ? more.hasNextPage : (firstPage?.pageInfo.hasNextPage ?? false);

  const loadMore = useCallback(() => {
    if (!endCursor) return;
    const list = listRef.current;
    setLoadingMore(true);
    setMoreError(null);
    execute(document, { ...variables, after: endCursor }, credentials).then(
      ({ data }: Answer<TData>) => {
        setLoadingMore(false);
        if (listRef.current !== list) return;
        const page = selectRef.current(data);
        setMore((m) => ({
          nodes: [...(m?.nodes ?? []), ...(page?.nodes ?? [])],
          endCursor: page?.pageInfo.endCursor ?? null,
          hasNextPage: page?.pageInfo.hasNextPage ?? false,
        }));
      },
      (e: unknown) => {
        setMoreError(asApiError(e));
        setLoadingMore(false);
      },
    );
  }, [document, variables, credentials, endCursor]);

  return {
    ...first,
    loadMoreError: moreError,
    nodes: [...(firstPage?.nodes ?? []), ...(more?.nodes ?? [])],
    hasMore,
    loadingMore,
    loadMore,
  };
}

export interface MutationState {
  running: boolean;
  error: ApiError | null;
}

/** An operation (a mutation, or a query the user asks for) run on demand; resolves with the data, or null when it failed (the error is in state). */
export function useOperation<TData, TVariables>(
  document: DocumentTypeDecoration<TData, TVariables>,
): [(variables: TVariables) => Promise<TData | null>, MutationState & { reset(): void }] {
  const credentials = useCredentials();
  const [state, setState] = useState<MutationState>({ running: false, error: null });
  const run = useCallback(
    async (variables: TVariables) => {
      setState({ running: true, error: null });
      try {
        const { data } = await execute(document, variables, credentials);
        setState({ running: false, error: null });
        return data;
      } catch (e) {
        setState({ running: false, error: asApiError(e) });
        return null;
      }
    },
    [document, credentials],
  );
  const reset = useCallback(() => setState({ running: false, error: null }), []);
  return [run, { ...state, reset }];
}
