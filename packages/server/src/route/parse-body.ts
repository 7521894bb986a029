import { parse as parseJson } from "secure-json-parse";
import { searchParamsToObject } from "../_internal/search-params-to-object.js";
import { HttpError } from "../errors/http-error.js";

/**
 * The body as the route context exposes it, by media type: JSON (`application/json`, `*+json`;
 * one with a `__proto__` key, or a `constructor` with a `prototype`, is refused as invalid),
 * a null-prototype object for URL-encoded forms, `FormData` for multipart, a string for `text/*`,
 * the bytes for anything else. An empty body is `undefined` whatever the type.
 *
 * @example
 * await parseBody(new TextEncoder().encode('{"a":1}'), "application/json"); // { a: 1 }
 */
export async function parseBody(bytes: Uint8Array, contentType: string | null): Promise<unknown> {
  if (bytes.byteLength === 0) return undefined;
  const [mediaType = "", ...parameters] = (contentType ?? "").split(";");
  const type = mediaType.trim().toLowerCase();
  if (type === "application/json" || type.endsWith("+json")) {
    try {
      // As Fastify's body parser (the same library): a `__proto__` key, or `constructor` with a
      // `prototype`, is refused, so `Object.assign(target, request.body)` cannot set a prototype.
      return parseJson(decode(bytes), undefined, { protoAction: "error", constructorAction: "error" });
    } catch (error) {
      throw new HttpError("INVALID_JSON", undefined, { cause: error });
    }
  }
  if (type === "application/x-www-form-urlencoded") {
    return searchParamsToObject(new URLSearchParams(decode(bytes)));
  }
  if (type === "multipart/form-data") {
    try {
      // The boundary lives in the content-type parameters, so the whole header is passed on.
      return await new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": contentType ?? "" },
      }).formData();
    } catch (error) {
      throw new HttpError("BAD_REQUEST", "Malformed multipart/form-data body", { cause: error });
    }
  }
  if (type.startsWith("text/")) return decode(bytes, charsetOf(parameters));
  return bytes;
}

function decode(bytes: Uint8Array, charset = "utf-8"): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    // An unknown charset label: UTF-8 is the web's default and right far more often than not.
    decoder = new TextDecoder();
  }
  return decoder.decode(bytes);
}

function charsetOf(parameters: readonly string[]): string | undefined {
  for (const parameter of parameters) {
    const [name, value] = parameter.split("=");
    if (name?.trim().toLowerCase() === "charset" && value) return value.trim().replace(/^"|"$/g, "");
  }
  return undefined;
}
