# Test cases for upstash-secret-in-template-context-python.
import os

from django.conf import settings
from django.shortcuts import render
from fastapi.templating import Jinja2Templates
from flask import Flask, render_template
from upstash_redis import Redis

app = Flask(__name__)
templates = Jinja2Templates(directory="templates")

# ---- misuse -------------------------------------------------------------------------------


@app.get("/counter")
def counter_page():
    return render_template(
        "counter.html",
        cache_url=os.environ["UPSTASH_REDIS_REST_URL"],
        # ruleid: upstash-secret-in-template-context-python
        cache_token=os.environ["UPSTASH_REDIS_REST_TOKEN"],
    )


def django_page(request):
    # ruleid: upstash-secret-in-template-context-python
    return render(request, "queue.html", {"queue_token": os.getenv("QSTASH_TOKEN", "")})


def django_settings_page(request):
    # ruleid: upstash-secret-in-template-context-python
    return render(request, "kv.html", {"kv": str(settings.KV_REST_API_TOKEN)})


async def fastapi_page(request):
    return templates.TemplateResponse(
        request,
        "search.html",
        # ruleid: upstash-secret-in-template-context-python
        {"vector_token": os.environ.get("UPSTASH_VECTOR_REST_TOKEN")},
    )


# ---- correct ------------------------------------------------------------------------------

redis = Redis(url=os.environ["UPSTASH_REDIS_REST_URL"], token=os.environ["UPSTASH_REDIS_REST_TOKEN"])


@app.get("/views")
def views_page():
    return render_template(
        "views.html",
        views=redis.incr("views"),
        # ok: upstash-secret-in-template-context-python
        read_token=os.environ["KV_REST_API_READ_ONLY_TOKEN"],
        # ok: upstash-secret-in-template-context-python
        total=count_with(os.environ["UPSTASH_REDIS_REST_TOKEN"]),
        # ok: upstash-secret-in-template-context-python
        url=os.environ["UPSTASH_REDIS_REST_URL"],
    )


def count_with(token):
    # ok: upstash-secret-in-template-context-python
    return Redis(url=os.environ["UPSTASH_REDIS_REST_URL"], token=token).dbsize()
