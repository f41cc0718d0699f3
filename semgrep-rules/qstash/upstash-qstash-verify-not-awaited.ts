// Test cases for qstash-verify-not-awaited.
import { Receiver } from "@upstash/qstash";
import express from "express";

const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});
const app = express();

// ---- misuse -------------------------------------------------------------------------------

export async function POST(req: Request) {
  const signature = req.headers.get("upstash-signature")!;
  const body = await req.text();
  // ruleid: upstash-qstash-verify-not-awaited
  const isValid = receiver.verify({ signature, body });
  if (!isValid) {
    return new Response("invalid", { status: 401 });
  }
  return new Response("ok");
}

export async function PUT(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verify-not-awaited
  if (!receiver.verify({ signature: req.headers.get("upstash-signature")!, body })) {
    return new Response("invalid", { status: 401 });
  }
  return new Response("ok");
}

app.post("/job", express.text(), (req, res) => {
  try {
    // ruleid: upstash-qstash-verify-not-awaited
    receiver.verify({ signature: req.headers["upstash-signature"] as string, body: req.body });
  } catch {
    return res.sendStatus(401);
  }
  res.sendStatus(200);
});

// Aliased receiver, result ignored with `void`.
const qstashReceiver = new Receiver();
export function handle(signature: string, body: string) {
  // ruleid: upstash-qstash-verify-not-awaited
  void qstashReceiver.verify({ signature, body, url: "https://example.com/api" });
  return "processed";
}

// A catch attached but the chain is not awaited.
export async function PATCH(req: Request) {
  const signature = req.headers.get("upstash-signature")!;
  // ruleid: upstash-qstash-verify-not-awaited
  receiver.verify({ signature, body: await req.text() }).catch(() => console.warn("bad signature"));
  return new Response("ok");
}

// The same boolean chain as in bunServer below, without await: `ok` is a Promise, always truthy.
export async function bunServerNotAwaited(req: Request) {
  const body = await req.text();
  // ruleid: upstash-qstash-verify-not-awaited
  const ok = receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body }).then(() => true, () => false);
  if (!ok) return new Response("unauthorized", { status: 401 });
  return new Response(String(processJob(body)));
}

// A .then() callback that tries to stop the handler, which has already moved on.
app.post("/then", express.text(), (req, res) => {
  // ruleid: upstash-qstash-verify-not-awaited
  receiver.verify({ signature: req.get("upstash-signature")!, body: req.body }).then((valid) => {
    if (!valid) res.status(401).end();
  });
  processJob(req.body);
  res.sendStatus(202);
});
declare function processJob(body: unknown): void;

// The call is the callback's last statement: nothing awaits it.
app.post("/last", express.text(), (req, res) => {
  res.sendStatus(202);
  // ruleid: upstash-qstash-verify-not-awaited
  receiver.verify({ signature: req.get("upstash-signature")!, body: req.body });
});

// Ternary on the promise.
export async function DELETE(req: Request) {
  const signature = req.headers.get("upstash-signature")!;
  // ruleid: upstash-qstash-verify-not-awaited
  return receiver.verify({ signature, body: await req.text() }) ? new Response("ok") : new Response("no", { status: 401 });
}

// A chain that handles the rejection, but the work follows it instead of living in .then().
app.post("/chain-then-work", express.text(), (req, res) => {
  // ruleid: upstash-qstash-verify-not-awaited
  receiver
    .verify({ signature: req.get("upstash-signature")!, body: req.body })
    .then(() => console.log("verified"))
    .catch(() => console.warn("bad signature"));
  processJob(req.body);
  res.sendStatus(202);
});

export function twoCallbacksThenReturn(signature: string, body: string) {
  // ruleid: upstash-qstash-verify-not-awaited
  receiver.verify({ signature, body }).then(() => console.log("ok"), () => console.warn("bad"));
  return processJob(body);
}

// ---- correct ------------------------------------------------------------------------------

export async function good(req: Request) {
  const signature = req.headers.get("upstash-signature")!;
  const body = await req.text();
  try {
    // ok: upstash-qstash-verify-not-awaited
    await receiver.verify({ signature, body, url: req.url });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

export async function parenthesised(req: Request) {
  try {
    // ok: upstash-qstash-verify-not-awaited
    await (receiver.verify({ signature: req.headers.get("upstash-signature")!, body: await req.text() }));
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

// A helper that hands the promise back to an awaiting caller.
export function checkSignature(signature: string, body: string): Promise<boolean> {
  // ok: upstash-qstash-verify-not-awaited
  return receiver.verify({ signature, body });
}
// ok: upstash-qstash-verify-not-awaited
export const check = (signature: string, body: string) => receiver.verify({ signature, body });

export async function later(signature: string, body: string) {
  // ok: upstash-qstash-verify-not-awaited
  const pending = receiver.verify({ signature, body });
  await pending;
  return "processed";
}

export async function chained(signature: string, body: string) {
  // ok: upstash-qstash-verify-not-awaited
  return receiver.verify({ signature, body }).then(() => "processed");
}

export async function awaitedChain(signature: string, body: string) {
  // ok: upstash-qstash-verify-not-awaited
  await receiver.verify({ signature, body }).then(() => console.log("verified"));
  return "processed";
}

// Bun.serve: the chain maps the rejection to false and is awaited, so `ok` is a boolean.
export const bunServer = {
  async fetch(req: Request) {
    const body = await req.text();
    // ok: upstash-qstash-verify-not-awaited
    const ok = await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body }).then(() => true, () => false);
    if (!ok) return new Response("unauthorized", { status: 401 });
    return new Response(String(processJob(body)));
  },
};

app.post("/awaited-then-catch", express.text(), async (req, res) => {
  // ok: upstash-qstash-verify-not-awaited
  const verified = await receiver
    .verify({ signature: req.get("upstash-signature") ?? "", body: req.body })
    .then(() => true)
    .catch(() => false);
  if (!verified) return res.status(401).end();
  res.json(processJob(req.body));
});

export async function awaitedChainInCondition(request: Request) {
  const body = await request.text();
  const signature = request.headers.get("upstash-signature") ?? "";
  // ok: upstash-qstash-verify-not-awaited
  if (!(await receiver.verify({ signature, body }).then(() => true, () => false))) {
    return new Response("unauthorized", { status: 401 });
  }
  return new Response(String(processJob(body)));
}

// Promise chains in which the success callback is the only way to the work and a rejection
// is answered: nothing runs after the chain.
export function verifyMiddleware(req: express.Request, res: express.Response, next: express.NextFunction) {
  // ok: upstash-qstash-verify-not-awaited
  receiver
    .verify({ signature: req.get("upstash-signature") ?? "", body: req.body, url: "https://example.com/jobs" })
    .then(() => next())
    .catch(() => res.status(401).send("unauthorized"));
}

app.post("/two-callbacks", express.text(), (req, res) => {
  // ok: upstash-qstash-verify-not-awaited
  receiver.verify({ signature: req.get("upstash-signature")!, body: req.body }).then(
    () => res.send(processJob(req.body)),
    () => res.status(401).send("unauthorized"),
  );
});

export function workerFetch(request: Request, body: string) {
  // ok: upstash-qstash-verify-not-awaited
  return receiver
    .verify({ signature: request.headers.get("upstash-signature") ?? "", body, url: request.url })
    .then(() => new Response(String(processJob(body))))
    .catch(() => new Response("unauthorized", { status: 401 }));
}

export const lambdaChain = (event: { headers: Record<string, string>; body: string }) =>
  // ok: upstash-qstash-verify-not-awaited
  receiver
    .verify({ signature: event.headers["upstash-signature"], body: event.body, url: "https://example.com/fn" })
    .then(() => processJob(event.body))
    .then(() => ({ statusCode: 200, body: "ok" }))
    .catch(() => ({ statusCode: 401, body: "unauthorized" }));

// Other libraries' verify functions are out of scope.
import jwt from "jsonwebtoken";
export function session(token: string) {
  // ok: upstash-qstash-verify-not-awaited
  return jwt.verify(token, process.env.SESSION_SECRET!) && "fine";
}
