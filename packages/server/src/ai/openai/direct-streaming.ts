import OpenAI from "openai";
import { APIPromise } from "openai/core/api-promise";
import { directAnswers } from "../direct-answers.js";
import { type FetchLike, registerRawResponse, runtimeFetch } from "../text-source.js";

type ChatCompletions = OpenAI["chat"]["completions"];
type CreateParams = Parameters<ChatCompletions["create"]>[0];

/**
 * The parts of the openai SDK client the direct path reads: all public at runtime, some marked
 * protected in its types. Checked once, so a client of another major version is left alone.
 */
interface ClientInternals {
  apiKey: string;
  baseURL: string;
  organization: string | null;
  project: string | null;
  timeout: number;
  maxRetries: number;
  fetchOptions?: RequestInit;
  _options: { apiKey?: unknown; fetch?: FetchLike; defaultHeaders?: unknown };
  _provider?: unknown;
  _workloadIdentityAuth?: unknown;
  buildRequest(
    options: { method: "post"; path: string; body: unknown },
    extra?: { retryCount?: number },
  ): Promise<{ req: { headers: HeadersInit }; url: string }>;
  makeStatusError(status: number, error: unknown, message: string | undefined, headers: Headers): Error;
}

const PATH = "/chat/completions";

interface PreparedRequest {
  url: string;
  headers: Headers;
}

/**
 * Returns `client` with `chat.completions.create({ ..., stream: true })` sending its request in one
 * step, the way `fetch` would, instead of through the SDK's request pipeline, which costs an
 * answer's first byte about 0.1 ms inside Next.js (`bench/README.md`). What `create()` returns is
 * still the SDK's own promise of its own `Stream`: awaited, iterated, `withResponse()`, errors
 * (`APIError` subclasses by status, `APIConnectionError`, `APIConnectionTimeoutError`) and the
 * client's timeout behave as the SDK's do. Handed to `openAIResponseStream` unawaited, the promise
 * is read directly: the relay starts on the response's raw events with no SDK object in between.
 *
 * The direct path is taken only where it is exactly the SDK's request: a streaming call with no
 * per-call options, on a client of the `OpenAI` class itself (not a subclass such as `AzureOpenAI`,
 * which builds its requests otherwise) with a string API key, no retries (`maxRetries: 0`: a
 * retried stream would start the answer over) and no provider or workload identity. Every other
 * call goes through the SDK as before. The URL and headers (the SDK's own, `defaultHeaders`,
 * organization and project) are built by the SDK once, and again when the key, base URL,
 * organization, project or default headers change; each request gets its own copy.
 *
 * The request goes through the client's `fetch` option when it has one, else through the
 * runtime's own `fetch` (not the one Next.js patches for its data cache; see `rawEventFetch`).
 *
 * @example
 * const openai = withDirectStreaming(new OpenAI({ apiKey, maxRetries: 0, fetch: rawEventFetch() }));
 * const answer = openai.chat.completions.create({ model, messages, stream: true });
 * await reply.send(openAIResponseStream(answer)); // reads the raw events from the first byte
 */
export function withDirectStreaming<Client extends OpenAI>(client: Client): Client {
  const internals = client as unknown as ClientInternals;
  if (typeof internals.buildRequest !== "function" || typeof internals.makeStatusError !== "function") {
    throw new TypeError("withDirectStreaming() takes a client of the openai SDK, version 5 or 6");
  }
  // A subclass may build its requests otherwise (AzureOpenAI puts the model's deployment in the
  // path, and others prepare each request): only the SDK's own client is sent directly.
  if (Object.getPrototypeOf(client) !== OpenAI.prototype) return client;
  const completions = client.chat.completions;
  const sdkCreate = completions.create.bind(completions) as (body: unknown, options?: unknown) => unknown;
  let prepared:
    | { key: readonly unknown[]; request: Promise<PreparedRequest>; value?: PreparedRequest }
    | undefined;

  /** The request's URL and headers, built by the SDK once for each state of what goes into them. */
  const prepare = () => {
    const key = [
      internals.apiKey,
      internals.baseURL,
      internals.organization,
      internals.project,
      internals._options.defaultHeaders,
    ];
    if (prepared === undefined || key.some((part, index) => part !== prepared?.key[index])) {
      const entry: NonNullable<typeof prepared> = {
        key,
        request: internals.buildRequest({ method: "post", path: PATH, body: {} }).then(({ req, url }) => {
          const headers = new Headers(req.headers);
          // The body is sent as a string: fetch sets its length.
          headers.delete("content-length");
          entry.value = { url, headers };
          return entry.value;
        }),
      };
      // A failure (a missing key) is the SDK's to report, at the call, as it would.
      entry.request.catch(() => {
        if (prepared === entry) prepared = undefined;
      });
      prepared = entry;
    }
    return prepared;
  };

  const isDirect = (body: CreateParams, options: unknown): boolean =>
    options === undefined &&
    body?.stream === true &&
    internals.maxRetries === 0 &&
    typeof internals._options.apiKey !== "function" &&
    !internals._provider &&
    !internals._workloadIdentityAuth;

  const create = (body: CreateParams, options?: unknown) => {
    if (!isDirect(body, options)) return sdkCreate(body, options);
    const controller = new AbortController();
    const { value, request } = prepare();
    // Once the headers are built, the request starts within this call: before the caller's next
    // statement (the relay's setup) rather than after it.
    const response = value
      ? sendDirectly(internals, value, body, controller)
      : request.then((ready) => sendDirectly(internals, ready, body, controller));
    const startTime = Date.now();
    const props = response.then((sent) => ({
      response: sent,
      options: { method: "post" as const, path: PATH, body, stream: true },
      controller,
      requestLogID: "direct",
      retryOfRequestLogID: undefined,
      startTime,
    }));
    // Handed to openAIResponseStream, the SDK's promise is never awaited: its failure is the
    // answer's (a 502), reported there once, not again as an unhandled rejection of this copy.
    props.catch(() => {});
    const answer = new APIPromise(client, props);
    directAnswers.set(answer, { response, controller });
    return answer;
  };
  completions.create = create as ChatCompletions["create"];
  return client;
}

/** The SDK's request, sent directly; rejects with the error the SDK's `create()` would. */
async function sendDirectly(
  client: ClientInternals,
  { url, headers }: PreparedRequest,
  body: CreateParams,
  controller: AbortController,
): Promise<Response> {
  const fetchImplementation = client._options.fetch ?? runtimeFetch();
  const fetchOptions = client.fetchOptions;
  const init: RequestInit = {
    ...fetchOptions,
    method: "POST",
    // A copy per request, as the SDK's: a fetch wrapper may change the headers it is handed.
    headers: new Headers(headers),
    body: JSON.stringify(body),
    signal: controller.signal,
  };
  // As the SDK's: a signal in the client's fetchOptions aborts the request too, and the timeout
  // covers the wait for the response's headers.
  const abort = () => controller.abort();
  fetchOptions?.signal?.addEventListener("abort", abort, { once: true });
  const timer = setTimeout(abort, client.timeout);
  let response: Response;
  try {
    if (fetchOptions?.signal?.aborted) abort();
    response = await fetchImplementation(url, init);
  } catch (error) {
    // The SDK's reading of a failed fetch: an abort or a message about a timeout is a timeout.
    const cause = error instanceof Error ? error : new Error(String(error));
    const isTimeout =
      cause.name === "AbortError" || /timed? ?out/i.test(`${String(error)}${String(cause.cause ?? "")}`);
    if (isTimeout) throw new OpenAI.APIConnectionTimeoutError();
    throw new OpenAI.APIConnectionError({ message: "Connection error.", cause });
  } finally {
    clearTimeout(timer);
    fetchOptions?.signal?.removeEventListener("abort", abort);
  }
  if (!response.ok) {
    const text = await response.text().catch((error: unknown) => String(error));
    const json = parseJson(text);
    // As the SDK's: the text is the message unless the body is truthy JSON.
    throw client.makeStatusError(response.status, json, json ? undefined : text, response.headers);
  }
  if (response.body) registerRawResponse(controller.signal, response);
  return response;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
