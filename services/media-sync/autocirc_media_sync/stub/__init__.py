"""The police integration stub (公安接口模拟): stands in for the traffic police's document endpoint.

It checks what a real endpoint would (token, signature, checksum), deduplicates by
Idempotency-Key, counts every request for fault tests, and can be told to fail. What it
received lives in media-sync's database, so replicas share it; the fault switches are per process.
A real police endpoint replaces it by configuration only (``AUTOCIRC_POLICE_URL``).
"""
