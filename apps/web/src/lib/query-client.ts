import { QueryClient } from "@tanstack/react-query";

/** Server-state cache: figures are fresh for 15 s; live updates invalidate them sooner. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (count, error) => count < 2 && (error as { status?: number }).status !== 404,
      },
    },
  });
}

let app: QueryClient | undefined;

/**
 * The page's one cache, also reachable outside React: a route loader fills it while the app's
 * first render is still going on (tests give the Providers their own client instead).
 */
export function appQueryClient(): QueryClient {
  app ??= createQueryClient();
  return app;
}
