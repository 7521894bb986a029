import { describe, expect, it } from "vitest";
import { createServerSentEventParser } from "./parse-server-sent-events.js";

function parse(chunks: readonly string[]) {
  const events: [string, string | undefined][] = [];
  const parser = createServerSentEventParser((data, event) => events.push([data, event]));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe("createServerSentEventParser", () => {
  it("reads data events, joins multi-line data, keeps event names and skips comments", () => {
    expect(
      parse([": keep-alive\n\ndata: one\n\nevent: note\ndata: a\ndata:b\n\ndata\n\nid: 7\nretry: 5\n\n"]),
    ).toEqual([
      ["one", undefined],
      ["a\nb", "note"],
      ["", undefined],
    ]);
  });

  it("accepts LF, CR and CRLF line endings", () => {
    expect(parse(["data: lf\n\ndata: cr\r\rdata: crlf\r\n\r\n"])).toEqual([
      ["lf", undefined],
      ["cr", undefined],
      ["crlf", undefined],
    ]);
  });

  it("gives the same events wherever the text is split, including inside a CRLF", () => {
    const text = 'data: {"a":1}\r\n\r\ndata: two\n\n: c\r\ndata: x\rdata: y\r\r';
    const whole = parse([text]);
    expect(whole).toEqual([
      ['{"a":1}', undefined],
      ["two", undefined],
      ["x\ny", undefined],
    ]);
    for (let offset = 0; offset <= text.length; offset++) {
      expect(parse([text.slice(0, offset), text.slice(offset)])).toEqual(whole);
    }
  });

  it("drops an event the stream did not finish", () => {
    expect(parse(["data: done\n\ndata: cut"])).toEqual([["done", undefined]]);
  });
});
