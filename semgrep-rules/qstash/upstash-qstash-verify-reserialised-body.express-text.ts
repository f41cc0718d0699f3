import express from "express";
import { Receiver } from "@upstash/qstash";

// The QStash route reads its body as text; the rest of the app parses JSON.
const app = express();
app.use("/api/jobs", express.text({ type: "*/*" }));
app.use(express.json());
const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

app.post("/api/jobs", async (req, res) => {
  try {
    // ok: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.body, url: `https://${req.hostname}${req.originalUrl}` });
  } catch {
    return res.status(401).json({ error: "invalid signature" });
  }
  res.json(await runJob(JSON.parse(req.body)));
});
