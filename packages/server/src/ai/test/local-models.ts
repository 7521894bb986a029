import { type CompletionEnd, type LocalModelServer, startLocalModelServer } from "@sprocket/dev";
import { afterEach, expect } from "vitest";

/**
 * Local OpenAI-compatible models on 127.0.0.1 for this test file, stopped after each test. The
 * returned function starts one at full speed (unless told otherwise), with a promise of how its
 * next completion ends.
 */
export function useLocalModels() {
  const servers: LocalModelServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });
  return async (options: Parameters<typeof startLocalModelServer>[0] = {}) => {
    let reportEnd!: (end: CompletionEnd) => void;
    const completionEnd = new Promise<CompletionEnd>((resolve) => {
      reportEnd = resolve;
    });
    const model = await startLocalModelServer({
      tokensPerSecond: Number.POSITIVE_INFINITY,
      ...options,
      onCompletionEnd: (end) => reportEnd(end),
    });
    servers.push(model);
    return { model, completionEnd };
  };
}

/**
 * Reads the answer's first text, leaves, and checks that the model saw the client go before it
 * finished and that the partial answer was handed over as aborted.
 */
export async function expectAbortWhenClientLeaves(
  response: Response,
  completionEnd: Promise<CompletionEnd>,
  { calls, ended }: { calls: { name: string; args: unknown[] }[]; ended: Promise<void> },
  answerTokens: number,
): Promise<void> {
  const reader = response.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  const end = await completionEnd;
  expect(end.status).toBe("client-closed");
  expect(end.tokensSent).toBeLessThan(answerTokens);
  await ended;
  expect(calls.map((call) => call.name)).toEqual(["onComplete", "onAbort"]);
  expect(String(calls[0]?.args[0]).startsWith(first)).toBe(true);
  expect(calls[0]?.args[1]).toMatchObject({ status: "aborted" });
}
