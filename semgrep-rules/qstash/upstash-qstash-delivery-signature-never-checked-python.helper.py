# Correct: a helper module that parses the delivery headers for views that verify; it serves
# nothing itself.
def attempt_info(headers, max_attempts):
    # ok: upstash-qstash-delivery-signature-never-checked-python
    retried = int(headers.get("Upstash-Retried", "0"))
    return {"attempt": retried + 1, "final": retried + 1 >= max_attempts}
