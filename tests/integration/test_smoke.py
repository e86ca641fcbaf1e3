async def test_health_and_docs(system):
    assert (await system.client.get("/healthz")).json() == {"status": "ok"}
    ready = await system.client.get("/readyz")
    assert ready.status_code == 200, ready.text
    doc = (await system.client.get("/openapi.json")).json()
    assert "/api/v1/enterprises" in doc["paths"]
    assert (await system.client.get("/docs")).status_code == 200
