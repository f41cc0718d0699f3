"""Safe verification of Upstash credentials (see `upstash-verify`)."""
