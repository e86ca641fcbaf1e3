async def test_health_and_docs(system):
    assert (await system.client.get("/healthz")).json() == {"status": "ok"}
    ready = await system.client.get("/readyz")
    assert ready.status_code == 200, ready.text
    doc = (await system.client.get("/openapi.json")).json()
    assert "/api/v1/enterprises" in doc["paths"]
    assert (await system.client.get("/docs")).status_code == 200


async def test_every_service_reports_request_queue_and_outbox_figures(system):
    """/metrics of each service (what Prometheus scrapes in distributed mode) carries the
    request counters, the outbox backlog and, for consumers, its queue and dead-letter depth."""
    import httpx

    assert (await system.client.get("/api/v1/regions")).status_code == 200
    for name, runtime in system.runtimes.items():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app), base_url=f"http://{name}") as c:
            text = (await c.get("/metrics")).text
        assert f'autocirc_outbox_pending{{service="{name}"}}' in text, name
        if runtime.consumer is not None:
            assert f'autocirc_queue_ready{{service="{name}"}}' in text, name
            assert f'autocirc_queue_dead_letters{{service="{name}"}} 0.0' in text, name
    assert 'autocirc_http_requests_total{method="GET",service="gateway",status="200"}' in text
