import { describe, expect, it } from "vitest";
import {
  REDACTED,
  redactHeaders,
  redactUrl,
  SENSITIVE_HEADERS,
  SENSITIVE_QUERY_PARAMS,
} from "./redaction.js";

describe("redactUrl", () => {
  it("redacts every sensitive query parameter and keeps the rest byte for byte", () => {
    const names = [...SENSITIVE_QUERY_PARAMS];
    const url = `https://a.test/p?keep=%2Fx&${names.map((name) => `${name}=v`).join("&")}`;
    expect(redactUrl(url)).toBe(
      `https://a.test/p?keep=%2Fx&${names.map((name) => `${name}=${REDACTED}`).join("&")}`,
    );
  });

  it("matches encoded and differently cased names", () => {
    expect(redactUrl("/p?Signature=a&%73ignature=b&hmac")).toBe(
      `/p?Signature=${REDACTED}&%73ignature=${REDACTED}&hmac=${REDACTED}`,
    );
  });

  it("redacts names an app invents for credentials, and keeps ordinary ones", () => {
    expect(redactUrl("/p?visitorKey=k&api_key=a&client_secret=s&keep=1&keyboard=2")).toBe(
      `/p?visitorKey=${REDACTED}&api_key=${REDACTED}&client_secret=${REDACTED}&keep=1&keyboard=2`,
    );
  });

  it("leaves URLs without a query alone", () => {
    expect(redactUrl("https://a.test/p")).toBe("https://a.test/p");
  });
});

describe("redactHeaders", () => {
  it("redacts every sensitive header whatever its case", () => {
    const headers = Object.fromEntries(SENSITIVE_HEADERS.map((name) => [name.toUpperCase(), "secret"]));
    expect(Object.values(redactHeaders({ ...headers, accept: "*/*" }))).toEqual([
      ...SENSITIVE_HEADERS.map(() => REDACTED),
      "*/*",
    ]);
  });
});
