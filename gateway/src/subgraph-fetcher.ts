import { type Fetcher } from '@apollo/utils.fetcher';

const RETRYABLE = /ECONNRESET|socket hang up|other side closed|UND_ERR_SOCKET/i;

/**
 * fetch with a per-request timeout, retrying once when a pooled keep-alive connection was closed
 * by the subgraph as the request went out (a client should never see that transport error).
 */
export function createSubgraphFetcher(timeoutMs: number): Fetcher {
  const attempt = (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const fetcher = async (url: string, init?: RequestInit) => {
    try {
      return await attempt(url, init ?? {});
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const text = `${String(error)} ${cause?.code ?? ''} ${cause?.message ?? ''}`;
      if (!RETRYABLE.test(text)) throw error;
      return attempt(url, init ?? {});
    }
  };
  return fetcher as unknown as Fetcher;
}
