// Test cases for upstash-qstash-verify-result-unused.
import { Receiver } from "@upstash/qstash";
import { Hono } from "hono";

const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});
const app = new Hono();

async function isFromQstash(req: Request, body: string): Promise<boolean> {
  try {
    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
    return true;
  } catch {
    return false;
  }
}

// ---- misuse -------------------------------------------------------------------------------

export async function POST(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("upstash-signature") ?? "";
  // ruleid: upstash-qstash-verify-result-unused
  const isValid = await receiver.verify({ signature, body, url: req.url }).catch(() => false);
  console.log("qstash signature valid:", isValid);
  await runJob(JSON.parse(body));
  return new Response("ok");
}

export async function PUT(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verify-helper-result-unused
  await isFromQstash(req, body);
  await runJob(JSON.parse(body));
  return new Response("ok");
}

app.post("/jobs", async (c) => {
  const body = await c.req.text();
  // ruleid: upstash-qstash-verify-helper-result-unused
  const fromQstash = await isFromQstash(c.req.raw, body);
  console.info({ fromQstash });
  await runJob(JSON.parse(body));
  return c.text("ok");
});

export async function verifyWebhook(signature: string, body: string) {
  try {
    await receiver.verify({ signature, body });
  } catch {
    return false;
  }
  return true;
}

export async function PATCH(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verify-result-unused
  await verifyWebhook(req.headers.get("upstash-signature") ?? "", body);
  await runJob(JSON.parse(body));
  return new Response("ok");
}

// ---- correct ------------------------------------------------------------------------------

export async function DELETE(req: Request) {
  const body = await req.text();
  // ok: upstash-qstash-verify-result-unused
  const isValid = await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body }).catch(() => false);
  if (!isValid) return new Response("invalid signature", { status: 401 });
  await runJob(JSON.parse(body));
  return new Response("ok");
}

app.post("/checked", async (c) => {
  const body = await c.req.text();
  // ok: upstash-qstash-verify-helper-result-unused
  if (!(await isFromQstash(c.req.raw, body))) return c.text("unauthorised", 401);
  // ok: upstash-qstash-verify-helper-result-unused
  const ok = await isFromQstash(c.req.raw, body);
  return ok ? c.text("ok") : c.text("unauthorised", 401);
});

export async function verifyOrThrow(signature: string, body: string) {
  // ok: upstash-qstash-verify-result-unused
  await receiver.verify({ signature, body });
}

export async function OPTIONS(req: Request) {
  const body = await req.text();
  // A helper that throws on a bad signature: calling it for its effect is right.
  // ok: upstash-qstash-verify-result-unused
  await verifyOrThrow(req.headers.get("upstash-signature") ?? "", body);
  return new Response("ok");
}

export async function HEAD(req: Request) {
  const body = await req.text();
  // ok: upstash-qstash-verify-result-unused
  const valid = await verifyWebhook(req.headers.get("upstash-signature") ?? "", body);
  if (!valid) return new Response(null, { status: 401 });
  return new Response(null);
}

// A demo that checks a constant signature and prints the outcome: not a handler.
export async function demo() {
  // ok: upstash-qstash-verify-result-unused
  const isValid = await receiver.verify({ signature: "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", body: "Hello" }).catch(() => false);
  console.log({ isValid });
}
