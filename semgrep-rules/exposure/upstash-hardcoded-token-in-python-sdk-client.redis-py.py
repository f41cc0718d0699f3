# Test cases for upstash-hardcoded-token-in-python-sdk-client.yaml: Upstash over TCP with
# redis-py, where the token is the password. Every credential below was generated with
# detect_secrets_upstash.tokens and belongs to no account.
import os

import redis
import redis.asyncio as aioredis

client = redis.Redis(
    host="eager-mole-20871.upstash.io",
    port=6379,
    # ruleid: upstash-hardcoded-write-token-in-python-sdk-client
    password="AVGHAAIncDFjZGU3NmJjZTI2NDE0MjU1MTZkYjExYjlhYWJiN2Q5OHAxMjA4NzE",
    ssl=True,
)

# ruleid: upstash-hardcoded-write-token-in-python-sdk-client
pool = aioredis.Redis(host="eager-mole-20871.upstash.io", port=6379, password="AVGHAAIncDFjZGU3NmJjZTI2NDE0MjU1MTZkYjExYjlhYWJiN2Q5OHAxMjA4NzE", ssl=True)

# ruleid: upstash-hardcoded-read-only-token-in-python-sdk-client
reader = redis.StrictRedis(host="eager-mole-20871.upstash.io", username="default_ro", password="AlGHAAIgcDE-ylBdpy2rV0cmvDOxoWKfcAnejbokEFs3Jy_w8xKUqg", ssl=True)

# ok: upstash-hardcoded-write-token-in-python-sdk-client
from_env = redis.Redis(host=os.environ["REDIS_HOST"], password=os.environ["REDIS_PASSWORD"], ssl=True)
# ok: upstash-hardcoded-write-token-in-python-sdk-client
local = redis.Redis(host="localhost", password="local-dev-password-1234")
