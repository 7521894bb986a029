// The seed's POST-chat route: the chat's owner posts the conversation, the user's message is
// saved, and the model's answer streams back as it is written and is saved when it ends, with its
// status (complete, aborted or error).
import { HttpError, type RouteHandler } from "@sprocket/server";
import { openAIResponseStream } from "@sprocket/server/ai";
import { z } from "zod";
import { CHAT_BODY_LIMIT, chatLimiter, MAX_MESSAGE_CHARACTERS } from "@/lib/chat-limits";
import { config } from "@/lib/config";
import { appRoute, identityOf } from "@/lib/route";

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

export const POST = appRoute(handler, {
  schema: { body: ChatRequestBody },
  bodyLimit: CHAT_BODY_LIMIT,
  onRequest: (context) => chatLimiter().hook(({ request }) => signedInUserId(request.raw))(context),
});

function signedInUserId(request: Request): string | undefined {
  const identity = identityOf(request);
  return identity.role === "signed-in" ? identity.user.id : undefined;
}
