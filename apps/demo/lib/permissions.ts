// Who may do what with the demo's data. Anything not listed is denied; rows outside a filter behave
// as absent. Webhook events and Shopify customers are written by the server itself (api.internal).
import { definePermissions } from "@sprocket/server/models";
import { models } from "./models";

/** Who is asking, as the demo's rules see it. */
export type DemoIdentity =
  | { role: "unauthenticated" }
  | { role: "signed-in"; user: { id: string; email: string; name: string | null } };

export const permissions = definePermissions<typeof models, DemoIdentity>(models, {
  unauthenticated: {},
  "signed-in": {
    user: {
      read: { filter: ({ user }) => ({ id: { equals: user.id } }) },
      update: { filter: ({ user }) => ({ id: { equals: user.id } }) },
    },
    chat: {
      read: { filter: ({ user }) => ({ userId: { equals: user.id } }) },
      // The owner is whoever creates the chat, whatever the caller sends.
      create: { set: ({ user }) => ({ user: { _link: user.id } }) },
      update: { filter: ({ user }) => ({ userId: { equals: user.id } }) },
      delete: { filter: ({ user }) => ({ userId: { equals: user.id } }) },
    },
    message: {
      read: { filter: ({ user }) => ({ chat: { userId: { equals: user.id } } }) },
      // A message links to its chat, and links only reach rows the caller can read: their own chats.
      create: true,
      update: { filter: ({ user }) => ({ chat: { userId: { equals: user.id } } }) },
      delete: { filter: ({ user }) => ({ chat: { userId: { equals: user.id } } }) },
    },
  },
});
