// Test cases for upstash-qstash-route-never-checked: routes named for QStash in a module
// where nothing checks that QStash sent the request. A module that checks it is in
// upstash-qstash-route-never-checked.checked.ts beside this one: the rule looks at the
// whole module, so it needs its own file.
import express from "express";
import { Hono } from "hono";
import Fastify from "fastify";
import Hapi from "@hapi/hapi";

const app = express();
const hono = new Hono();
const fastify = Fastify();

// ---- misuse -------------------------------------------------------------------------------

// ruleid: upstash-qstash-route-never-checked
app.post("/api/qstash/resize", express.json(), async (req, res) => {
  await resizeImage(req.body.imageId);
  res.json({ ok: true });
});

// ruleid: upstash-qstash-route-never-checked
hono.post("/webhooks/qstash", async (c) => {
  const job = await c.req.json();
  await runJob(job);
  return c.json({ ok: true });
});

// ruleid: upstash-qstash-route-never-checked
fastify.post("/qstash-callback", async (request) => {
  await recordDelivery(request.body);
  return { received: true };
});

export async function start() {
  const server = Hapi.server({ port: 3000 });
  // ruleid: upstash-qstash-route-never-checked
  server.route({
    method: "POST",
    path: "/qstash/cleanup",
    handler: async () => {
      await purgeExpiredSessions();
      return { ok: true };
    },
  });
  await server.start();
}

// ---- correct ------------------------------------------------------------------------------

// The app's users call this one to enqueue work: it sends to QStash, QStash does not call it.
// ok: upstash-qstash-route-never-checked
app.post("/api/qstash/publish", async (req, res) => {
  res.json(await enqueue(req.body));
});

// ok: upstash-qstash-route-never-checked
app.get("/api/qstash/status", async (_req, res) => {
  res.json(await queueStatus());
});

// Not a QStash route at all.
// ok: upstash-qstash-route-never-checked
app.post("/api/jobs", async (req, res) => {
  res.json(await runJob(req.body));
});

// A handler from a controller module may check the request there: not this rule's to judge.
// ok: upstash-qstash-route-never-checked
app.post("/api/qstash/inbound", handleInboundJobs);

// ruleid: upstash-qstash-route-never-checked
app.put("/qstash/reindex", function reindex(req, res) {
  reindexAll().then(() => res.end());
});
