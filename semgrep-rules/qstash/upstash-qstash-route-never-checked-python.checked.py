# A QStash route whose module verifies each delivery: nothing to report.
import os

from fastapi import FastAPI, HTTPException, Request
from qstash import Receiver

api = FastAPI()
receiver = Receiver(current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
                    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"])


# ok: upstash-qstash-route-never-checked-python
@api.post("/api/qstash/embed")
async def embed(request: Request):
    body = (await request.body()).decode()
    try:
        receiver.verify(signature=request.headers.get("upstash-signature", ""), body=body, url=str(request.url))
    except Exception:
        raise HTTPException(status_code=401)
    return {"ok": True}
