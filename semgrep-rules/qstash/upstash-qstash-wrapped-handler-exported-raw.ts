// Test cases for upstash-qstash-wrapped-handler-exported-raw.
import { verifySignatureAppRouter, verifySignatureEdge } from "@upstash/qstash/nextjs";

async function resize(req: Request) {
  const { key } = await req.json();
  await resizeImage(key);
  return Response.json({ ok: true });
}

// ---- misuse -------------------------------------------------------------------------------

// The verified copy is exported under a name Next.js never calls.
export const verifiedResize = verifySignatureAppRouter(resize);
// ruleid: upstash-qstash-wrapped-handler-exported-raw
export const POST = resize;

async function enqueue(req: Request) {
  await fetch(process.env.INTERNAL_API + "/run", { method: "POST", body: await req.text() });
  return new Response("queued");
}

const verifiedEnqueue = verifySignatureEdge(enqueue);
// ruleid: upstash-qstash-wrapped-handler-exported-raw
export async function PUT(req: Request) {
  return enqueue(req);
}

// ---- ok -------------------------------------------------------------------------------------

async function report(req: Request) {
  return Response.json({ rows: await buildReport(await req.json()) });
}

// ok: upstash-qstash-wrapped-handler-exported-raw
export const PATCH = verifySignatureAppRouter(report);

async function health() {
  return new Response("ok");
}

// ok: upstash-qstash-wrapped-handler-exported-raw
export const GET = health;

export { verifiedEnqueue };
