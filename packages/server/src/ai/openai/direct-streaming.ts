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
  timeout: number;
  maxRetries: number;
  fetchOptions?: RequestInit;
  _options: { apiKey?: unknown; fetch?: FetchLike };
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
 * per-call options, on a client with a string API key, no retries (`maxRetries: 0`: a retried
 * stream would start the answer over) and no provider (Azure) or workload identity. Every other
 * call goes through the SDK as before. Headers (the SDK's own, `defaultHeaders`, organization and
 * project) are built by the SDK once and again whenever the key or base URL changes.
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
  const completions = client.chat.completions;
  const sdkCreate = completions.create.bind(completions) as (body: unknown, options?: unknown) => unknown;
  let prepared:
    | { key: string; baseURL: string; request: Promise<PreparedRequest>; value?: PreparedRequest }
    | undefined;

  /** The request's URL and headers, built by the SDK once per key and base URL. */
  const prepare = () => {
    const { apiKey, baseURL } = internals;
    if (prepared?.key !== apiKey || prepared.baseURL !== baseURL) {
      const entry: NonNullable<typeof prepared> = {
        key: apiKey,
        baseURL,
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
  const init: RequestInit = {
    ...client.fetchOptions,
    method: "POST",
    headers,
    body: JSON.stringify(body),
    signal: controller.signal,
  };
  // As the SDK's: the timeout covers the wait for the response's headers.
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, client.timeout);
  let response: Response;
  try {
    response = await fetchImplementation(url, init);
  } catch (error) {
    if (timedOut) throw new OpenAI.APIConnectionTimeoutError();
    if (controller.signal.aborted) throw new OpenAI.APIUserAbortError();
    throw new OpenAI.APIConnectionError({
      message: "Connection error.",
      cause: error instanceof Error ? error : new Error(String(error)),
    });
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    const text = await response.text().catch((error: unknown) => String(error));
    const json = parseJson(text);
    throw client.makeStatusError(
      response.status,
      json,
      json === undefined ? text : undefined,
      response.headers,
    );
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
