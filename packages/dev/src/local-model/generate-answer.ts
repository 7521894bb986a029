/** Words never taken as the topic of a prompt. */
const STOPWORDS = new Set(
  "a an and are can could do does for from how i in is it me my of on or please should that the this to what when where which who why will with would you your".split(
    " ",
  ),
);

const OPENINGS = [
  "Here is a practical way to think about {topic}.",
  "Good question: {topic} comes up in most production apps sooner or later.",
  "{Topic} is easier to reason about once you split it into a few small steps.",
  "Let's walk through {topic} from the request to the response.",
];
const SENTENCES = [
  "Start with the smallest version that works end to end, then measure before adding anything.",
  "Keep the work on the request path short, and move slow side effects to a queue.",
  "Most problems show up at the edges: timeouts, retries and partial failures.",
  "Stream the answer as it is produced, so the user sees progress within a few hundred milliseconds.",
  "Validate input where it enters the system and trust it everywhere after that.",
  "Log one structured line per request with its id — it makes every later question cheaper.",
  "A single source of truth for configuration avoids a whole class of deployment surprises.",
  "Write the test that reproduces the bug before the fix, and name it after what broke.",
];
const LIST_ITEMS = [
  "**Inputs**: decide what the caller sends and reject anything else early.",
  "**Limits**: cap sizes and durations so one slow client cannot hold resources.",
  "**Errors**: give each failure a stable code and a clear message.",
  "**Streaming**: flush each chunk as soon as it exists instead of buffering the whole answer.",
  "**Persistence**: save the result once, after the stream ends, whatever way it ends.",
  "**Observability**: record latency to the first byte as well as the total time.",
  "**Security**: never log secrets; redact headers such as `authorization`.",
];
const CODE_BLOCKS = [
  [
    "```ts",
    "export const POST = route(async ({ request, reply }) => {",
    "  const answer = await generate(request.body);",
    "  await reply.send(answer);",
    "});",
    "```",
  ],
  [
    "```ts",
    "for await (const chunk of stream) {",
    '  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");',
    "}",
    "```",
  ],
  ["```sh", "curl -N http://127.0.0.1:4010/v1/chat/completions \\", "  -d '{\"stream\": true}'", "```"],
];
const CLOSINGS = [
  "That covers the essentials; the rest is tuning for your traffic.",
  "Once this works, add a benchmark so regressions are visible.",
  "If anything here is unclear, ask about one step and I will go deeper.",
];

/** A 32-bit FNV-1a hash: equal prompts seed equal answers. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/** mulberry32: small, fast and good enough to pick sentences. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function topicOf(prompt: string): string {
  const words = prompt.match(/[\p{L}\p{N}][\p{L}\p{N}.'-]*/gu) ?? [];
  const meaningful = words.filter((word) => !STOPWORDS.has(word.toLowerCase())).slice(0, 4);
  return meaningful.length > 0 ? meaningful.join(" ").replace(/[.]$/u, "") : "this";
}

/**
 * Splits text into pieces the size of a language model's tokens: a word with its leading space, a
 * run of punctuation, or a line break. Joined, they give back the text exactly.
 *
 * @example
 * tokenize("Hi there.\n"); // ["Hi", " there", ".", "\n"]
 */
export function tokenize(text: string): string[] {
  return text.match(/ ?[\p{L}\p{N}_']+| ?[^\p{L}\p{N}_'\s]+|\s+/gu) ?? [];
}

/**
 * A plausible Markdown answer to `prompt`, as tokens: a paragraph, a list and sometimes a fenced
 * code block. The same prompt always gives the same answer. With `tokens`, the answer has exactly
 * that many tokens (sections repeat for long answers); otherwise its length depends on the prompt.
 *
 * @example
 * generateAnswer("How do I stream answers?").join(""); // "Let's walk through stream answers ..."
 */
export function generateAnswer(prompt: string, { tokens }: { tokens?: number } = {}): string[] {
  const next = random(hash(prompt));
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(next() * items.length)] as Item;
  const topic = topicOf(prompt);
  const result: string[] = [];
  const target = tokens ?? 60 + Math.floor(next() * 180);
  while (result.length < target) {
    const opening = pick(OPENINGS)
      .replace("{topic}", topic)
      .replace("{Topic}", topic.charAt(0).toUpperCase() + topic.slice(1));
    const paragraph = [opening, pick(SENTENCES), pick(SENTENCES)].join(" ");
    const list = Array.from({ length: 3 + Math.floor(next() * 3) }, () => `- ${pick(LIST_ITEMS)}`);
    const sections = [paragraph, list.join("\n")];
    if (next() < 0.4) sections.push(pick(CODE_BLOCKS).join("\n"));
    sections.push(pick(CLOSINGS));
    result.push(...tokenize(`${result.length > 0 ? "\n\n" : ""}${sections.join("\n\n")}`));
  }
  // Without a fixed length, end at the last whole section rather than mid-sentence.
  return tokens === undefined ? result : result.slice(0, tokens);
}
