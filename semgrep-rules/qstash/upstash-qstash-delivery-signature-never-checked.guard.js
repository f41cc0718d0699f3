// Correct: a guard named for QStash, from another module, runs before the route.
const express = require("express");
const { requireQstash } = require("./middleware/qstash");

const app = express();
app.post("/jobs/resize", requireQstash, async (req, res) => {
  // ok: upstash-qstash-delivery-signature-never-checked
  const retried = Number(req.headers["upstash-retried"] || 0);
  await resize(req.body, retried);
  res.sendStatus(200);
});

module.exports = app;
