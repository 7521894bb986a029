// One log line, and one request's child logger, through the route logger (pino's redact paths
// for sensitive headers, plus serializers and a formatter that match them by pattern) against a
// plain pino logger (the floor) and pino's redact with the same wildcard paths alone.
import { pino } from "pino";
import { bench, describe } from "vitest";
// Internal: the route logger is what route() and webhookRoute() make from the app's logger.
import { createLogger } from "../packages/server/dist/logger/create-logger.js";
import { SENSITIVE_HEADERS } from "../packages/server/dist/logger/redaction.js";
import { cpuTable, cpuTimes } from "./cpu-time.js";

const sink = { write() {} };
const plain = pino({ level: "info" }, sink);
const routeLogger = createLogger(pino({ level: "info" }, sink));
const wildcard = pino({ level: "info" }, sink).child(
  {},
  {
    redact: {
      paths: SENSITIVE_HEADERS.flatMap((name) => [`headers["${name}"]`, `*.headers["${name}"]`]),
      censor: "[Redacted]",
    },
  },
);
const requestId = "4b1e0c8e-1f0e-4c4e-9a39-5d0f3c2a7b61";
const line = { chatId: "c1", messages: 3, upstream: { status: 200, headers: { "x-request-id": "abc" } } };
const children = {
  plain: plain.child({ requestId }),
  routeLogger: routeLogger.child({ requestId }),
  wildcard: wildcard.child({ requestId }),
};

const paths: Record<string, () => unknown> = {
  "pino, no redaction: one line": () => children.plain.info(line, "creating new chat completion"),
  "route logger: one line": () => children.routeLogger.info(line, "creating new chat completion"),
  "pino redact, wildcard paths: one line": () => children.wildcard.info(line, "creating new chat completion"),
  "pino, no redaction: child": () => plain.child({ requestId }),
  "route logger: child": () => routeLogger.child({ requestId }),
  "pino redact, wildcard paths: child": () => wildcard.child({ requestId }),
};

console.log(
  `\nCPU time:\n${cpuTable(await cpuTimes(paths, { iterations: 50_000 }), "pino, no redaction: one line", "pino redact, wildcard paths: one line")}`,
);

describe("one log line and one request's child logger", () => {
  for (const [name, path] of Object.entries(paths)) bench(name, path);
});
