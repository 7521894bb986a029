import { route } from "@sprocket/server";
import { pino } from "pino";
import { expect, it } from "vitest";

it("an error raised mid-stream fails the client's read and is logged with the request id", async () => {
  const lines: { msg?: string; requestId?: string; err?: { message?: string } }[] = [];
  const logger = pino({}, { write: (line: string) => lines.push(JSON.parse(line)) });
  async function* tokens() {
    yield "partial ";
    throw new Error("upstream broke");
  }
  const handler = route(async ({ reply }) => reply.send(tokens()), { logger });
  const response = await handler(new Request("https://app.test/"));
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toBe("partial ");
  await expect(reader.read()).rejects.toThrow("upstream broke");
  const logged = lines.find((line) => line.msg === "Response stream failed after the response started");
  expect(logged?.err?.message).toBe("upstream broke");
  expect(logged?.requestId).toBe(response.headers.get("x-request-id"));
});
