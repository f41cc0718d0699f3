// Google Cloud Functions (functions-framework) parses JSON bodies: req.body is an object and
// the bytes QStash signed are req.rawBody.
const functions = require("@google-cloud/functions-framework");
const { Receiver } = require("@upstash/qstash");

const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY,
});

functions.http("sendDigest", async (req, res) => {
  const job = req.body;
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.get("upstash-signature"), body: job });
  } catch {
    return res.status(401).send("invalid signature");
  }
  await sendDigest(job);
  res.status(204).end();
});

functions.http("sendDigestRaw", async (req, res) => {
  try {
    // ok: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.get("upstash-signature"), body: req.rawBody.toString("utf8") });
  } catch {
    return res.status(401).send("invalid signature");
  }
  await sendDigest(req.body);
  res.status(204).end();
});
