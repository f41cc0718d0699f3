# Test cases for upstash-hardcoded-redis-url.yaml. Every credential below was generated with
# detect_secrets_upstash.tokens and belongs to no account.
import os

import redis
from celery import Celery

# ruleid: upstash-hardcoded-redis-url
r = redis.from_url("rediss://default:ASeLAAIncDFmZDJmNzg3Y2E3MWYxZmViMmYwM2NjYjQzM2JhYTYxY3AxMTAxMjM@noble-gecko-10123.upstash.io:6379")

app = Celery(
    "tasks",
    # ruleid: upstash-hardcoded-redis-url
    broker="rediss://default:ASeLAAIncDFmZDJmNzg3Y2E3MWYxZmViMmYwM2NjYjQzM2JhYTYxY3AxMTAxMjM@noble-gecko-10123.upstash.io:6379?ssl_cert_reqs=required",
)

# ok: upstash-hardcoded-redis-url
cache = redis.from_url(os.environ["REDIS_URL"])
# ok: upstash-hardcoded-redis-url
cache2 = redis.from_url(f"rediss://default:{os.environ['UPSTASH_REDIS_PASSWORD']}@noble-gecko-10123.upstash.io:6379")
