import { describe, expect, it } from "vitest";
import { queryParameter, stableQuery } from "./query-string.js";

describe("stableQuery", () => {
  it("writes equal queries equally: fixed key order, filter and select keys sorted", () => {
    const a = stableQuery({
      first: 10,
      select: { title: true, id: true },
      filter: { b: { equals: 1 }, a: { in: [2] } },
    });
    const b = stableQuery({
      filter: { a: { in: [2] }, b: { equals: 1 } },
      select: { id: true, title: true },
      first: 10,
    });
    expect(a).toBe(b);
    expect(a).toBe(
      '{"filter":{"a":{"in":[2]},"b":{"equals":1}},"select":{"id":true,"title":true},"first":10}',
    );
  });

  it("writes a Date in a filter as JSON does, so different dates are different queries", () => {
    const since = (iso: string) => stableQuery({ filter: { createdAt: { greaterThan: new Date(iso) } } });
    expect(JSON.parse(since("2026-01-02T03:04:05.006Z"))).toEqual({
      filter: { createdAt: { greaterThan: "2026-01-02T03:04:05.006Z" } },
    });
    expect(since("2026-01-01T00:00:00.000Z")).not.toBe(since("2026-01-02T00:00:00.000Z"));
  });

  it("keeps a sort's key order, which decides the order of rows", () => {
    expect(stableQuery({ sort: { title: "Ascending", createdAt: "Descending" } })).toBe(
      '{"sort":{"title":"Ascending","createdAt":"Descending"}}',
    );
  });

  it("drops undefined, null and unknown keys, and is empty for an empty query", () => {
    const query = { filter: undefined, after: null, live: true, pause: false } as object;
    expect(stableQuery(query)).toBe("");
    expect(stableQuery(undefined)).toBe("");
    expect(queryParameter("")).toBe("");
    expect(queryParameter('{"first":1}')).toBe("?query=%7B%22first%22%3A1%7D");
  });

  it("refuses Gadget's full-text search rather than answer every record", () => {
    expect(() => stableQuery({ search: "tuna" })).toThrow(/`search` is not supported/);
    expect(stableQuery({ search: "", first: 1 })).toBe('{"first":1}');
  });
});
