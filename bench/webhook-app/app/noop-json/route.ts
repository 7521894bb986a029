// Diagnostic: the no-op route answering with the inbox route's small JSON body instead of none,
// to price Next.js sending a response body.
export async function POST(request: Request): Promise<Response> {
  await request.arrayBuffer();
  return Response.json({ received: true, duplicate: false }, { status: 200 });
}
