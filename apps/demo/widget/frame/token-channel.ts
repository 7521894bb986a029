// The frame's side of the token handshake: it tells the host page it is ready, keeps the token the
// host sends, and asks for a new one shortly before it runs out. Messages are read only from the
// parent window at the host origin the server vouched for (the one `frame-ancestors` names).
import type { SprocketAuth } from "@sprocket/react";
import { FOCUS, READY, TOKEN, TOKEN_ERROR, TOKEN_REQUEST } from "../protocol";

/** A token is renewed when less than this is left of it, so no request carries one that expires in flight. */
const RENEW_BEFORE_MS = 30_000;

interface Token {
  token: string;
  expiresAt: number;
}

/** The bearer headers for the Sprocket hooks, and the host's focus requests. */
export interface TokenChannel extends SprocketAuth {
  /** Calls `listener` when the host opens the dialog. */
  onFocus(listener: () => void): void;
}

/**
 * Listens to the host page at `host` (an exact origin) and announces the frame to it.
 *
 * @example
 * const channel = createTokenChannel("https://shop.example");
 * <SprocketProvider auth={channel}>...</SprocketProvider>
 */
export function createTokenChannel(host: string): TokenChannel {
  let current: Token | undefined;
  let pending:
    | { promise: Promise<Token>; resolve(token: Token): void; reject(error: Error): void }
    | undefined;
  const focusListeners: (() => void)[] = [];
  // The host may ask for focus before the chat has rendered: the request waits for a listener.
  let isFocusPending = false;

  addEventListener("message", (event) => {
    if (event.source !== parent || event.origin !== host) return;
    const data = event.data as { type?: unknown; token?: unknown; expiresAt?: unknown } | null;
    if (data?.type === TOKEN && typeof data.token === "string" && typeof data.expiresAt === "number") {
      current = { token: data.token, expiresAt: data.expiresAt };
      pending?.resolve(current);
      pending = undefined;
    } else if (data?.type === TOKEN_ERROR) {
      pending?.reject(new Error("The chat is not available on this page"));
      pending = undefined;
    } else if (data?.type === FOCUS) {
      isFocusPending = focusListeners.length === 0;
      for (const listener of focusListeners) listener();
    }
  });

  const awaitToken = (type: string): Promise<Token> => {
    if (!pending) {
      let resolve!: (token: Token) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<Token>((resolvePromise, rejectPromise) => {
        resolve = resolvePromise;
        reject = rejectPromise;
      });
      pending = { promise, resolve, reject };
      parent.postMessage({ type }, host);
    }
    return pending.promise;
  };
  const fresh = async (): Promise<Token> =>
    current && current.expiresAt - RENEW_BEFORE_MS > Date.now() ? current : awaitToken(TOKEN_REQUEST);

  // The first token is asked for at once, by announcing the frame.
  void awaitToken(READY).catch(() => {});

  return {
    headers: async () => ({ authorization: `Bearer ${(await fresh()).token}` }),
    onUnauthorized: async () => {
      current = undefined;
      await fresh();
      return true;
    },
    credentials: "omit",
    onFocus: (listener) => {
      focusListeners.push(listener);
      if (isFocusPending) {
        isFocusPending = false;
        listener();
      }
    },
  };
}
