// One GET with a deadline, for the pool sources: JSON with ETag revalidation, or just "did it
// answer 2xx" for health. Node's own fetch (undici) keeps the connection to the local agent alive
// between polls.

export class HttpError extends Error {
  override name = 'HttpError';
}

async function get(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<Response> {
  try {
    return await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    const why =
      err instanceof Error && err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (cause ?? (err instanceof Error ? err.message : String(err)));
    throw new HttpError(`GET ${url}: ${why}`);
  }
}

/** Resolves when the URL answers 2xx within the deadline; otherwise throws why not. */
export async function probe(url: string, timeoutMs: number): Promise<void> {
  const res = await get(url, timeoutMs);
  await res.body?.cancel();
  if (!res.ok) throw new HttpError(`GET ${url}: HTTP ${res.status}`);
}

export type JsonResult = { changed: false } | { changed: true; body: unknown; etag?: string };

/** GET JSON; with the ETag of the last answer, a 304 comes back as `changed: false`. */
export async function getJson(url: string, timeoutMs: number, etag?: string): Promise<JsonResult> {
  const res = await get(url, timeoutMs, {
    accept: 'application/json',
    ...(etag ? { 'if-none-match': etag } : {}),
  });
  if (res.status === 304) return { changed: false };
  if (!res.ok) {
    await res.body?.cancel();
    throw new HttpError(`GET ${url}: HTTP ${res.status}`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new HttpError(`GET ${url}: the answer is not JSON`);
  }
  const tag = res.headers.get('etag');
  return { changed: true, body, ...(tag ? { etag: tag } : {}) };
}
