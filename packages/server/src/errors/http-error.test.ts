import { HttpError, type HttpErrorCode, isHttpError } from "@sprocket/server";
import { describe, expect, it } from "vitest";

describe("HttpError", () => {
  it.each<[HttpErrorCode, number]>([
    ["BAD_REQUEST", 400],
    ["INVALID_JSON", 400],
    ["VALIDATION_FAILED", 400],
    ["INVALID_FILTER", 400],
    ["INVALID_QUERY", 400],
    ["UNAUTHORIZED", 401],
    ["INVALID_SIGNATURE", 401],
    ["STALE_TIMESTAMP", 401],
    ["FORBIDDEN", 403],
    ["CORS_ORIGIN_DENIED", 403],
    ["NOT_FOUND", 404],
    ["METHOD_NOT_ALLOWED", 405],
    ["CONFLICT", 409],
    ["PAYLOAD_TOO_LARGE", 413],
    ["UNSUPPORTED_MEDIA_TYPE", 415],
    ["TOO_MANY_REQUESTS", 429],
    ["CLIENT_CLOSED_REQUEST", 499],
    ["INTERNAL_SERVER_ERROR", 500],
    ["NO_REPLY", 500],
    ["REPLY_ALREADY_SENT", 500],
    ["NOT_CONFIGURED", 500],
    ["BAD_GATEWAY", 502],
    ["SERVICE_UNAVAILABLE", 503],
    ["GATEWAY_TIMEOUT", 504],
  ])("maps %s to %i", (code, status) => {
    const error = new HttpError(code);
    expect(error).toMatchObject({ code, status, name: "HttpError" });
    expect(error.message).toEqual(expect.any(String));
  });

  it("keeps message, cause, details and an explicit status", () => {
    const cause = new Error("root");
    const error = new HttpError("TOO_MANY_REQUESTS", "Slow down", {
      cause,
      details: { retryIn: 5 },
      status: 503,
    });
    expect(error).toMatchObject({ message: "Slow down", cause, details: { retryIn: 5 }, status: 503 });
    expect(() => new HttpError("BAD_REQUEST", undefined, { status: 200 })).toThrow(TypeError);
    expect(() => new HttpError("NOPE" as HttpErrorCode)).toThrow(TypeError);
  });

  it("isHttpError recognises HttpErrors only", () => {
    expect(isHttpError(new HttpError("NOT_FOUND"))).toBe(true);
    expect(isHttpError(new Error("x"))).toBe(false);
    expect(isHttpError({ code: "NOT_FOUND", status: 404 })).toBe(false);
    expect(isHttpError(null)).toBe(false);
  });
});
