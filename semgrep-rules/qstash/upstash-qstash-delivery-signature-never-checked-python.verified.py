# Correct: the module verifies the signature, so reading the delivery headers is fine.
import os

from flask import Flask, abort, request
from qstash import Receiver

app = Flask(__name__)
receiver = Receiver(
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)


@app.post("/tasks/report")
def report():
    try:
        receiver.verify(
            signature=request.headers.get("Upstash-Signature", ""),
            body=request.get_data(as_text=True),
            url=request.url,
        )
    except Exception:
        abort(401)
    # ok: upstash-qstash-delivery-signature-never-checked-python
    retried = int(request.headers.get("Upstash-Retried", "0"))
    build_report(request.get_json(), retried)
    return {"ok": True}
