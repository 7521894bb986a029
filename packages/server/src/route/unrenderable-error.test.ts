import { HttpError, route } from "@sprocket/server";
import { pino } from "pino";
import { expect, it } from "vitest";

// An error whose details cannot be serialised used to reject the route's promise, so Next.js
// answered its own 500 without the request id or the masked JSON body.
it.each([
  ["details with a BigInt", () => new HttpError("BAD_REQUEST", "x", { details: { n: 1n } })],
  ["an invalid header name", () => new HttpError("BAD_REQUEST", "x", { headers: { "bad header": "1" } })],
])("an error with %s still gets a masked 500 with a request id", async (_, makeError) => {
  const handler = route(
    () => {
      throw makeError();
    },
    { logger: pino({ level: "silent" }) },
  );
  const response = await handler(new Request("https://app.test/"));
  expect(response.status).toBe(500);
  const requestId = response.headers.get("x-request-id");
  expect(requestId).toBeTruthy();
  expect(await response.json()).toEqual({
    error: { code: "INTERNAL_SERVER_ERROR", message: "Internal Server Error", requestId },
  });
});
