import { SignedInOrRedirect } from "@sprocket/react";
import type { Metadata } from "next";
import { ChatList } from "./chat-list";

export const metadata: Metadata = { title: "Your chats · Sprocket demo" };

export default function ChatsPage() {
  return (
    <section className="chats">
      <h1>Your chats</h1>
      <SignedInOrRedirect path="/sign-in">
        <ChatList />
      </SignedInOrRedirect>
    </section>
  );
}
