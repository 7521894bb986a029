import type { Logger } from "pino";
import type { LoggerSource } from "../_internal/log-stream-errors.js";
import { HttpError } from "../errors/http-error.js";
import type { ProvidedContext, Reply, RouteContext, RouteRequest } from "./types.js";

type Slot = keyof ProvidedContext;

/**
 * The context handlers and `onRequest` hooks share. `api` and `connections` come from the
 * `context` option (or a hook assigning them); when nothing provided one, reading it yields a
 * stand-in that throws `NOT_CONFIGURED` on first use, so `({ api, connections }) => ...`
 * destructuring stays harmless and only real use fails, with a message saying how to fix it.
 *
 * @example
 * const context = createRouteContext({ request, reply, log: { logger }, provided: { api } });
 */
export function createRouteContext({
  request,
  reply,
  log,
  provided,
}: {
  request: RouteRequest;
  reply: Reply;
  /** The request's logger, read when the handler first reads `logger`. */
  log: LoggerSource;
  provided: ProvidedContext;
}): RouteContext {
  const slots: ProvidedContext = { ...provided };
  let logger: Logger | undefined;
  const standIns: ProvidedContext = {};
  const read = (slot: Slot) => {
    if (slots[slot] !== undefined && slots[slot] !== null) return slots[slot];
    standIns[slot] ??= notConfigured(slot);
    return standIns[slot];
  };
  return {
    request,
    reply,
    get logger() {
      return logger ?? log.logger;
    },
    // A hook may put a logger of its own in place (a child with more bindings), as with a plain
    // property.
    set logger(value) {
      logger = value;
    },
    get api() {
      return read("api");
    },
    set api(value) {
      slots.api = value;
    },
    get connections() {
      return read("connections");
    },
    set connections(value) {
      slots.connections = value;
    },
  };
}

function notConfigured(slot: Slot): unknown {
  const fail = (): never => {
    throw new HttpError(
      "NOT_CONFIGURED",
      `\`${slot}\` is not configured for this route. Provide it with the \`context\` option, e.g. ` +
        `route(handler, { context: ({ request }) => ({ ${slot} }) }), or for every route with route.with({ context }).`,
    );
  };
  // A function target so that calling it (`api()`) also reaches a trap.
  return new Proxy(() => {}, {
    get: fail,
    set: fail,
    has: fail,
    apply: fail,
    construct: fail,
    ownKeys: fail,
    defineProperty: fail,
    deleteProperty: fail,
    getOwnPropertyDescriptor: fail,
  });
}
