// The Gadget "common use cases" route seeds, ported as a Next.js app would port them: only the
// import changes (`gadget-server` -> `@sprocket/server`) and `export default route` becomes
// `export const POST = route(handler)`. Here the factory is imported as `defineRoute` because each
// seed names its handler `route`, and each seed sits in its own scope to stand for its own file.
// The `context` option supplies small test doubles for `api` and `connections`.
import { type LocalModelServer, startLocalModelServer } from "@sprocket/dev";
import { route as defineRoute, type RouteHandler } from "@sprocket/server";
import { openAIResponseStream } from "@sprocket/server/ai";
import OpenAI from "openai";
import type { ChatCompletionCreateParamsBase } from "openai/resources/chat/completions";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe("GitHub webhook seed", () => {
  const { logger: base, lines } = captureLogs();
  const POST = (() => {
    const route: RouteHandler = async ({ request, reply, logger }) => {
      // write the incoming webhook payload to the logs
      logger.debug({ request }, "log the incoming webhook request");

      // reply with a 204 response
      return await reply.code(204).send();
    };

    return defineRoute(route, { logger: base });
  })();

  it("logs the request without its signature and answers 204", async () => {
    const response = await POST(
      new Request("https://app.test/webhooks/github", {
        method: "POST",
        body: JSON.stringify({ action: "created", starred_at: "2024-01-01T00:00:00Z" }),
        headers: {
          "content-type": "application/json",
          "x-github-event": "star",
          "x-hub-signature-256": "sha256=0123456789abcdef",
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    const logged = lines.find((line) => line.msg === "log the incoming webhook request");
    expect(logged).toMatchObject({
      requestId: response.headers.get("x-request-id"),
      request: { method: "POST", headers: { "x-github-event": "star", "x-hub-signature-256": "[Redacted]" } },
    });
    expect(JSON.stringify(lines)).not.toContain("0123456789abcdef");
  });
});

describe("app proxy GET seed", () => {
  const customers = new Map([["624407574", { id: "624407574", customData: { nickname: "Big Tuna" } }]]);
  const api = {
    shopifyCustomer: {
      maybeFindOne: async (id: string, _options: { select: Record<string, boolean> }) =>
        customers.get(id) ?? null,
    },
  };
  const GET = (() => {
    /**
     * Route handler for GET proxy
     *
     * See: https://docs.gadget.dev/guides/http-routes/route-configuration#route-context
     */
    const route: RouteHandler = async ({ request, reply, api, logger, connections }) => {
      const customerId = request.query.logged_in_customer_id;

      // This can also be done in an `onRequest` hook
      if (!customerId) {
        return await reply.code(401).send({ error: { message: "Unauthorized" } });
      }

      const customer = await api.shopifyCustomer.maybeFindOne(customerId, {
        select: {
          customData: true,
          // ... other fields
        },
      });

      if (!customer) return await reply.code(404).send({ error: { message: "Customer not found" } });

      await reply.send({
        ...customer,
      });
    };

    return defineRoute(route, { logger: pino({ level: "silent" }), context: () => ({ api }) });
  })();

  it("answers 401 without a logged-in customer", async () => {
    const response = await GET(new Request("https://app.test/proxy?shop=tuna.myshopify.com"));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { message: "Unauthorized" } });
  });

  it("answers 404 for an unknown customer", async () => {
    const response = await GET(new Request("https://app.test/proxy?logged_in_customer_id=1"));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { message: "Customer not found" } });
  });

  it("answers 200 with the customer", async () => {
    const response = await GET(new Request("https://app.test/proxy?logged_in_customer_id=624407574"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "624407574", customData: { nickname: "Big Tuna" } });
  });
});

describe("app proxy POST seed", () => {
  function proxyRoute(userErrors: { message: string }[]) {
    const calls: { query: string; variables: unknown }[] = [];
    const connections = {
      shopify: {
        current: {
          graphql: async (query: string, variables: unknown) => {
            calls.push({ query, variables });
            return { metafieldsSet: { metafields: [], userErrors } };
          },
        },
      },
    };
    const { logger: base, lines } = captureLogs();
    const POST = (() => {
      /**
       * Route handler for POST proxy
       *
       * See: https://docs.gadget.dev/guides/http-routes/route-configuration#route-context
       */
      const route: RouteHandler = async ({ request, reply, api, logger, connections }) => {
        const shopify = connections.shopify.current;

        // Example of calling the Shopify API
        const response = await shopify.graphql(
          `
    mutation ($metafields: [MetafieldsSetInput!]!) {
      metafieldsSet(metafields: $metafields) {
        metafields {
          key
          namespace
          value
        }
        userErrors {
          message
        }
      }
    }
  `,
          {
            metafields: [
              {
                key: "nickname",
                namespace: "my_fields",
                ownerId: "gid://shopify/Customer/624407574",
                type: "single_line_text_field",
                value: "Big Tuna",
              },
            ],
          },
        );

        if (response?.metafieldsSet?.userErrors?.length) {
          logger.error({ errors: response.metafieldsSet.userErrors }, "Errored setting metafields");

          return await reply.code(500).send();
        }

        await reply.send();
      };

      return defineRoute(route, { logger: base, context: () => ({ connections }) });
    })();
    return { POST, calls, lines };
  }

  it("answers 200 with an empty body when the metafields are set", async () => {
    const { POST, calls } = proxyRoute([]);
    const response = await POST(new Request("https://app.test/proxy", { method: "POST" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.variables).toMatchObject({ metafields: [{ key: "nickname", value: "Big Tuna" }] });
  });

  it("answers 500 and logs the user errors", async () => {
    const { POST, lines } = proxyRoute([{ message: "Owner not found" }]);
    const response = await POST(new Request("https://app.test/proxy", { method: "POST" }));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("");
    expect(lines.find((line) => line.msg === "Errored setting metafields")).toMatchObject({
      requestId: response.headers.get("x-request-id"),
      errors: [{ message: "Owner not found" }],
    });
  });
});

describe("AI response streaming seed (POST-chat)", () => {
  // The seed's `gadget-server/ai` import becomes `@sprocket/server/ai`; the model is the local one.
  const saved: unknown[] = [];
  let modelServer: LocalModelServer;
  let POST: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    modelServer = await startLocalModelServer({ tokensPerSecond: Number.POSITIVE_INFINITY });
    const connections = {
      openai: new OpenAI({ baseURL: modelServer.baseURL, apiKey: "local", maxRetries: 0 }),
    };
    const api = {
      message: {
        create: async (record: unknown) => {
          saved.push(record);
          return record;
        },
      },
    };
    POST = (() => {
      type ChatRequestBody = {
        chatId: string;
        messages: ChatCompletionCreateParamsBase["messages"];
      };

      const route: RouteHandler = async ({ request, reply, api, logger, connections }) => {
        const { chatId, messages } = request.body as ChatRequestBody;

        // log the incoming chat request
        logger.debug({ chatId, messages }, "creating new chat completion");

        const openAIResponse = await connections.openai.chat.completions.create({
          model: "gpt-4-1106-preview",
          messages,
          stream: true,
        });

        const onComplete = (content: string | null | undefined) => {
          // Save the chat history
          void api.message.create({
            order: messages.length + 1,
            role: "assistant",
            content,
            chat: {
              _link: chatId,
            },
          });
        };

        await reply.send(openAIResponseStream(openAIResponse, { onComplete }));
      };

      return defineRoute(route, { logger: pino({ level: "silent" }), context: () => ({ api, connections }) });
    })();
  });
  afterAll(() => modelServer.stop());

  it("streams the answer as text and saves it once it is complete", async () => {
    const messages = [{ role: "user", content: "How do I stream answers?" }];
    const response = await POST(
      new Request("https://app.test/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chatId: "chat-1", messages }),
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const text = await response.text();
    expect(text).toMatch(/\n- \*\*/u);
    await vi.waitFor(() =>
      expect(saved).toEqual([{ order: 2, role: "assistant", content: text, chat: { _link: "chat-1" } }]),
    );
  });
});
