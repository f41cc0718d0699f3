// A QStash route whose module verifies every delivery: nothing to report.
import express from "express";
import { Receiver } from "@upstash/qstash";

const app = express();
const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

// ok: upstash-qstash-route-never-checked
app.post("/api/qstash/resize", express.text({ type: "*/*" }), async (req, res) => {
  try {
    await receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.body, url: `https://app.example.com${req.originalUrl}` });
  } catch {
    return res.status(401).end();
  }
  await resizeImage(JSON.parse(req.body).imageId);
  res.json({ ok: true });
});
