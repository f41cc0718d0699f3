// Test cases for qstash-verify-error-swallowed.
import { Receiver } from "@upstash/qstash";
import express from "express";
import { Hono } from "hono";
import { NextResponse } from "next/server";
import { json } from "@remix-run/node";

const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});
const app = express();
const hono = new Hono();

// ---- misuse -------------------------------------------------------------------------------

// A catch that answers 200 and stops: the forged message is not processed, only acknowledged (stops QStash retries). Correct.
app.post("/api/jobs", express.raw({ type: "*/*" }), async (req, res) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.body.toString() });
  } catch (err) {
    return res.status(200).json({ ignored: true });
  }
  await runJob(JSON.parse(req.body.toString()));
  res.sendStatus(204);
});

export const handler = async (event: { headers: Record<string, string>; body: string }) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: event.headers["upstash-signature"], body: event.body });
  } catch (err) {
    console.error(err);
    return { statusCode: 200, body: "ignored" };
  }
  await runJob(JSON.parse(event.body));
  return { statusCode: 200, body: "ok" };
};

// Next.js App Router: the catch acknowledges the message with a 200 and stops: nothing is processed. Correct.
export async function nextRoute(req: Request) {
  const body = await req.text();
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
    await runJob(JSON.parse(body));
  } catch (err) {
    return NextResponse.json({ received: true });
  }
  return NextResponse.json({ received: true });
}

// Bun.serve: `new Response("ok")` is a 200.
export const bunServer = {
  async fetch(req: Request) {
    const body = await req.text();
    // ok: upstash-qstash-verify-error-swallowed
    try {
      await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
    } catch {
      return new Response("ok");
    }
    await runJob(JSON.parse(body));
    return new Response("ok");
  },
};

hono.post("/hono/ack", async (c) => {
  const body = await c.req.text();
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: c.req.header("upstash-signature") ?? "", body });
  } catch (e) {
    console.warn("qstash", e);
    return c.json({ ok: true });
  }
  await runJob(JSON.parse(body));
  return c.json({ ok: true });
});

app.post("/express/ack", express.text(), async (req, res) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.body });
  } catch {
    return res.json({ skipped: true });
  }
  await runJob(JSON.parse(req.body));
  res.json({ ok: true });
});

export async function workerNoContent(request: Request) {
  const body = await request.text();
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body, url: request.url });
  } catch {
    return new Response(null, { status: 204 });
  }
  return new Response(String(await runJob(JSON.parse(body))));
}

export class QStashGuard {
  async canActivate(request: { headers: Record<string, string>; rawBody: string }) {
    // ruleid: upstash-qstash-verify-error-swallowed
    try {
      return await receiver.verify({ signature: request.headers["upstash-signature"], body: request.rawBody });
    } catch (e) {
      return true;
    }
  }
}

export async function POST(req: Request) {
  const signature = req.headers.get("upstash-signature")!;
  const body = await req.text();
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature, body });
  } catch (err) {
    console.error("signature verification failed", err);
  }
  await runJob(JSON.parse(body));
  return new Response("ok");
}

export async function PUT(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    const valid = await receiver.verify({ signature: req.headers.get("upstash-signature")!, body });
    if (!valid) return new Response("invalid", { status: 401 });
  } catch {
    // ignore
  }
  await runJob(body);
  return new Response("ok");
}

app.post("/job", express.text(), async (req, res) => {
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.headers["upstash-signature"] as string, body: req.body });
  } catch (e) {
    console.warn(e);
  } finally {
    console.log("verification attempted");
  }
  await runJob(req.body);
  res.sendStatus(200);
});

// The catch sends 401 content to the log, not to the client.
hono.post("/job", async (c) => {
  const body = await c.req.text();
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: c.req.header("upstash-signature")!, body });
  } catch (e) {
    console.log("would answer 4xx", String(e));
  }
  await runJob(body);
  return c.text("ok");
});

// A callback handler whose catch only logs: the log call must not pass for a return.
app.post("/job-callback", express.text(), async function (req, res) {
  let ok = true;
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    ok = await receiver.verify({ signature: req.get("upstash-signature")!, body: req.body });
  } catch (err) {
    console.log(err);
  }
  await runJob(req.body);
  res.json({ ok });
});

// A .catch() that swallows the rejection, result unused.
export async function PATCH(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verify-error-swallowed
  await receiver.verify({ signature: req.headers.get("upstash-signature")!, body }).catch(() => {});
  await runJob(body);
  return new Response("ok");
}

// A .catch() that throws a framework error stops the caller: not swallowed (NestJS service).
class QStashGuardService {
  async assertFromQStash(signature: string, rawBody: string): Promise<void> {
    // ok: upstash-qstash-verify-error-swallowed
    await receiver.verify({ signature, body: rawBody }).catch(() => {
      throw new UnauthorizedException("invalid signature");
    });
  }

  async rethrows(signature: string, rawBody: string): Promise<void> {
    // ok: upstash-qstash-verify-error-swallowed
    await receiver.verify({ signature, body: rawBody }).catch(function (err) {
      logger.warn("qstash signature", err);
      throw err;
    });
  }

  async logsOnly(signature: string, rawBody: string): Promise<void> {
    // ruleid: upstash-qstash-verify-error-swallowed
    await receiver.verify({ signature, body: rawBody }).catch((err) => {
      logger.warn("qstash signature", err);
    });
    await runJob(rawBody);
  }
}

// A catch handler that reports a bad signature as valid.
export async function optimistic(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verify-error-swallowed
  const valid = await receiver.verify({ signature: req.headers.get("upstash-signature")!, body }).catch(() => true);
  if (!valid) return new Response("invalid signature", { status: 401 });
  await runJob(body);
  return new Response("ok");
}

export async function optimisticBlock(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verify-error-swallowed
  const valid = await receiver
    .verify({ signature: req.headers.get("upstash-signature")!, body })
    .catch((err) => {
      console.error("QStash verification failed", err);
      return true;
    });
  if (!valid) return new Response("invalid signature", { status: 401 });
  await runJob(body);
  return new Response("ok");
}

// The rejection becomes false, but the false branch only logs and the handler goes on.
app.post("/logs-only", express.text(), async (req, res) => {
  const verified = await receiver.verify({ signature: req.get("upstash-signature")!, body: req.body }).catch(() => false);
  // ruleid: upstash-qstash-verify-error-swallowed
  if (!verified) {
    console.warn("QStash signature invalid");
    res.status(401);
  }
  await runJob(req.body);
  res.end();
});

// Verify inside a helper; its catch swallows the error.
async function verifyQStash(signature: string, body: string) {
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature, body });
  } catch (e) {
    console.error(e);
  }
  return true;
}

// Express: the catch answers 401 but does not return, so the order is placed anyway.
app.post("/orders", express.text({ type: "*/*" }), async (req, res) => {
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.header("upstash-signature") ?? "", body: req.body, url: ORDERS_URL });
  } catch (failure) {
    res.status(401).json({ error: "bad signature" });
  }
  await placeOrder(req.body);
  res.json({ placed: true });
});

// Fastify-style reply in a catch without return; cleanup in finally.
app.post("/refunds", express.text(), async (req, res) => {
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: String(req.headers["upstash-signature"]), body: req.body });
  } catch {
    res.statusCode = 403;
    res.end("forbidden");
  } finally {
    console.debug("checked");
  }
  await placeOrder(req.body);
});

// Middleware whose catch hands the request on as if it were verified.
export async function qstashGate(req: express.Request, _res: express.Response, next: express.NextFunction) {
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.body, url: "https://example.com/jobs" });
  } catch (err) {
    console.warn("qstash: bad signature", err);
    return next();
  }
  return next();
}

hono.use("/jobs/*", async (c, next) => {
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: c.req.header("upstash-signature") ?? "", body: await c.req.text() });
  } catch {
    c.set("verified", false);
    await next();
    return;
  }
  await next();
});

export async function onRequest(context: { request: Request; next: () => Promise<Response> }) {
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: context.request.headers.get("upstash-signature") ?? "", body: await context.request.clone().text() });
  } catch {
    return await context.next();
  }
  return context.next();
}

// ---- correct ------------------------------------------------------------------------------

// A catch that answers 401 (or a guard that returns false) stops the forged message.
app.post("/api/jobs-checked", express.raw({ type: "*/*" }), async (req, res) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.body.toString() });
  } catch (err) {
    return res.status(401).json({ error: "invalid signature" });
  }
  await runJob(JSON.parse(req.body.toString()));
  res.sendStatus(204);
});

export class StrictQStashGuard {
  async canActivate(request: { headers: Record<string, string>; rawBody: string }) {
    // ok: upstash-qstash-verify-error-swallowed
    try {
      return await receiver.verify({ signature: request.headers["upstash-signature"], body: request.rawBody });
    } catch (e) {
      return false;
    }
  }
}

export async function good(req: Request) {
  const body = await req.text();
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.headers.get("upstash-signature")!, body, url: req.url });
  } catch (err) {
    console.error(err);
    return new Response("invalid signature", { status: 401 });
  }
  await runJob(body);
  return new Response("ok");
}

app.post("/good", express.text(), async (req, res) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.get("upstash-signature")!, body: req.body });
  } catch {
    res.status(401).send("invalid signature");
    return;
  }
  res.sendStatus(200);
});

app.post("/good-no-return", express.text(), async (req, res, next) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.get("upstash-signature")!, body: req.body });
  } catch (e) {
    res.sendStatus(401);
  }
});

app.post("/good-next", express.text(), async (req, res, next) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.get("upstash-signature")!, body: req.body });
  } catch (e) {
    next(e);
  }
  res.sendStatus(200);
});

export async function rethrows(req: Request) {
  const body = await req.text();
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.headers.get("upstash-signature")!, body });
  } catch (e) {
    throw new Error("unauthorised QStash request", { cause: e });
  }
  return body;
}

// Failure recorded in a flag that is checked afterwards.
export async function flagged(req: Request) {
  const body = await req.text();
  let valid = true;
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.headers.get("upstash-signature")!, body });
  } catch {
    valid = false;
  }
  if (!valid) return new Response("invalid signature", { status: 401 });
  return new Response("ok");
}

export async function flaggedFromTry(req: Request) {
  const body = await req.text();
  let valid = false;
  // ok: upstash-qstash-verify-error-swallowed
  try {
    valid = await receiver.verify({ signature: req.headers.get("upstash-signature")!, body });
  } catch (e) {
    console.error(e);
  }
  if (!valid) return new Response("invalid signature", { status: 401 });
  return new Response("ok");
}

// All the work is inside the try: a rejection skips it.
export async function workInsideTry(req: Request) {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    const body = await req.text();
    await receiver.verify({ signature: req.headers.get("upstash-signature")!, body });
    await runJob(body);
  } catch (e) {
    console.error(e);
  }
}

// The rejection turned into false and checked.
export async function caught(req: Request) {
  const body = await req.text();
  // ok: upstash-qstash-verify-error-swallowed
  const ok = await receiver.verify({ signature: req.headers.get("upstash-signature")!, body }).catch(() => false);
  // ok: upstash-qstash-verify-error-swallowed
  if (!ok) return new Response("invalid signature", { status: 401 });
  return new Response("ok");
}

declare function runJob(body: unknown): Promise<void>;
declare function placeOrder(body: unknown): Promise<void>;
const ORDERS_URL = "https://example.com/api/orders";

export async function caughtBlock(req: Request) {
  const body = await req.text();
  const ok = await receiver.verify({ signature: req.headers.get("upstash-signature")!, body }).catch(() => false);
  // ok: upstash-qstash-verify-error-swallowed
  if (!ok) {
    console.warn("rejected");
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

app.post("/orders-ok", express.text({ type: "*/*" }), async (req, res) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.header("upstash-signature") ?? "", body: req.body, url: ORDERS_URL });
  } catch (failure) {
    return res.status(401).json({ error: "bad signature" });
  }
  await placeOrder(req.body);
  res.json({ placed: true });
});

app.post("/orders-throw", express.text({ type: "*/*" }), async (req, res) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.header("upstash-signature") ?? "", body: req.body });
  } catch (failure) {
    res.status(401);
    throw new Error("QStash signature rejected");
  }
  await placeOrder(req.body);
});

// ---- helpers that throw: Koa ctx.throw, SvelteKit error() -----------------------------------

import { error } from "@sveltejs/kit";

export const koaJob = async (ctx: any) => {
  const body = ctx.request.rawBody;
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: ctx.get("upstash-signature"), body });
  } catch {
    ctx.throw(401, "invalid signature");
  }
  await runJob(JSON.parse(body));
  ctx.status = 204;
};

export const svelteJob = async ({ request }: { request: Request }) => {
  const body = await request.text();
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body });
  } catch {
    error(401, "invalid signature");
  }
  await runJob(JSON.parse(body));
  return new Response("ok");
};

export const koaLogged = async (ctx: any) => {
  const body = ctx.request.rawBody;
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: ctx.get("upstash-signature"), body });
  } catch (err) {
    ctx.log.warn(err);
  }
  await runJob(JSON.parse(body));
  ctx.status = 204;
};

// The rejection turned into false; the false branch stops the handler through a helper that throws.
export const koaCaught = async (ctx: any) => {
  const ok = await receiver.verify({ signature: ctx.get("upstash-signature"), body: ctx.request.rawBody, url: ctx.href }).catch(() => false);
  // ok: upstash-qstash-verify-error-swallowed
  if (!ok) ctx.throw(401, "invalid signature");
  ctx.body = "ok";
};

export const svelteCaught = async ({ request }: { request: Request }) => {
  const body = await request.text();
  const ok = await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body }).catch(() => false);
  // ok: upstash-qstash-verify-error-swallowed
  if (!ok) error(401, "invalid signature");
  await runJob(JSON.parse(body));
  return new Response("ok");
};

export const koaCaughtLogged = async (ctx: any) => {
  const ok = await receiver.verify({ signature: ctx.get("upstash-signature"), body: ctx.request.rawBody }).catch(() => false);
  // ruleid: upstash-qstash-verify-error-swallowed
  if (!ok) ctx.log.warn("invalid signature");
  ctx.body = "ok";
};

// The catch hands the error on: Express answers it with the error handler, not the route.
export async function qstashGateNextErr(req: express.Request, _res: express.Response, next: express.NextFunction) {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.body, url: "https://example.com/jobs" });
  } catch (err) {
    return next(err);
  }
  return next();
}

// Elysia: a beforeHandle hook that returns nothing lets the route run; a catch that only
// logs lets a forged message through.
export const jobsPlugin = new Elysia()
  .onBeforeHandle(async ({ request }) => {
    // ruleid: upstash-qstash-verify-error-swallowed
    try {
      await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body: await request.clone().text(), url: request.url });
    } catch (error) {
      console.error("qstash signature check failed", error);
    }
  })
  .post("/jobs", ({ body }) => runJob(body));

export const jobsRoute = new Elysia().post("/jobs/run", ({ body }) => runJob(body), {
  beforeHandle: async ({ request }) => {
    // ruleid: upstash-qstash-verify-error-swallowed
    try {
      await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body: await request.clone().text(), url: request.url });
    } catch (error) {
      logger.warn({ error }, "bad qstash signature");
    }
  },
});

// Fastify: an async preHandler that returns normally continues to the handler.
fastify.addHook("preHandler", async (request) => {
  // ruleid: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: String(request.headers["upstash-signature"]), body: request.rawBody as string, url: `https://${request.hostname}${request.url}` });
  } catch (err) {
    request.log.warn({ err }, "qstash verification failed");
  }
});

// Correct: the hook answers 401 (Elysia stops at a returned response, or at `set.status` and a value).
export const jobsPluginChecked = new Elysia()
  .onBeforeHandle(async ({ request, set }) => {
    // ok: upstash-qstash-verify-error-swallowed
    try {
      await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body: await request.clone().text(), url: request.url });
    } catch (error) {
      console.error("qstash signature check failed", error);
      set.status = 401;
      return "invalid signature";
    }
  })
  .post("/jobs", ({ body }) => runJob(body));

fastify.addHook("preHandler", async (request, reply) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: String(request.headers["upstash-signature"]), body: request.rawBody as string, url: `https://${request.hostname}${request.url}` });
  } catch (err) {
    request.log.warn({ err }, "qstash verification failed");
    return reply.code(401).send({ error: "invalid signature" });
  }
});

// Refusals written as the framework's responses: a 4xx status, an error body, a status variable.
export async function nextRefuses(req: Request) {
  const body = await req.text();
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
  } catch (err) {
    return NextResponse.json({ received: false }, { status: 401 });
  }
  await runJob(JSON.parse(body));
  return NextResponse.json({ received: true });
}

export const bunRefuses = {
  async fetch(req: Request) {
    const body = await req.text();
    // ok: upstash-qstash-verify-error-swallowed
    try {
      await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
    } catch {
      return new Response("Unauthorized", { status: 401 });
    }
    await runJob(JSON.parse(body));
    return new Response("ok");
  },
};

hono.post("/hono/refuses", async (c) => {
  const body = await c.req.text();
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: c.req.header("upstash-signature") ?? "", body });
  } catch (e) {
    return c.json({ message: "invalid signature" }, 403);
  }
  await runJob(JSON.parse(body));
  return c.json({ ok: true });
});

app.post("/express/refuses", express.text(), async (req, res) => {
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.body });
  } catch (err) {
    return res.status(401).json({ error: "unauthorized" });
  }
  await runJob(JSON.parse(req.body));
  res.json({ ok: true });
});

export async function remixAction({ request }: { request: Request }) {
  const body = await request.text();
  const status = 401;
  // ok: upstash-qstash-verify-error-swallowed
  try {
    await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body });
  } catch {
    return json({ ok: false }, { status });
  }
  await runJob(JSON.parse(body));
  return json({ ok: true });
}

// ---- promise chains in middleware and hooks ---------------------------------------------------

export function qstashMiddleware(req: any, res: any, next: (err?: unknown) => void) {
  // ruleid: upstash-qstash-verify-error-swallowed
  receiver
    .verify({ signature: req.get("upstash-signature") ?? "", body: req.rawBody })
    .then(() => next())
    .catch(() => next());
}

export function qstashMiddlewareLogged(req: any, res: any, next: (err?: unknown) => void) {
  // ruleid: upstash-qstash-verify-error-swallowed
  receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.rawBody }).then(
    () => next(),
    (err) => {
      console.warn("qstash signature check failed", err);
      next();
    },
  );
}

export function qstashMiddlewarePassesError(req: any, res: any, next: (err?: unknown) => void) {
  // ok: upstash-qstash-verify-error-swallowed
  receiver
    .verify({ signature: req.get("upstash-signature") ?? "", body: req.rawBody })
    .then(() => next())
    .catch(next);
}

export function qstashMiddleware401(req: any, res: any, next: (err?: unknown) => void) {
  // ok: upstash-qstash-verify-error-swallowed
  receiver
    .verify({ signature: req.get("upstash-signature") ?? "", body: req.rawBody })
    .then(() => next())
    .catch((err) => {
      res.status(401).json({ error: "invalid signature" });
    });
}

export const qstashPlugin = async (fastify: any) => {
  fastify.addHook("preHandler", (request: any, reply: any, done: (err?: Error) => void) => {
    // ruleid: upstash-qstash-verify-error-swallowed
    receiver
      .verify({ signature: String(request.headers["upstash-signature"]), body: request.rawBody })
      .then(() => done())
      .catch((err: Error) => {
        request.log.error(err, "qstash signature");
        done();
      });
  });
  fastify.addHook("onRequest", (request: any, reply: any, done: (err?: Error) => void) => {
    // ok: upstash-qstash-verify-error-swallowed
    receiver
      .verify({ signature: String(request.headers["upstash-signature"]), body: request.rawBody })
      .then(() => done())
      .catch((err: Error) => done(err));
  });
};
