// The live endpoint's read check, for a model whose id field is not named `id`.
import { route } from "@sprocket/server";
import { createMemoryFeed, defineModels, serveModels } from "@sprocket/server/models";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

const models = defineModels({
  document: {
    name: "Document",
    fields: { key: { kind: "id" }, title: { kind: "string" } },
  },
});

describe("serveModels live", () => {
  it("checks the caller may read a model by its own id field, whatever its name", async () => {
    const reads: unknown[] = [];
    const api = {
      document: {
        maybeFindFirst: async (options: unknown) => {
          reads.push(options);
          return null;
        },
      },
    };
    const appRoute = route.with({
      logger: pino({ level: "silent" }),
      context: () => ({ api: api as never }),
    });
    const { GET } = serveModels({ models, route: appRoute, live: createMemoryFeed() });
    const client = new AbortController();
    const response = await GET(
      new Request("https://app.test/api/models/_live?models=document", { signal: client.signal }),
    );
    expect(response.status).toBe(200);
    expect(reads).toEqual([{ select: { key: true } }]);
    client.abort();
    await response.body?.cancel();
  });
});
