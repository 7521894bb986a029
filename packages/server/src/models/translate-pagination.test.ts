import { type PageRequest, type PrismaOrderBy, pageInfo, translatePagination } from "@sprocket/server/models";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, MAX_CURSOR_ID_BYTES } from "./cursor.js";

const orderBy: PrismaOrderBy = [{ createdAt: "desc" }, { id: "asc" }];
const page = (
  args: Parameters<typeof translatePagination>[0],
  options?: Parameters<typeof translatePagination>[2],
) => translatePagination(args, orderBy, options);
const request = (args: Parameters<typeof translatePagination>[0]): PageRequest => {
  const result = page(args);
  if (!result.ok) throw new Error(result.message);
  return result;
};
const rows = (...ids: string[]) => ids.map((id) => ({ id }));

describe("translatePagination", () => {
  it("takes the default page size plus one row to look ahead", () => {
    expect(page({})).toEqual({
      ok: true,
      query: { take: 51, orderBy },
      isReversed: false,
      pageSize: 50,
      cursorId: undefined,
      idField: "id",
    });
    expect(page({ first: null, after: null })).toMatchObject({ ok: true, query: { take: 51 } });
  });

  it("pages forward from a cursor, taking one more row for the cursor's own", () => {
    expect(page({ first: 10, after: encodeCursor("c9") })).toMatchObject({
      ok: true,
      query: { take: 12, cursor: { id: "c9" }, orderBy },
      isReversed: false,
      cursorId: "c9",
    });
    expect(page({ first: 10 })).not.toHaveProperty("query.skip");
  });

  it("pages backward by reversing every sort key", () => {
    expect(page({ last: 5, before: encodeCursor("c9") })).toMatchObject({
      ok: true,
      query: { take: 7, cursor: { id: "c9" }, orderBy: [{ createdAt: "asc" }, { id: "desc" }] },
      isReversed: true,
    });
    expect(page({ last: 5 })).toMatchObject({ query: { take: 6 }, isReversed: true });
    expect(page({ before: encodeCursor("c9") })).toMatchObject({ query: { take: 52 }, isReversed: true });
  });

  it("uses the configured sizes and id field", () => {
    expect(page({}, { defaultPageSize: 10, maxPageSize: 20, idField: "uuid" })).toMatchObject({
      query: { take: 11 },
      idField: "uuid",
    });
    expect(page({ after: encodeCursor("x") }, { idField: "uuid" })).toMatchObject({
      query: { cursor: { uuid: "x" } },
    });
    expect(page({ first: 21 }, { maxPageSize: 20 })).toEqual({
      ok: false,
      path: "first",
      message: "Expected an integer from 1 to 20",
    });
  });

  it.each([
    [{ first: 0 }, "first"],
    [{ first: 251 }, "first"],
    [{ first: 1.5 }, "first"],
    [{ first: "10" }, "first"],
    [{ first: Number.NaN }, "first"],
    [{ last: -1 }, "last"],
    [{ last: true }, "last"],
  ])("refuses the page size in %j", (args, path) => {
    expect(page(args)).toEqual({ ok: false, path, message: "Expected an integer from 1 to 250" });
  });

  it("accepts page sizes 1 and maxPageSize", () => {
    expect(page({ first: 1 }).ok).toBe(true);
    expect(page({ last: 250 }).ok).toBe(true);
  });

  it.each([
    [{ first: 1, last: 1 }, "last", "first and last cannot be used together"],
    [
      { after: encodeCursor("a"), before: encodeCursor("b") },
      "before",
      "after and before cannot be used together",
    ],
    [{ first: 1, before: encodeCursor("b") }, "before", "before pages backwards: use it with last"],
    [{ last: 1, after: encodeCursor("a") }, "after", "after pages forwards: use it with first"],
  ])("refuses the combination %j", (args, path, message) => {
    expect(page(args)).toEqual({ ok: false, path, message });
  });

  it.each([
    ["", "empty"],
    ["YzE=", "padded"],
    ["YzF", "with stray bits"],
    ["Yz+E", "in standard base64"],
    ["Y", "one character too short to be base64"],
    ["_w", "not UTF-8"],
    [12, "a number"],
    [{ id: "c1" }, "an object"],
    ["A".repeat(400), "too long"],
  ])("refuses the cursor %j (%s)", (cursor, _reason) => {
    expect(page({ after: cursor })).toEqual({ ok: false, path: "after", message: "Invalid cursor" });
    expect(page({ before: cursor })).toEqual({ ok: false, path: "before", message: "Invalid cursor" });
  });

  it("refuses invalid options", () => {
    expect(() => page({}, { maxPageSize: 0 })).toThrow(RangeError);
    expect(() => page({}, { defaultPageSize: 300 })).toThrow(RangeError);
  });
});

describe("cursors", () => {
  it("round-trip any id, including non-ASCII ones", () => {
    for (const id of ["c1", "0190a6f4-7c1e-7000-8000-000000000000", "é😀", "a?b/c+d"]) {
      const cursor = encodeCursor(id);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toBe(id);
    }
  });

  it(`carry ids of up to ${MAX_CURSOR_ID_BYTES} bytes`, () => {
    expect(decodeCursor(encodeCursor("x".repeat(MAX_CURSOR_ID_BYTES)))).toBe("x".repeat(MAX_CURSOR_ID_BYTES));
    expect(decodeCursor(encodeCursor("x".repeat(MAX_CURSOR_ID_BYTES + 3)))).toBeUndefined();
  });
});

describe("pageInfo", () => {
  it("trims the look-ahead row and reports a next page", () => {
    const info = pageInfo(rows("a", "b", "c"), request({ first: 2 }));
    expect(info).toEqual({
      rows: rows("a", "b"),
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor("a"),
      endCursor: encodeCursor("b"),
    });
  });

  it("reports the last page and an empty page", () => {
    expect(pageInfo(rows("a", "b"), request({ first: 2 }))).toMatchObject({ hasNextPage: false });
    expect(pageInfo([], request({}))).toEqual({
      rows: [],
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it("drops the cursor's own row after a cursor", () => {
    const after = request({ first: 2, after: encodeCursor("b") });
    expect(pageInfo(rows("b", "c", "d", "e"), after)).toMatchObject({
      rows: rows("c", "d"),
      hasNextPage: true,
      hasPreviousPage: true,
    });
    expect(pageInfo(rows("b", "c"), after)).toMatchObject({ rows: rows("c"), hasNextPage: false });
  });

  it("keeps every row when the cursor's row no longer matches the filter", () => {
    const after = request({ first: 2, after: encodeCursor("b") });
    expect(pageInfo(rows("c", "d", "e"), after)).toMatchObject({ rows: rows("c", "d"), hasNextPage: true });
    expect(pageInfo(rows("c", "d"), after)).toMatchObject({ rows: rows("c", "d"), hasNextPage: false });
  });

  it("puts a backward page back in the requested order", () => {
    // Queried in reverse: nearest the cursor first.
    const before = request({ last: 2, before: encodeCursor("e") });
    expect(pageInfo(rows("e", "d", "c", "b"), before)).toEqual({
      rows: rows("c", "d"),
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: encodeCursor("c"),
      endCursor: encodeCursor("d"),
    });
    expect(pageInfo(rows("b", "a"), request({ last: 2 }))).toMatchObject({
      rows: rows("a", "b"),
      hasNextPage: false,
      hasPreviousPage: false,
    });
  });

  it("does not modify the rows it is given", () => {
    const queried = rows("b", "a");
    pageInfo(queried, request({ last: 5 }));
    expect(queried).toEqual(rows("b", "a"));
  });

  it("returns cursors that page on from where the last page ended", () => {
    const first = pageInfo(rows("a", "b", "c"), request({ first: 2 }));
    const next = page({ first: 2, after: first.endCursor });
    expect(next).toMatchObject({ ok: true, query: { cursor: { id: "b" } } });
  });
});
