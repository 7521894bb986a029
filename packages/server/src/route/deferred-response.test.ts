import {
  type DeferredResponse,
  HttpError,
  type RouteHandler,
  route,
  toDeferredResponse,
} from "@sprocket/server";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

const logger = pino({ level: "silent" });
const post = (handler: RouteHandler) =>
  route(handler, { logger })(new Request("https://app.test/r", { method: "POST" }));

/** A deferred body the test settles by hand, once `send` has asked it for its Response. */
function deferredBody() {
  type Settle = { resolve: (response: Response) => void; reject: (error: unknown) => void };
  let asked!: (settle: Settle) => void;
  const called = new Promise<Settle>((resolve) => {
    asked = resolve;
  });
  const body: DeferredResponse & { calls: unknown[] } = {
    calls: [],
    [toDeferredResponse](context) {
      body.calls.push(context);
      return new Promise<Response>((resolve, reject) => asked({ resolve, reject }));
    },
  };
  return { body, called };
}

describe("reply.send with a deferred body", () => {
  it("awaits the body's Response, passes it the request's logger, and keeps the reply's headers", async () => {
    const { body, called } = deferredBody();
    let wasSentWhilePending: boolean | undefined;
    const responding = post(async ({ reply }) => {
      reply.header("x-chat", "1");
      const sending = reply.send(body);
      wasSentWhilePending = reply.sent;
      expect(() => reply.send("second")).toThrow(expect.objectContaining({ code: "REPLY_ALREADY_SENT" }));
      (await called).resolve(
        new Response("later", { status: 200, headers: { "content-type": "text/plain" } }),
      );
      await sending;
      expect(reply.sent).toBe(true);
    });
    const response = await responding;
    expect(wasSentWhilePending).toBe(false);
    expect(body.calls).toEqual([
      { logger: expect.objectContaining({ info: expect.any(Function) }), signal: expect.any(AbortSignal) },
    ]);
    expect(response.headers.get("x-chat")).toBe("1");
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(await response.text()).toBe("later");
  });

  it("rejects send with the body's error, which the boundary renders", async () => {
    const { body, called } = deferredBody();
    const response = await post(async ({ reply }) => {
      const sending = reply.send(body);
      (await called).reject(new HttpError("BAD_GATEWAY", "The model failed"));
      await sending;
    });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      error: { code: "BAD_GATEWAY", message: "The model failed" },
    });
  });

  it("leaves the reply unsent on failure, so the handler can answer something else", async () => {
    const { body, called } = deferredBody();
    const response = await post(async ({ reply }) => {
      const sending = reply.send(body);
      (await called).reject(new HttpError("BAD_GATEWAY"));
      await sending.catch(() => reply.code(503).send({ fallback: true }));
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ fallback: true });
  });

  it("still answers when the handler returns without awaiting the send", async () => {
    const { body, called } = deferredBody();
    const response = post(async ({ reply }) => {
      void reply.send(body);
    });
    (await called).resolve(new Response("late"));
    expect(await (await response).text()).toBe("late");

    const failing = deferredBody();
    const failed = post(async ({ reply }) => {
      reply.send(failing.body).catch(() => {});
    });
    (await failing.called).reject(new HttpError("BAD_GATEWAY"));
    expect((await failed).status).toBe(502);
  });
});
