/**
 * Reads a request's body within `limit` bytes: too large at once, without reading a byte, when its
 * `Content-Length` says so (the body is cancelled, which ends the upload), else as
 * {@link readLimitedBody} reads it. No body reads as empty.
 *
 * @example
 * const read = await readRequestBody(request, 1_048_576);
 * if (!read.ok) throw new HttpError("PAYLOAD_TOO_LARGE");
 */
export async function readRequestBody(request: Request, limit: number): Promise<ReadLimitedBodyResult> {
  if (request.body === null) return { ok: true, bytes: new Uint8Array() };
  if (declaredLength(request.headers) > limit) {
    request.body.cancel("Request body exceeds the size limit").catch(() => {});
    return { ok: false, reason: "too-large" };
  }
  return await readLimitedBody(request.body, limit);
}

/**
 * The body length a request's `Content-Length` declares, or -1 when it declares none (or an
 * unreadable one).
 *
 * @example
 * if (declaredLength(request.headers) > limit) throw new HttpError("PAYLOAD_TOO_LARGE");
 */
export function declaredLength(headers: Headers): number {
  const declared = headers.get("content-length");
  return declared !== null && /^\d+$/.test(declared) ? Number(declared) : -1;
}

/** The outcome of {@link readLimitedBody}. */
export type ReadLimitedBodyResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: "too-large" };

/**
 * Reads `stream` to the end unless it holds more than `limit` bytes; in that case the reader is
 * cancelled as soon as the count passes the limit, so an oversized or endless upload is never
 * buffered whole.
 *
 * @example
 * const result = await readLimitedBody(request.clone().body!, 1_048_576);
 * if (!result.ok) throw new HttpError("PAYLOAD_TOO_LARGE");
 */
export async function readLimitedBody(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<ReadLimitedBodyResult> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // No await: a source that is slow to cancel must not delay the 413.
      reader.cancel("Request body exceeds the size limit").catch(() => {});
      return { ok: false, reason: "too-large" };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: concat(chunks, size) };
}

// Always a fresh copy, even for one chunk: a chunk may be a view into a larger pooled buffer, and
// signature code often hands `bytes.buffer` to crypto.
function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
