"use client";

import { type ComponentProps, memo } from "react";
import { Streamdown } from "streamdown";

/**
 * Images become links to them: a model's answer must not make the browser fetch from anywhere
 * (Streamdown would also preload them). Streamdown's sanitizer has already checked the URL.
 */
function ImageLink({ src, alt }: ComponentProps<"img">) {
  if (typeof src !== "string" || src === "") return <span>{alt}</span>;
  return (
    <a href={src} target="_blank" rel="noopener noreferrer nofollow">
      {alt || "Image"}
    </a>
  );
}

const COMPONENTS = { img: ImageLink };
// Off: the modal's and the buttons' looks are Tailwind classes, which the demo does not have.
// Links stay safe without it: only http(s), mailto and the like survive sanitizing, and they open
// in a new tab with rel="noopener noreferrer".
const LINK_SAFETY = { enabled: false };

/**
 * Markdown from the model, correct while it streams: an unclosed code fence or a half-written link
 * renders as what it will become, and only the last, unfinished block is parsed again as text
 * arrives (Streamdown memoizes finished blocks). Raw HTML is sanitized; nothing is downloaded, no
 * highlighter, font or image.
 *
 * @example
 * <Markdown isStreaming={streaming}>{answer}</Markdown>
 */
export const Markdown = memo(function Markdown({
  children,
  isStreaming = false,
}: {
  children: string;
  isStreaming?: boolean;
}) {
  return (
    <Streamdown
      className="markdown"
      isAnimating={isStreaming}
      controls={false}
      lineNumbers={false}
      linkSafety={LINK_SAFETY}
      components={COMPONENTS}
    >
      {children}
    </Streamdown>
  );
});
