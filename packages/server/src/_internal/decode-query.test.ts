import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeQuery } from "./decode-query.js";

const urlSearchParams = (query: string) => [...new URLSearchParams(query)];

describe("decodeQuery", () => {
  it.each([
    "",
    "?",
    "a=1&b=2",
    "?a=1",
    "a&&b=&=c&",
    "a=1=2",
    "p=%2Fapps%2Fx+y%2B",
    "bad=%zz&half=%E2%82&lone=%&ok=%C3%A9",
    "%F0%9F%98%80=%ED%A0%80",
    "caf%C3%A9=cr%C3%A8me+br%C3%BBl%C3%A9e",
  ])("reads %j as URLSearchParams does", (query) => {
    expect(decodeQuery(query)).toEqual(urlSearchParams(query));
  });

  it("reads any string as URLSearchParams does", () => {
    const unit = fc.oneof(
      fc.constantFrom("%", "+", "=", "&", "?", "2", "F", "C3", "A9", "E2", "82", "ED", "a", " "),
      fc.string({ unit: "binary", maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (query) => {
        // A leading "?" is dropped by both.
        expect(decodeQuery(query)).toEqual(urlSearchParams(query));
      }),
      { numRuns: 2000 },
    );
  });
});
