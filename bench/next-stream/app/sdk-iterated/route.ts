// (e) The openai SDK's stream object iterated directly, each delta enqueued.
import { clients, MESSAGES, MODEL, TEXT_HEADERS } from "../../lib/upstream";

export const dynamic = "force-dynamic";
const encoder = new TextEncoder();

export async function POST(): Promise<Response> {
  const stream = await clients().sdk.chat.completions.create({
    model: MODEL,
    messages: MESSAGES,
    stream: true,
  });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      void (async () => {
        for await (const chunk of stream) {
          const content = chunk.choices[0]?.delta?.content;
          if (content) controller.enqueue(encoder.encode(content));
        }
        controller.close();
      })().catch((error: unknown) => controller.error(error));
    },
    cancel: () => stream.controller.abort(),
  });
  return new Response(body, { headers: TEXT_HEADERS });
}
