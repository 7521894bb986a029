import { SignedInOrRedirect } from "@sprocket/react";
import type { Metadata } from "next";
import { ChatView } from "./chat-view";

export const metadata: Metadata = { title: "Chat · Sprocket demo" };

export default async function ChatPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <SignedInOrRedirect path="/sign-in">
      <ChatView id={id} />
    </SignedInOrRedirect>
  );
}
