# Test cases for upstash-qstash-route-never-checked-python: views on routes named for QStash
# in a module where nothing checks that QStash sent the request. A module that checks it is
# in upstash-qstash-route-never-checked-python.checked.py beside this one: the rule looks at
# the whole module, so it needs its own file.
import json

import azure.functions as func
from bottle import post
from fastapi import FastAPI, Request
from flask import Flask, jsonify, request as flask_request

api = FastAPI()
web = Flask(__name__)
functions = func.FunctionApp()

# ---- misuse -------------------------------------------------------------------------------


# ruleid: upstash-qstash-route-never-checked-python
@api.post("/api/qstash/embed")
async def embed(request: Request):
    await embed_document((await request.json())["documentId"])
    return {"ok": True}


# ruleid: upstash-qstash-route-never-checked-python
@web.route("/qstash/digest", methods=["POST"])
def send_digest():
    send_weekly_digest(flask_request.get_json(force=True))
    return jsonify(ok=True)


# ruleid: upstash-qstash-route-never-checked-python
@post("/qstash-callback")
def bottle_callback():
    return {"ok": True}


# ruleid: upstash-qstash-route-never-checked-python
@functions.route(route="qstash/webhook", methods=["POST"])
def azure_webhook(req: func.HttpRequest) -> func.HttpResponse:
    handle_event(json.loads(req.get_body()))
    return func.HttpResponse("ok")


# ---- correct ------------------------------------------------------------------------------


# The app's users call this one; it sends to QStash.
# ok: upstash-qstash-route-never-checked-python
@api.post("/api/qstash/publish")
async def publish(request: Request):
    return await enqueue(await request.json())


# ok: upstash-qstash-route-never-checked-python
@web.route("/qstash/status", methods=["GET"])
def status():
    return jsonify(queue_status())


# ok: upstash-qstash-route-never-checked-python
@api.get("/qstash/status")
async def fastapi_status():
    return queue_status()


# Flask's default methods are GET only: QStash's POST never reaches this view.
# ok: upstash-qstash-route-never-checked-python
@web.route("/qstash/ping")
def ping():
    return "pong"
