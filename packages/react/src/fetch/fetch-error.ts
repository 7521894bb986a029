/**
 * A non-2xx answer to a `useFetch` request, with its body read so that nothing the server said is
 * lost: parsed JSON when the content type says JSON, else the text.
 *
 * @example
 * const [{ error }] = useFetch("/api/quota", { json: true });
 * if (error instanceof FetchError && error.status === 429) return <p>Slow down: {error.message}</p>;
 */
export class FetchError extends Error {
  override readonly name = "FetchError";
  readonly status: number;
  readonly statusText: string;
  /** The answer's body: JSON when its content type says so (and it parses), else text. */
  readonly body: unknown;
  readonly response: Response;

  constructor(response: Response, body: unknown) {
    // A Sprocket route's error body is `{ error: { code, message, requestId } }`: its message is
    // the most useful one to show.
    const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
    super(
      typeof message === "string"
        ? message
        : `Request failed with status ${response.status} ${response.statusText}`.trimEnd(),
    );
    this.status = response.status;
    this.statusText = response.statusText;
    this.body = body;
    this.response = response;
  }
}

/**
 * Reads a non-2xx `response` into a {@link FetchError}.
 *
 * @example
 * if (!response.ok) throw await fetchErrorFrom(response);
 */
export async function fetchErrorFrom(response: Response): Promise<FetchError> {
  const text = await response.text();
  let body: unknown = text;
  if (/json/i.test(response.headers.get("content-type") ?? "")) {
    try {
      body = JSON.parse(text);
    } catch {
      // A body that says JSON but is not stays text: the caller still sees what was sent.
    }
  }
  return new FetchError(response, body);
}
