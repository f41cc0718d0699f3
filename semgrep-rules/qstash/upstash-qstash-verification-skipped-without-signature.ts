// Test cases for upstash-qstash-verification-skipped-without-signature.
import { Receiver } from "@upstash/qstash";
import express from "express";

const receiver = new Receiver();
const app = express();

// ---- misuse -------------------------------------------------------------------------------

export async function POST(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("upstash-signature");
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (signature) {
    try {
      await receiver.verify({ signature, body, url: req.url });
    } catch {
      return new Response("Unauthorized", { status: 401 });
    }
  }
  return new Response("processed");
}

app.post("/jobs", express.text(), async (req, res) => {
  const sig = req.get("upstash-signature");
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (sig !== undefined) {
    try {
      await receiver.verify({ signature: sig, body: req.body });
    } catch {
      return res.sendStatus(401);
    }
  }
  res.sendStatus(200);
});

// A header of the caller's choosing skips the check.
export async function internalShortcut(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (req.headers.get("x-internal-call") !== "1") {
    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
  }
  return new Response(body);
}

express().post("/jobs", express.text(), async (req, res) => {
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (!req.get("x-skip-verify")) {
    await receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.body });
  }
  res.send("ok");
});

// ---- correct ------------------------------------------------------------------------------

// Either a cron secret or a QStash signature: the header is compared with a secret.
export async function cronOrQStash(req: Request) {
  const body = await req.text();
  // ok: upstash-qstash-verification-skipped-without-signature
  if (req.headers.get("authorization") !== `Bearer ${process.env.CRON_SECRET}`) {
    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
  }
  return new Response(body);
}

export async function PUT(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("upstash-signature");
  // ok: upstash-qstash-verification-skipped-without-signature
  if (!signature) return new Response("missing signature", { status: 401 });
  try {
    await receiver.verify({ signature, body, url: req.url });
  } catch {
    return new Response("Unauthorized", { status: 401 });
  }
  return new Response("processed");
}

export async function PATCH(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("upstash-signature");
  // ok: upstash-qstash-verification-skipped-without-signature
  if (signature) {
    try {
      await receiver.verify({ signature, body, url: req.url });
    } catch {
      return new Response("Unauthorized", { status: 401 });
    }
  } else {
    return new Response("missing signature", { status: 401 });
  }
  return new Response("processed");
}

// ---- an early exit decided by a request header ---------------------------------------------

export const qstashOnly = createMiddleware(async (c, next) => {
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (c.req.header("x-internal") === "true") {
    return next();
  }
  const ok = await receiver
    .verify({ signature: c.req.header("upstash-signature") ?? "", body: await c.req.text() })
    .catch(() => false);
  if (!ok) return c.text("unauthorized", 401);
  await next();
});

export const qstashOnlyCron = createMiddleware(async (c, next) => {
  // ok: upstash-qstash-verification-skipped-without-signature
  if (c.req.header("authorization") === `Bearer ${c.env.CRON_SECRET}`) return next();
  const ok = await receiver
    .verify({ signature: c.req.header("upstash-signature") ?? "", body: await c.req.text() })
    .catch(() => false);
  if (!ok) return c.text("unauthorized", 401);
  await next();
});

export const qstashOnlyStrict = createMiddleware(async (c, next) => {
  // ok: upstash-qstash-verification-skipped-without-signature
  if (!c.req.header("upstash-signature")) return c.text("missing signature", 401);
  await receiver.verify({ signature: c.req.header("upstash-signature")!, body: await c.req.text() });
  await next();
});

// ---- the request method deciding ------------------------------------------------------------

export async function reindexHandler(req: any, res: any) {
  const raw = await readRaw(req);
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (req.method === "POST") {
    const ok = await receiver.verify({ signature: req.headers["upstash-signature"], body: raw }).catch(() => false);
    if (!ok) return res.status(401).end();
  }
  await reindex(JSON.parse(raw));
  res.status(200).json({ ok: true });
}

export async function reindexPostOnly(req: any, res: any) {
  const raw = await readRaw(req);
  // ok: upstash-qstash-verification-skipped-without-signature
  if (req.method === "POST") {
    await receiver.verify({ signature: req.headers["upstash-signature"], body: raw });
    await reindex(JSON.parse(raw));
    return res.status(200).json({ ok: true });
  }
  return res.status(405).end();
}

// Fastify: a preHandler (or onRequest, preValidation) hook that returns without replying
// lets the route handler run, so a missing signature skips the check.
declare const fastify: any;
fastify.post("/jobs/reindex", {
  preHandler: async (request: any, reply: any) => {
    const signature = request.headers["upstash-signature"];
    // ruleid: upstash-qstash-verification-skipped-without-signature
    if (!signature) {
      return;
    }
    await receiver.verify({ signature: signature as string, body: request.rawBody, url: `https://jobs.example.com${request.url}` });
  },
}, async (request: any) => reindex(request.body));

fastify.addHook("onRequest", (request: any, reply: any, done: any) => {
  const signature = request.headers["upstash-signature"];
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (!signature) return done();
  receiver.verify({ signature, body: request.rawBody }).then(() => done(), done);
});

fastify.post("/jobs/cleanup", {
  preHandler: async (request: any, reply: any) => {
    const signature = request.headers["upstash-signature"];
    // ok: upstash-qstash-verification-skipped-without-signature
    if (!signature) {
      return reply.code(401).send({ error: "missing signature" });
    }
    await receiver.verify({ signature: signature as string, body: request.rawBody, url: `https://jobs.example.com${request.url}` });
  },
}, async (request: any) => reindex(request.body));

// A middleware that hands a request without a signature on to the route: the route runs
// unverified (Hono, Express).
declare const hono: any;
hono.use("/tasks/*", async (c: any, next: any) => {
  const upstashSignature = c.req.header("Upstash-Signature");
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (!upstashSignature) {
    // "our own scheduler calls without one"
    return next();
  }
  try {
    await receiver.verify({ signature: upstashSignature, body: await c.req.text(), url: c.req.url });
  } catch {
    return c.text("invalid signature", 401);
  }
  await next();
});

declare const router: any;
router.use(async (req: any, res: any, next: any) => {
  const sig = req.get("upstash-signature");
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (!sig) {
    next();
    return;
  }
  const verified = await receiver.verify({ signature: sig, body: req.body, url: req.originalUrl }).catch(() => false);
  if (!verified) return res.status(401).end();
  next();
});

router.use(async (req: any, res: any, next: any) => {
  const sig = req.get("upstash-signature");
  // ok: upstash-qstash-verification-skipped-without-signature
  if (!sig) return next(new Error("missing Upstash-Signature"));
  await receiver.verify({ signature: sig, body: req.body, url: req.originalUrl });
  next();
});

hono.use("/jobs/*", async (c: any, next: any) => {
  const signature = c.req.header("upstash-signature");
  // ok: upstash-qstash-verification-skipped-without-signature
  if (!signature) return c.text("missing signature", 401);
  try {
    await receiver.verify({ signature, body: await c.req.text(), url: c.req.url });
  } catch {
    return c.text("invalid signature", 401);
  }
  return next();
});
