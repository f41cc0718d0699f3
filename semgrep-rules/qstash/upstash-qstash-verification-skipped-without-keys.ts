// Test cases for upstash-qstash-verification-skipped-without-keys.
import { Receiver } from "@upstash/qstash";
import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";

async function handler(request: Request) {
  await request.json();
  return new Response("OK", { status: 200 });
}

// ---- misuse -------------------------------------------------------------------------------

// ruleid: upstash-qstash-verification-skipped-without-keys
export const POST = process.env.QSTASH_CURRENT_SIGNING_KEY
  ? verifySignatureAppRouter(handler)
  : handler;

// ruleid: upstash-qstash-verification-skipped-without-keys
export const PUT = !process.env.QSTASH_NEXT_SIGNING_KEY ? handler : verifySignatureAppRouter(handler);

const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY ?? "",
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY ?? "",
});

export async function isFromQStash(signature: string | null, body: string): Promise<boolean> {
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (!signature || !process.env.QSTASH_CURRENT_SIGNING_KEY) {
    console.warn("QStash signature verification skipped: signing keys not configured");
    return true;
  }
  try {
    return await receiver.verify({ signature, body });
  } catch {
    return false;
  }
}

export async function isFromQStashShort(signature: string, body: string): Promise<boolean> {
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (process.env.QSTASH_CURRENT_SIGNING_KEY === undefined) return true;
  try {
    return await receiver.verify({ signature, body });
  } catch {
    return false;
  }
}

// Verification only on one host.
export async function onVercelOnly(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (process.env.VERCEL === "1") {
    try {
      await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body, url: req.url });
    } catch {
      return new Response("Unauthorized", { status: 401 });
    }
  }
  return new Response("ok");
}

export async function productionOnly(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (import.meta.env.PROD) {
    try {
      await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body, url: req.url });
    } catch {
      return new Response("Unauthorized", { status: 401 });
    }
  }
  return new Response("ok");
}

// The deployment check kept in a flag: the flag's name says what it is, wherever it is set.
const isProduction = process.env.NODE_ENV === "production";
const shouldVerify = isProduction;
// ruleid: upstash-qstash-verification-skipped-without-keys
export const PATCH = shouldVerify ? verifySignatureAppRouter(handler) : handler;

export async function flagGuarded(request: Request) {
  const body = await request.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (isProduction) {
    try {
      await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body });
    } catch {
      return new Response("unauthorized", { status: 401 });
    }
  }
  return handler(new Request(request.url, { method: "POST", body }));
}

// Keys missing: a warning, verification only in the else, the job runs either way.
export async function warnsAndCarriesOn(request: Request) {
  const body = await request.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) {
    console.warn("QStash keys not set, skipping verification");
  } else {
    try {
      await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body });
    } catch {
      return new Response("unauthorized", { status: 401 });
    }
  }
  return new Response(String(body.length));
}

export async function answersWithoutChecking(request: Request) {
  const body = await request.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (process.env.SKIP_QSTASH_VERIFY === "1") {
    return handler(new Request(request.url, { method: "POST", body }));
  } else {
    await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body });
  }
  return handler(new Request(request.url, { method: "POST", body }));
}

// ---- correct ------------------------------------------------------------------------------

// Keys missing: refused, verification in the else.
export async function refusesWithoutKeys(request: Request) {
  const body = await request.text();
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) {
    return new Response("QStash signing keys are not configured", { status: 500 });
  } else {
    await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body });
  }
  return new Response("ok");
}

export async function throwsWithoutKeys(request: Request) {
  const body = await request.text();
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!isProduction && !process.env.QSTASH_NEXT_SIGNING_KEY) {
    throw new Error("QStash signing keys are not configured");
  } else {
    await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body });
  }
  return new Response("ok");
}

export async function failsClosed(signature: string | null, body: string): Promise<boolean> {
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!signature || !process.env.QSTASH_CURRENT_SIGNING_KEY) {
    console.error("refusing: signature or signing keys missing");
    return false;
  }
  try {
    return await receiver.verify({ signature, body });
  } catch {
    return false;
  }
}

export async function throwsAtStart(signature: string, body: string): Promise<boolean> {
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) throw new Error("QSTASH_CURRENT_SIGNING_KEY is not set");
  try {
    return await receiver.verify({ signature, body });
  } catch {
    return false;
  }
}

// ok: upstash-qstash-verification-skipped-without-keys
export const GET = verifySignatureAppRouter(handler);

// A ternary that picks between two verified handlers.
// ok: upstash-qstash-verification-skipped-without-keys
export const PATCH = process.env.QSTASH_REGION ? verifySignatureAppRouter(handler) : verifySignatureAppRouter(handler, { clockTolerance: 5 });

// A configuration check with an else that refuses.
export async function elseRefuses(req: Request) {
  const body = await req.text();
  // ok: upstash-qstash-verification-skipped-without-keys
  if (process.env.QSTASH_CURRENT_SIGNING_KEY) {
    try {
      await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body, url: req.url });
    } catch {
      return new Response("Unauthorized", { status: 401 });
    }
  } else {
    return new Response("signing keys not configured", { status: 500 });
  }
  return new Response("ok");
}

// An if around verify that tests the request, not the configuration (a misuse of its own:
// upstash-qstash-verification-skipped-without-signature).
export async function requestCondition(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("upstash-signature");
  // ok: upstash-qstash-verification-skipped-without-keys
  if (signature) {
    try {
      await receiver.verify({ signature, body, url: req.url });
    } catch {
      return new Response("Unauthorized", { status: 401 });
    }
  }
  return new Response("ok");
}

// ---- guards seen in real apps: deployment checks, SvelteKit private env, Hono middleware -------

import { env } from "$env/dynamic/private";

export async function verifyQstashRequest(req: Request, body: string) {
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (process.env.VERCEL !== "1") return;
  await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body, url: req.url });
}

export async function isQstashRequest(signature: string, body: string) {
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (process.env.NODE_ENV === "development") {
    return true;
  }
  try {
    await receiver.verify({ signature, body });
    return true;
  } catch {
    return false;
  }
}

export const sveltePost = async ({ request }: { request: Request }) => {
  const body = await request.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (env.QSTASH_CURRENT_SIGNING_KEY) {
    try {
      await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body });
    } catch {
      return new Response("invalid signature", { status: 401 });
    }
  }
  return new Response("ok");
};

export const honoVerify = async (c: any, next: () => Promise<void>) => {
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (!c.env.QSTASH_CURRENT_SIGNING_KEY) return await next();
  try {
    await receiver.verify({ signature: c.req.header("upstash-signature") ?? "", body: await c.req.text() });
  } catch {
    return c.text("invalid signature", 401);
  }
  await next();
};

export async function failsClosed(req: Request, body: string) {
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) return new Response("not configured", { status: 500 });
  try {
    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

// ---- early exits that answer the request before the check; ternaries on the deployment ------

// Deno Deploy: a "local" switch that runs the job unverified.
async function runJob(payload: string) {
  const job = JSON.parse(payload);
  return new Response(JSON.stringify({ processed: job.id }), { headers: { "content-type": "application/json" } });
}

Deno.serve(async (req: Request) => {
  const payload = await req.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (Deno.env.get("RUN_LOCALLY") === "true") {
    return await runJob(payload);
  }
  try {
    await receiver.verify({ signature: req.headers.get("Upstash-Signature") ?? "", body: payload, url: req.url });
  } catch (_err) {
    return new Response("bad signature", { status: 401 });
  }
  return await runJob(payload);
});

export async function denoShortExit(req: Request) {
  const payload = await req.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (Deno.env.get("QSTASH_VERIFY") === "off") return runJob(payload);
  try {
    await receiver.verify({ signature: req.headers.get("Upstash-Signature") ?? "", body: payload, url: req.url });
  } catch {
    return new Response("bad signature", { status: 401 });
  }
  return runJob(payload);
}

export async function workerAcksUnverified(request: Request, env: { STAGE: string }) {
  const payload = await request.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (env.STAGE !== "prod") return new Response(JSON.stringify(await runJob(payload)));
  try {
    await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body: payload, url: request.url });
  } catch {
    return new Response("bad signature", { status: 401 });
  }
  return runJob(payload);
}

// SvelteKit hooks.server.ts: development lets QStash routes through unchecked.
export const handleHook = async ({ event, resolve }: { event: any; resolve: (e: any) => Promise<Response> }) => {
  if (event.url.pathname.startsWith("/api/jobs")) {
    // ruleid: upstash-qstash-verification-skipped-without-keys
    if (env.NODE_ENV !== "production") return resolve(event);
    try {
      await receiver.verify({
        signature: event.request.headers.get("upstash-signature") ?? "",
        body: await event.request.clone().text(),
        url: event.url.href,
      });
    } catch {
      return new Response("unauthorized", { status: 401 });
    }
  }
  return resolve(event);
};

// Next.js App Router: verified only in production (previews and `next dev` are open).
// ruleid: upstash-qstash-verification-skipped-without-keys
export const DELETE = process.env.NODE_ENV === "production" ? verifySignatureAppRouter(handler) : handler;

// ruleid: upstash-qstash-verification-skipped-without-keys
export const OPTIONS = process.env.VERCEL_ENV !== "production" ? handler : verifySignatureAppRouter(handler);

// A path check is not configuration: the hook only lets other routes through.
export const handleOtherRoutes = async ({ event, resolve }: { event: any; resolve: (e: any) => Promise<Response> }) => {
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!event.url.pathname.startsWith("/api/jobs")) return resolve(event);
  try {
    await receiver.verify({
      signature: event.request.headers.get("upstash-signature") ?? "",
      body: await event.request.clone().text(),
      url: event.url.href,
    });
  } catch {
    return new Response("unauthorized", { status: 401 });
  }
  return resolve(event);
};

export async function pausedByFlag(req: Request) {
  const payload = await req.text();
  // ok: upstash-qstash-verification-skipped-without-keys
  if (Deno.env.get("JOBS_PAUSED") === "1") return new Response("paused, retry later", { status: 503 });
  try {
    await receiver.verify({ signature: req.headers.get("Upstash-Signature") ?? "", body: payload, url: req.url });
  } catch {
    return new Response("bad signature", { status: 401 });
  }
  return runJob(payload);
}

export async function missingKeyRefusedAsJson(req: Request) {
  const payload = await req.text();
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_NEXT_SIGNING_KEY) {
    console.error("QStash keys are not configured");
    return Response.json({ error: "server misconfigured" }, { status: 500 });
  }
  try {
    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body: payload, url: req.url });
  } catch {
    return Response.json({ error: "bad signature" }, { status: 401 });
  }
  return runJob(payload);
}

export async function isSignedByQstash(signature: string, payload: string): Promise<boolean> {
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) return false;
  try {
    return await receiver.verify({ signature, body: payload });
  } catch {
    return false;
  }
}

export const expressGuard = async (req: any, _res: any, next: (err?: unknown) => void) => {
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) return next(new Error("QStash signing keys are not configured"));
  try {
    await receiver.verify({ signature: req.headers["upstash-signature"], body: req.rawBody, url: req.originalUrl });
  } catch (err) {
    return next(err);
  }
  next();
};

// Pages Router: each missing key answers 500 and ends the response before verify runs.
export async function pagesRefusesWithoutKeys(req: any, res: any) {
  const signature = req.headers["upstash-signature"];
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) {
    res.status(500).send("QStash signing key is not configured");
    return res.end();
  }
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_NEXT_SIGNING_KEY) {
    res.status(500).json({ error: "QStash next signing key is not configured" });
    return;
  }
  const valid = await receiver.verify({ signature, body: req.rawBody });
  if (!valid) return res.status(403).end();
  res.status(200).end();
}

// Node http: the status is set on the response, then it ends and the handler returns.
export async function nodeRefusesWithoutKeys(req: any, res: any, body: string) {
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) {
    res.statusCode = 500;
    res.end("missing signing key");
    return;
  }
  const valid = await receiver.verify({ signature: req.headers["upstash-signature"], body });
  res.statusCode = valid ? 200 : 401;
  res.end();
}

// Logged, then refused with a 401 built in a second statement.
export async function edgeRefusesAfterLog(req: Request) {
  const payload = await req.text();
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) {
    console.error("QSTASH_CURRENT_SIGNING_KEY is not set; refusing");
    const headers = { "content-type": "text/plain" };
    return new Response("not configured", { status: 401, headers });
  }
  await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body: payload });
  return runJob(payload);
}

// The same blocks answering success: the request carries on unverified.
export async function pagesSkipsWithoutKeys(req: any, res: any) {
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) {
    console.error("QStash signing key missing, skipping verification");
    res.status(200).send("ok");
    return res.end();
  }
  const valid = await receiver.verify({ signature: req.headers["upstash-signature"], body: req.rawBody });
  if (!valid) return res.status(403).end();
  res.status(200).end();
}

export async function nodeSkipsWithoutKeys(req: any, res: any, body: string) {
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (!process.env.QSTASH_CURRENT_SIGNING_KEY) {
    console.warn("no signing key: verification off");
    await runJob(body);
    res.statusCode = 204;
    res.end();
    return;
  }
  await receiver.verify({ signature: req.headers["upstash-signature"], body });
  res.end();
}

// Nuxt/h3: `import.meta.dev` is true under `nuxi dev` (and any build made in dev mode): the
// verification runs only outside it, like a `NODE_ENV` check.
export const nuxtVerifiedOutsideDev = defineEventHandler(async (event) => {
  const payload = (await readRawBody(event, "utf8")) ?? "";
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (!import.meta.dev) {
    await receiver.verify({ signature: getHeader(event, "upstash-signature") ?? "", body: payload, url: getRequestURL(event).href });
  }
  return runJob(payload);
});

export const nuxtSkipsInDev = defineEventHandler(async (event) => {
  const payload = (await readRawBody(event, "utf8")) ?? "";
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (import.meta.dev) return runJob(payload);
  await receiver.verify({ signature: getHeader(event, "upstash-signature") ?? "", body: payload, url: getRequestURL(event).href });
  return runJob(payload);
});

// Correct: always verified; in dev the QStash dev server's keys are configured instead.
export const nuxtAlwaysVerified = defineEventHandler(async (event) => {
  const payload = (await readRawBody(event, "utf8")) ?? "";
  // ok: upstash-qstash-verification-skipped-without-keys
  if (import.meta.dev) console.info("verifying with the QStash dev server keys");
  try {
    await receiver.verify({ signature: getHeader(event, "upstash-signature") ?? "", body: payload, url: getRequestURL(event).href });
  } catch {
    throw createError({ statusCode: 401, statusMessage: "invalid signature" });
  }
  return runJob(payload);
});

// Correct: refused in dev rather than served unverified.
export const nuxtRefusesInDev = defineEventHandler(async (event) => {
  const payload = (await readRawBody(event, "utf8")) ?? "";
  // ok: upstash-qstash-verification-skipped-without-keys
  if (import.meta.dev && !process.env.QSTASH_CURRENT_SIGNING_KEY) {
    throw createError({ statusCode: 503, statusMessage: "start the QStash dev server" });
  }
  await receiver.verify({ signature: getHeader(event, "upstash-signature") ?? "", body: payload, url: getRequestURL(event).href });
  return runJob(payload);
});

// ---- the configured branch verifies, the else only warns ------------------------------------

export async function keysPositive(req: Request) {
  const signature = req.headers.get("upstash-signature") ?? "";
  const rawBody = await req.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (process.env.QSTASH_CURRENT_SIGNING_KEY && process.env.QSTASH_NEXT_SIGNING_KEY) {
    try {
      await receiver.verify({ signature, body: rawBody, url: req.url });
    } catch {
      return new Response("invalid signature", { status: 401 });
    }
  } else {
    console.warn("QStash signing keys are not set: proceeding without signature validation");
  }
  await runJob(JSON.parse(rawBody));
  return Response.json({ ok: true });
}

export async function keysPositiveRefused(req: Request) {
  const signature = req.headers.get("upstash-signature") ?? "";
  const rawBody = await req.text();
  // ok: upstash-qstash-verification-skipped-without-keys
  if (process.env.QSTASH_CURRENT_SIGNING_KEY) {
    await receiver.verify({ signature, body: rawBody, url: req.url });
  } else {
    console.error("QSTASH_CURRENT_SIGNING_KEY is not set");
    return new Response("server misconfigured", { status: 500 });
  }
  await runJob(JSON.parse(rawBody));
  return Response.json({ ok: true });
}

export async function keysPositiveThrows(req: Request) {
  const signature = req.headers.get("upstash-signature") ?? "";
  const rawBody = await req.text();
  // ok: upstash-qstash-verification-skipped-without-keys
  if (process.env.QSTASH_CURRENT_SIGNING_KEY) {
    await receiver.verify({ signature, body: rawBody, url: req.url });
  } else {
    throw new Error("QSTASH_CURRENT_SIGNING_KEY is not set");
  }
  await runJob(JSON.parse(rawBody));
  return Response.json({ ok: true });
}

// The keys read into module constants, then verified only when both are set: a deployment
// without them takes every request unverified.
const currentKey = process.env.QSTASH_CURRENT_SIGNING_KEY;
const nextKey = process.env.QSTASH_NEXT_SIGNING_KEY;

export async function reindexWhenKeysSet(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (currentKey && nextKey) {
    const keyed = new Receiver({ currentSigningKey: currentKey, nextSigningKey: nextKey });
    await keyed.verify({ signature: req.headers.get("upstash-signature") ?? "", body, url: req.url });
  }
  await runJob(body);
  return new Response("ok");
}

export async function verifyQStashRequestKeysInVariables(req: Request): Promise<{ ok: boolean; body: string }> {
  const body = await req.text();
  const current = process.env.QSTASH_CURRENT_SIGNING_KEY;
  const next = process.env.QSTASH_NEXT_SIGNING_KEY;
  // ruleid: upstash-qstash-verification-skipped-without-keys
  if (!current || !next) {
    console.warn("QStash signing keys not configured, skipping verification");
    return { ok: true, body };
  }
  const receiver = new Receiver({ currentSigningKey: current, nextSigningKey: next });
  const ok = await receiver
    .verify({ signature: req.headers.get("upstash-signature") ?? "", body })
    .catch(() => false);
  return { ok, body };
}

export async function verifyQStashRequestKeysRequired(req: Request): Promise<{ ok: boolean; body: string }> {
  const body = await req.text();
  const current = process.env.QSTASH_CURRENT_SIGNING_KEY;
  const nextKey = process.env.QSTASH_NEXT_SIGNING_KEY;
  // ok: upstash-qstash-verification-skipped-without-keys
  if (!current || !nextKey) {
    console.error("QStash signing keys not configured");
    return { ok: false, body };
  }
  const receiver = new Receiver({ currentSigningKey: current, nextSigningKey: nextKey });
  const ok = await receiver
    .verify({ signature: req.headers.get("upstash-signature") ?? "", body })
    .catch(() => false);
  return { ok, body };
}
