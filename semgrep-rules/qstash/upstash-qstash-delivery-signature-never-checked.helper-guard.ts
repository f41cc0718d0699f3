// Correct: a boolean helper from another module decides whether QStash sent the request.
import { isFromQstash } from "@/lib/queue/guard";

export async function POST(req: Request) {
  const body = await req.text();
  if (!(await isFromQstash(req, body))) return new Response("unauthorized", { status: 401 });
  // ok: upstash-qstash-delivery-signature-never-checked
  const attempt = Number(req.headers.get("upstash-retried") ?? "0");
  await runJob(JSON.parse(body), attempt);
  return new Response("ok");
}
