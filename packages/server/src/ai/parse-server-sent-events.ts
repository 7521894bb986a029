const LINE_FEED = 10;
const COLON = 58;
const SPACE = 32;

/** An incremental parser of the `text/event-stream` format; see {@link createServerSentEventParser}. */
export interface ServerSentEventParser {
  /** Parses the next piece of decoded text; complete events go to `onEvent` as they end. */
  push(text: string): void;
}

/**
 * Parses server-sent events as the HTML standard defines them (§9.2.6): lines end in LF, CR or
 * CRLF (even when a CRLF is split across chunks), `data:` lines of one event are joined with LF, a
 * blank line ends the event, `:` lines are comments, and an event left unfinished at the end of the
 * stream is dropped. Only `data` and `event` are kept: OpenAI sends nothing else that matters.
 *
 * @example
 * const parser = createServerSentEventParser((data) => console.log(data));
 * parser.push('data: {"a":1}\n\nda');
 * parser.push("ta: [DONE]\n\n"); // logs {"a":1}, then [DONE]
 */
export function createServerSentEventParser(
  onEvent: (data: string, event: string | undefined) => void,
): ServerSentEventParser {
  let pending = "";
  let data = "";
  let hasData = false;
  let event: string | undefined;
  // A chunk ended in CR: an LF opening the next chunk belongs to the same line ending.
  let isAfterCarriageReturn = false;

  const takeLine = (line: string) => {
    if (line.length === 0) {
      if (hasData) onEvent(data, event);
      data = "";
      hasData = false;
      event = undefined;
      return;
    }
    if (line.charCodeAt(0) === COLON) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === SPACE) value = value.slice(1);
    if (field === "data") {
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
    } else if (field === "event") {
      event = value;
    }
  };

  return {
    push(chunk) {
      const text = pending.length > 0 ? pending + chunk : chunk;
      pending = "";
      let start = 0;
      if (isAfterCarriageReturn && text.charCodeAt(0) === LINE_FEED) start = 1;
      isAfterCarriageReturn = false;
      // Each search runs once per line ending, not once per line, so a chunk of many events
      // without any CR stays linear.
      let nextLineFeed = text.indexOf("\n", start);
      let nextCarriageReturn = text.indexOf("\r", start);
      while (nextLineFeed !== -1 || nextCarriageReturn !== -1) {
        const isCarriageReturn =
          nextCarriageReturn !== -1 && (nextLineFeed === -1 || nextCarriageReturn < nextLineFeed);
        const end = isCarriageReturn ? nextCarriageReturn : nextLineFeed;
        takeLine(text.slice(start, end));
        start = end + 1;
        if (isCarriageReturn) {
          if (start === text.length) isAfterCarriageReturn = true;
          else if (text.charCodeAt(start) === LINE_FEED) start += 1;
          if (nextCarriageReturn < start) nextCarriageReturn = text.indexOf("\r", start);
        }
        if (nextLineFeed !== -1 && nextLineFeed < start) nextLineFeed = text.indexOf("\n", start);
      }
      if (start < text.length) pending = text.slice(start);
    },
  };
}
