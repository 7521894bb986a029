// The seed's POST-chat route: the chat's owner posts the conversation, the user's message is
// saved, and the model's answer streams back as it is written and is saved when it ends, with its
// status (complete, aborted or error). The owner is a signed-in user, or the embedded widget's
// visitor or customer (a widget token), whose messages are limited per token and per address.
import { HttpError, type OnRequestHook, type RouteHandler } from "@sprocket/server";
import { openAIResponseStream } from "@sprocket/server/ai";
import { z } from "zod";
import { CHAT_BODY_LIMIT, chatLimiter, MAX_MESSAGE_CHARACTERS } from "@/lib/chat-limits";
import { config } from "@/lib/config";
import { appRoute, identityOf } from "@/lib/route";
import { addressKey, widgetLimiters } from "@/lib/widget/limits";
import { WIDGET_CORS } from "@/lib/widget/settings";

export const dynamic = "force-dynamic";
// Answers stream for longer than a serverless function's default duration.
export const maxDuration = 60;

const ChatRequestBody = z.object({
  chatId: z.string().min(1).max(256),
  // The client sends the conversation, as in the seed. System messages are the server's own.
  messages: z
    .array(z.object({ role: z.enum(["user", "assistant"]), content: z.string() }))
    .min(1)
    .max(200),
});
type ChatRequestBody = z.infer<typeof ChatRequestBody>;

const SYSTEM_PROMPT = "You are the Sprocket demo's assistant. Answer in Markdown, briefly and helpfully.";
const TITLE_LENGTH = 60;

const handler: RouteHandler<ChatRequestBody> = async ({ request, reply, api, logger, connections }) => {
  const { chatId, messages } = request.body;
  const question = messages.at(-1);
  if (question?.role !== "user" || question.content.trim() === "") {
    throw new HttpError("VALIDATION_FAILED", "The last message must be the user's, and not empty", {
      details: [{ path: "messages", message: "Expected a user message last" }],
    });
  }
  if (messages.some((message) => message.content.length > MAX_MESSAGE_CHARACTERS)) {
    throw new HttpError(
      "PAYLOAD_TOO_LARGE",
      `A message may have at most ${MAX_MESSAGE_CHARACTERS} characters`,
    );
  }
  logger.debug({ chatId, messages: messages.length }, "creating new chat completion");

  // Only the owner reaches the chat: anyone else gets 404 here, before anything is saved.
  const chat = await api.chat.findOne(chatId, { select: { title: true } });
  const last = await api.message.maybeFindFirst({
    filter: { chat: { equals: chatId } },
    sort: { order: "Descending" },
    select: { order: true },
  });
  const order = (last?.order ?? 0) + 1;
  // The answer's place is taken now, so a message sent meanwhile cannot take it (orders are unique).
  await api.message.create({ order, role: "user", content: question.content, chat: { _link: chatId } });
  const answer = await api.message.create(
    { order: order + 1, role: "assistant", content: "", status: "streaming", chat: { _link: chatId } },
    { select: { id: true } },
  );
  if (chat.title === "New chat") {
    await api.chat.update(chatId, { title: question.content.trim().slice(0, TITLE_LENGTH) });
  }

  let isSaved = false;
  const save = (content: string, status: "complete" | "aborted" | "error") => {
    if (isSaved) return;
    isSaved = true;
    // No await: the answer is already on its way; a failed save is logged, not sent.
    api.internal.message
      .update(answer.id, { content, status })
      .catch((error: unknown) => logger.error({ err: error, chatId }, "Could not save the answer"));
  };

  const openAIResponse = connections.openai.chat.completions.create({
    model: config().model.name,
    messages: [{ role: "system", content: SYSTEM_PROMPT }, ...messages],
    stream: true,
  });
  await reply.send(
    openAIResponseStream(openAIResponse, {
      signal: request.raw.signal,
      onComplete: (content, { status }) => save(content, status),
      // Without any text, onComplete is not called: these mark the placeholder instead.
      onError: ({ content }) => save(content, "error"),
      onAbort: ({ content }) => save(content, "aborted"),
    }),
  );
};

/** Signed-in users per user; widget visitors per token owner and per client address. */
const limitMessages: OnRequestHook = async (context) => {
  const identity = identityOf(context.request.raw);
  if (identity.role === "signed-in") {
    return chatLimiter().hook(() => identity.user.id)(context);
  }
  if (identity.role !== "widget-visitor") return;
  const { owner } = identity;
  const ownerKey =
    owner.kind === "visitor" ? `visitor:${owner.visitorId}` : `customer:${owner.shop}:${owner.customerId}`;
  const limiters = widgetLimiters();
  await limiters.address.hook(({ request }) => addressKey(request.ip))(context);
  await limiters.owner.hook(() => ownerKey)(context);
};

export const POST = appRoute(handler, {
  schema: { body: ChatRequestBody },
  bodyLimit: CHAT_BODY_LIMIT,
  // The widget's frame posts from the app's own origin; allowed hosts may also post directly.
  cors: WIDGET_CORS,
  onRequest: limitMessages,
});
export const OPTIONS = POST;
