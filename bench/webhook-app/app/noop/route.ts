// The baseline: read the body to the end and answer 200, nothing else.
export async function POST(request: Request): Promise<Response> {
  await request.arrayBuffer();
  return new Response(null, { status: 200 });
}
