import type { SprocketConfig } from "../provider.js";
import { ApiError, apiErrorFrom, NO_RESPONSE_STATUS } from "./api-error.js";
import { queryParameter } from "./query-string.js";
import type { PageInfo } from "./types.js";

/** The fetch the requests go through: a provider's, which resolves paths against its `baseUrl`. */
export type ModelFetch = SprocketConfig["fetch"];

/** A findMany answer as it comes over the wire. */
export interface FindManyResponse<Row = unknown> {
  data: Row[];
  pageInfo: PageInfo;
}

/**
 * Sends one model request and returns the `data` of its JSON answer. Throws an {@link ApiError} for
 * a non-2xx answer, a body that is not the protocol's JSON, or no answer at all.
 *
 * @example
 * const chat = await requestModel(fetch, "/api/models/chat/c1");
 */
export async function requestModel<Data>(
  fetch: ModelFetch,
  path: string,
  { method = "GET", body }: { method?: string; body?: unknown } = {},
): Promise<{ data: Data } & Record<string, unknown>> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new ApiError({
      code: "NETWORK_ERROR",
      status: NO_RESPONSE_STATUS,
      message: `Could not reach ${path}`,
      cause,
    });
  }
  if (!response.ok) throw await apiErrorFrom(response);
  const payload: unknown = await response.json().catch(() => undefined);
  if (typeof payload !== "object" || payload === null || !("data" in payload)) {
    throw new ApiError({
      code: "INVALID_RESPONSE",
      status: response.status,
      message: `Expected a JSON body with "data" from ${path}`,
    });
  }
  return payload as { data: Data } & Record<string, unknown>;
}

/**
 * The path of a model's collection, or of one record when `id` is given.
 *
 * @example
 * modelPath("/api/models", "chat", "c 1"); // "/api/models/chat/c%201"
 */
export function modelPath(endpoint: string, model: string, id?: string): string {
  const collection = `${endpoint}/${encodeURIComponent(model)}`;
  return id === undefined ? collection : `${collection}/${encodeURIComponent(id)}`;
}

/**
 * Fetches one page of `model` for a {@link stableQuery} string.
 *
 * @example
 * const { data, pageInfo } = await findManyRequest(fetch, "/api/models", "chat", '{"first":10}');
 */
export async function findManyRequest<Row>(
  fetch: ModelFetch,
  endpoint: string,
  model: string,
  query: string,
): Promise<FindManyResponse<Row>> {
  const { data, pageInfo } = await requestModel<Row[]>(
    fetch,
    modelPath(endpoint, model) + queryParameter(query),
  );
  return { data, pageInfo: pageInfo as PageInfo };
}

/**
 * Fetches one record by id; a missing one is an {@link ApiError} with code `NOT_FOUND`.
 *
 * @example
 * const chat = await findOneRequest(fetch, "/api/models", "chat", "c1", "");
 */
export async function findOneRequest<Row>(
  fetch: ModelFetch,
  endpoint: string,
  model: string,
  id: string,
  query: string,
): Promise<Row> {
  // No record has an empty id, and `{model}/` is the collection's URL: asked, it answers a list.
  if (id === "")
    throw new ApiError({ code: "NOT_FOUND", status: 404, message: `No ${model} has an empty id` });
  return (await requestModel<Row>(fetch, modelPath(endpoint, model, id) + queryParameter(query))).data;
}
