// Correct: a helper module that parses the delivery headers for routes that verify; it
// serves nothing itself.
export function getAttemptInfo(headers: Headers, maxAttempts: number) {
  // ok: upstash-qstash-delivery-signature-never-checked
  const retried = Number.parseInt(headers.get("upstash-retried") || "0", 10);
  return { attempt: retried + 1, final: retried + 1 >= maxAttempts, messageId: headers.get("upstash-message-id") };
}
