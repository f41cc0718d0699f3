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

// Fastify: a helper mapping the outcome to a boolean, whose answer is only logged.
async function verifyQstashRequest(signature: string, body: string) {
  return receiver.verify({ signature, body }).then(() => true, () => false);
}

export async function fastifyRoutes(app: any) {
  app.post("/qstash/hook", async (request: any, reply: any) => {
    const raw = request.body as string;
    // ruleid: upstash-qstash-verify-result-unused
    const valid = await verifyQstashRequest(String(request.headers["upstash-signature"]), raw);
    request.log.info({ valid }, "qstash signature checked");
    await runJob(JSON.parse(raw));
    return reply.send({ ok: true });
  });
}

// AWS Lambda: try/return true/catch return false, the answer only logged.
async function checkSignature(signature: string, body: string) {
  try {
    await receiver.verify({ signature, body });
    return true;
  } catch {
    return false;
  }
}

export const lambdaHandler = async (event: { headers: Record<string, string | undefined>; body?: string }) => {
  const body = event.body ?? "";
  // ruleid: upstash-qstash-verify-result-unused
  const isValid = await checkSignature(event.headers["upstash-signature"] ?? "", body);
  console.log({ isValid });
  await runJob(JSON.parse(body));
  return { statusCode: 200, body: "ok" };
};

// An arrow helper returning the caught chain; the answer goes to a logger.
const validateQstash = (signature: string, body: string) =>
  receiver.verify({ signature, body }).then(() => true).catch(() => false);

app.post("/arrow-helper", async (c) => {
  const body = await c.req.text();
  // ruleid: upstash-qstash-verify-result-unused
  const verified = await validateQstash(c.req.header("upstash-signature") ?? "", body);
  logger.warn("qstash verified=%s", verified);
  await runJob(JSON.parse(body));
  return c.text("ok");
});

// Astro: the result is tested, but the `if` only logs and the work runs anyway.
export const astroPost = async ({ request }: { request: Request }) => {
  const body = await request.text();
  // ruleid: upstash-qstash-verify-result-unused
  const ok = await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body }).catch(() => false);
  if (ok) console.log("verified qstash message");
  await runJob(JSON.parse(body));
  return new Response("ok");
};

// The same with a negated test is upstash-qstash-verify-error-swallowed's finding, not this one's.
export async function remixAction({ request }: { request: Request }) {
  const body = await request.text();
  // ok: upstash-qstash-verify-result-unused
  const ok = await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body }).catch(() => false);
  if (!ok) console.warn("qstash: bad signature");
  await runJob(JSON.parse(body));
  return new Response("ok");
}

export async function bunFetch(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verify-result-unused
  const ok = await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body }).then(() => true, () => false);
  if (!ok) console.warn("qstash signature rejected");
  else console.debug("qstash signature accepted");
  await runJob(JSON.parse(body));
  return new Response("ok");
}

app.post("/then-logged", async (c) => {
  const body = await c.req.text();
  // ruleid: upstash-qstash-verify-result-unused
  const accepted = await receiver.verify({ signature: c.req.header("upstash-signature") ?? "", body }).then(() => true, () => false);
  console.log("accepted", accepted);
  await runJob(JSON.parse(body));
  return c.text("ok");
});

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

export async function fastifyChecked(app: any) {
  app.post("/qstash/checked", async (request: any, reply: any) => {
    const raw = request.body as string;
    // ok: upstash-qstash-verify-result-unused
    const valid = await verifyQstashRequest(String(request.headers["upstash-signature"]), raw);
    request.log.info({ valid }, "qstash signature checked");
    if (!valid) return reply.code(401).send({ error: "invalid signature" });
    await runJob(JSON.parse(raw));
    return reply.send({ ok: true });
  });
}

export const lambdaChecked = async (event: { headers: Record<string, string | undefined>; body?: string }) => {
  const body = event.body ?? "";
  // ok: upstash-qstash-verify-result-unused
  const isValid = await checkSignature(event.headers["upstash-signature"] ?? "", body);
  if (!isValid) {
    console.warn("rejected a message with a bad signature");
    return { statusCode: 401, body: "unauthorized" };
  }
  await runJob(JSON.parse(body));
  return { statusCode: 200, body: "ok" };
};

export async function bunChecked(req: Request) {
  const body = await req.text();
  // ok: upstash-qstash-verify-result-unused
  const ok = await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body }).then(() => true, () => false);
  if (!ok) return new Response("unauthorized", { status: 401 });
  await runJob(JSON.parse(body));
  return new Response("ok");
}

export const astroChecked = async ({ request }: { request: Request }) => {
  const body = await request.text();
  // ok: upstash-qstash-verify-result-unused
  const ok = await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body }).catch(() => false);
  if (ok) console.log("verified qstash message");
  else return new Response("invalid signature", { status: 401 });
  await runJob(JSON.parse(body));
  return new Response("ok");
};

export const astroWorkInside = async ({ request }: { request: Request }) => {
  const body = await request.text();
  // ok: upstash-qstash-verify-result-unused
  const ok = await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body }).catch(() => false);
  if (ok) {
    console.log("verified qstash message");
    await runJob(JSON.parse(body));
  }
  return new Response(ok ? "ok" : "ignored");
};

// A helper named for the client's configuration says whether QStash can be used, not whether
// a request came from it; its answer used as a value is no result thrown away.
const qstashToken = process.env.QSTASH_TOKEN;
export function isQStashAvailable(): boolean {
  return Boolean(qstashToken);
}

export async function getQueueStats() {
  return {
    // ok: upstash-qstash-verify-helper-result-unused
    qstashAvailable: isQStashAvailable(),
    // ok: upstash-qstash-verify-helper-result-unused
    signedByQstash: await isFromQstash(new Request("https://example.com/api/ping"), ""),
  };
}

export async function healthCheck() {
  // ok: upstash-qstash-verify-helper-result-unused
  isQStashAvailable();
  // ok: upstash-qstash-verify-helper-result-unused
  console.log("qstash available:", isQStashAvailable());
  return Response.json({ ok: true });
}

app.post("/bare", async (c) => {
  const body = await c.req.text();
  // ruleid: upstash-qstash-verify-helper-result-unused
  isFromQstash(c.req.raw, body);
  await runJob(JSON.parse(body));
  return c.text("ok");
});

// Remix: the outcome logged and echoed in the response body, never checked.
export async function action({ request }: { request: Request }) {
  const body = await request.text();
  // ruleid: upstash-qstash-verify-result-unused
  const ok = await receiver
    .verify({ signature: request.headers.get("upstash-signature") ?? "", body, url: request.url })
    .catch(() => false);
  console.log("qstash verified:", ok);
  await runJob(JSON.parse(body));
  return Response.json({ received: true, verified: ok });
}

// A helper that hands the outcome to its caller in an object is checked by that caller.
export async function checkSignature(request: Request, body: string) {
  // ok: upstash-qstash-verify-result-unused
  const valid = await receiver
    .verify({ signature: request.headers.get("upstash-signature") ?? "", body, url: request.url })
    .catch(() => false);
  return { valid, checkedAt: Date.now() };
}

// Koa: a failed check only emits an error event for the app's logger; the job still runs.
export async function koaJobs(ctx: any) {
  const body: string = ctx.request.rawBody;
  // ruleid: upstash-qstash-verify-result-unused
  const verified = await receiver
    .verify({ signature: ctx.get("upstash-signature"), body, url: ctx.href })
    .then(() => true, () => false);
  if (!verified) ctx.app.emit("error", new Error("bad QStash signature"), ctx);
  await runJob(JSON.parse(body));
  ctx.status = 200;
}

// ...whereas an emit followed by a refusal stops it.
export async function koaJobsChecked(ctx: any) {
  const body: string = ctx.request.rawBody;
  // ok: upstash-qstash-verify-result-unused
  const verified = await receiver
    .verify({ signature: ctx.get("upstash-signature"), body, url: ctx.href })
    .then(() => true, () => false);
  if (!verified) {
    ctx.app.emit("error", new Error("bad QStash signature"), ctx);
    ctx.throw(401, "invalid signature");
  }
  await runJob(JSON.parse(body));
  ctx.status = 200;
}
