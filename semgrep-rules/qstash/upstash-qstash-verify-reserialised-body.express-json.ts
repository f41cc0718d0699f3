import express from "express";
import { Receiver } from "@upstash/qstash";

// express.json() parses every body of the app: req.body is an object when the route runs.
const app = express();
app.use(express.json());
const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

app.post("/api/jobs", async (req, res) => {
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.get("upstash-signature") ?? "", body: req.body, url: `https://${req.hostname}${req.originalUrl}` });
  } catch {
    return res.status(401).json({ error: "invalid signature" });
  }
  res.json(await runJob(req.body));
});
