# Test cases for upstash-qstash-delivery-signature-never-checked-python: QStash destinations
# (they read a header only QStash deliveries carry) in a module where nothing checks the
# signature. The cases where the module checks it, or leaves it to a named guard, are in the
# upstash-qstash-delivery-signature-never-checked-python.*.py files beside this one: the rule
# looks at the whole module, so each needs its own file.
import json
from typing import Annotated

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from fastapi import FastAPI, Header, Request
from flask import Flask, jsonify, request as flask_request

api = FastAPI()
web = Flask(__name__)

# ---- misuse -------------------------------------------------------------------------------


# FastAPI: the delivery headers taken as parameters.
@api.post("/qstash/usage")
async def usage_callback(
    request: Request,
    # ruleid: upstash-qstash-delivery-signature-never-checked-python
    upstash_message_id: str | None = Header(default=None),
    # ruleid: upstash-qstash-delivery-signature-never-checked-python
    upstash_retried: int = Header(default=0),
):
    await apply_usage(await request.json(), upstash_message_id)
    return {"ok": True}


@api.post("/qstash/annotated")
# ruleid: upstash-qstash-delivery-signature-never-checked-python
async def annotated_callback(upstash_retried: Annotated[int, Header()] = 0):
    return {"retried": upstash_retried}


@api.post("/qstash/alias")
# ruleid: upstash-qstash-delivery-signature-never-checked-python
async def alias_callback(message_id: str = Header(alias="Upstash-Message-Id")):
    return {"id": message_id}


# Flask: the retry count decides whether to warn.
@web.route("/tasks/resize", methods=["POST"])
def resize_task():
    # ruleid: upstash-qstash-delivery-signature-never-checked-python
    retried = int(flask_request.headers.get("Upstash-Retried", "0"))
    resize_image(flask_request.get_json(force=True), retried)
    return jsonify(status="ok")


# Django: the message id from META.
@csrf_exempt
def notify(request):
    # ruleid: upstash-qstash-delivery-signature-never-checked-python
    message_id = request.META.get("HTTP_UPSTASH_MESSAGE_ID")
    store_notification(message_id, json.loads(request.body))
    return JsonResponse({"ok": True})


# A presence check proves nothing.
@web.post("/api/qstash/cleanup")
def cleanup_sessions():
    # ruleid: upstash-qstash-delivery-signature-never-checked-python
    if "Upstash-Message-Id" not in flask_request.headers:
        return {"error": "not a qstash delivery"}, 400
    purge_sessions()
    return {"ok": True}


# AWS Lambda
def handler(event, context):
    # ruleid: upstash-qstash-delivery-signature-never-checked-python
    schedule = event["headers"]["upstash-schedule-id"]
    run_report(schedule, json.loads(event["body"]))
    return {"statusCode": 200}


# ---- correct ------------------------------------------------------------------------------


# The sending side names the headers in a dict: nothing is read.
def deliver_locally(session, url, body, message_id):
    # ok: upstash-qstash-delivery-signature-never-checked-python
    return session.post(url, json=body, headers={"Upstash-Message-Id": message_id, "Upstash-Retried": "0"})


# At module level (a docs snippet), not in a view.
# ok: upstash-qstash-delivery-signature-never-checked-python
EXAMPLE = {"upstash-message-id": "msg_1"}.get("upstash-message-id")


# A handler named for where its messages come from is no check.
@api.post("/parse/qstash")
async def parse_from_qstash(request: Request):
    # ruleid: upstash-qstash-delivery-signature-never-checked-python
    attempt = request.headers.get("Upstash-Retried", "0")
    return await parse_document(await request.json(), int(attempt))
