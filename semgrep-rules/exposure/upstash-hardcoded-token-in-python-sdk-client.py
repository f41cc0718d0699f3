# Test cases for upstash-hardcoded-token-in-python-sdk-client.yaml. Every credential below
# was generated with detect_secrets_upstash.tokens and belongs to no account.
import os

import upstash_redis
from qstash import QStash, AsyncQStash
from upstash_redis import Redis
from upstash_redis.asyncio import Redis as AsyncRedis
from upstash_vector import Index, AsyncIndex

redis = Redis(
    url="https://brave-otter-10123.upstash.io",
    # ruleid: upstash-hardcoded-write-token-in-python-sdk-client
    token="ASeLAAIncDJiMWZlNDgxNGRlMzYwMDM0ZjhmYzlkNzE2MWJkMjBiZXAyMTAxMjM",
)

# ruleid: upstash-hardcoded-write-token-in-python-sdk-client
positional = upstash_redis.Redis("https://quiet-walrus-20871.upstash.io", "gQAAAAAAAFGHAAIncDI4NmY3ZGFhNmY2MWEzYWJkNDFkNzliMDFjNTc3YjU3OXAyMjA4NzE")

# ruleid: upstash-hardcoded-write-token-in-python-sdk-client
legacy = AsyncRedis(url="https://us1-quiet-walrus-30458.upstash.io", token="AXb6ASQgMTU2OTUxZDQtYjJlNS00YThmLTliZjgtYWJhNmJjOWJjM2Fhboeye2X3TjnBGJp1GMEOkHT02wVcz34tSkE9iDcTCPo=")

# ruleid: upstash-hardcoded-write-token-in-python-sdk-client
index = Index(url="https://brave-otter-10123-us1-vector.upstash.io", token="ABUFMGJyYXZlLW90dGVyLTEwMTIzLXVzMWFkbWluT1RFd1pXRXdObUl0WWpOaE9TMDBNakUyTFRrNU56UXRZVGd4T0RkaE9UY3pOakkx")

# ruleid: upstash-hardcoded-write-token-in-python-sdk-client
client = QStash("eyJVc2VySUQiOiI0ZDYwMjMwMS00MWJlLTRmYjItOTczYi05NDM1NGIzYzQyMjQiLCJQYXNzd29yZCI6IjIzNTY3NWJiNzQxZDNhOGZhZWYxNGRhZTU3Zjc5NWJkIn0=")

QSTASH_TOKEN = "eyJVc2VySUQiOiJmN2E0ZmE1NS05MWQ3LTQ3MTAtOWVlNi1hOGI0Y2Q4ZWM3MGIiLCJQYXNzd29yZCI6IjI5NzQwMDYwYjUxMzExNzE5NGY5NTk0Yzg3ZThkNzhlIn0="
# ruleid: upstash-hardcoded-write-token-in-python-sdk-client
async_client = AsyncQStash(token=QSTASH_TOKEN)

# --- read-only literals: INFO ---
# ruleid: upstash-hardcoded-read-only-token-in-python-sdk-client
read_only = Redis(url="https://brave-otter-10123.upstash.io", token="AieLAAIgcDJwt1ZHdMVT9UrBZEti-x5W8GE9pCBFDDnZLk5xwjbxXg")
# ruleid: upstash-hardcoded-read-only-token-in-python-sdk-client
read_only_index = AsyncIndex("https://brave-otter-10123-us1-vector.upstash.io", "ABUIMGJyYXZlLW90dGVyLTEwMTIzLXVzMXJlYWRvbmx5WWpZMFpqRXdOelV0TTJFMVpTMDBOV1k1TFRobE5tVXROMkprTUdGbFpXRTBNR00x")

# --- correct code ---
# ok: upstash-hardcoded-write-token-in-python-sdk-client
from_env = Redis.from_env()
# ok: upstash-hardcoded-write-token-in-python-sdk-client
explicit = Redis(url=os.environ["UPSTASH_REDIS_REST_URL"], token=os.environ["UPSTASH_REDIS_REST_TOKEN"])
# ok: upstash-hardcoded-write-token-in-python-sdk-client
qstash_env = QStash(os.environ["QSTASH_TOKEN"])
# ok: upstash-hardcoded-write-token-in-python-sdk-client
placeholder = Redis(url="UPSTASH_REDIS_REST_URL", token="UPSTASH_REDIS_REST_TOKEN")
# The QStash dev server's token is public.
# ok: upstash-hardcoded-write-token-in-python-sdk-client
dev = QStash("eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=", base_url="http://127.0.0.1:8080")
