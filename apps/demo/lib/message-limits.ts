// Limits the browser needs too: no server import here, so client components may use them.

/** The longest message a user may send, in characters: about 2,000 tokens. */
export const MAX_MESSAGE_CHARACTERS = 8_000;
