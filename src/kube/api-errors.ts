// Kubernetes API failures by HTTP status (@kubernetes/client-node puts it in `code`), never by text.

export function httpStatus(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

/** A rejection handler that swallows one HTTP status (for example 404: already gone). */
export function ignoreStatus(code: number): (err: unknown) => void {
  return (err) => {
    if (httpStatus(err) !== code) throw err;
  };
}
