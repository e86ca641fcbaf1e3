"""filing's handlers (the catalogue and identity projections, police delivery status), each delivered twice."""
from __future__ import annotations

from tests.fast import events


async def known_enterprise(filing) -> str:
    event = events.registered()
    await filing.deliver_twice(event)
    return event.enterprise_id


async def test_the_approved_catalogue_is_projected_once(lone):
    filing = await lone("filing")
    maker = events.manufacturer()
    brand = events.brand([maker.manufacturer_id])
    model = events.model(brand.brand_id, maker.manufacturer_id)
    for event in (maker, brand, model, events.displacement(model.model_id, 2.0)):
        await filing.deliver_twice(event)
    assert await filing.rows("SELECT name FROM catalog_manufacturers WHERE id = :i", i=maker.manufacturer_id) == [
        {"name": "测试汽车制造厂"}]
    assert await filing.rows("SELECT manufacturer_id FROM catalog_brand_manufacturers WHERE brand_id = :b",
                             b=brand.brand_id) == [{"manufacturer_id": maker.manufacturer_id}]
    assert await filing.rows("SELECT brand_id FROM catalog_models WHERE id = :m", m=model.model_id) == [
        {"brand_id": brand.brand_id}]
    litres = await filing.rows("SELECT litres FROM catalog_displacements WHERE model_id = :m ORDER BY litres",
                               m=model.model_id)
    assert [float(r["litres"]) for r in litres] == [1.5, 2.0]


async def test_enterprises_are_known_and_follow_their_region(lone):
    filing = await lone("filing")
    enterprise_id = await known_enterprise(filing)
    assert await filing.rows("SELECT region_code, filler_name FROM enterprises WHERE enterprise_id = :e",
                             e=enterprise_id) == [{"region_code": "110101", "filler_name": "张三"}]
    await filing.deliver_twice(events.updated(enterprise_id, "110102"))
    assert await filing.rows("SELECT region_code FROM enterprises WHERE enterprise_id = :e", e=enterprise_id) == [
        {"region_code": "110102"}]


async def test_an_official_change_is_kept_and_confirmed_once(lone):
    filing = await lone("filing")
    event = events.official()
    await filing.deliver_twice(event)
    assert await filing.rows("SELECT region_code, can_review FROM officials WHERE official_id = :o",
                             o=event.official_id) == [{"region_code": "110101", "can_review": 1}]
    confirmations = [e for e in await filing.emitted("filing.review_right_applied.v1")
                     if e.payload["official_id"] == event.official_id]
    assert len(confirmations) == 1
    older = events.official(event.official_id, can_review=False, changed_at=events.now().replace(year=2020))
    await filing.deliver_twice(older)  # late and older: changes nothing
    assert (await filing.rows("SELECT can_review FROM officials WHERE official_id = :o",
                              o=event.official_id)) == [{"can_review": 1}]


async def test_a_move_of_a_filed_enterprise_becomes_a_change_under_review(lone):
    filing = await lone("filing")
    enterprise_id = await known_enterprise(filing)
    async with filing.runtime.db.engine.begin() as conn:
        await conn.exec_driver_sql(
            "INSERT INTO filings (enterprise_id, status, version, data, confirmed_version, updated_at) "
            "VALUES (?, 'confirmed', 1, '{}', 1, '2024-01-01 00:00:00')", (enterprise_id,))
    await filing.deliver_twice(events.moved(enterprise_id, "110102"))
    assert await filing.rows("SELECT status, version FROM filings WHERE enterprise_id = :e", e=enterprise_id) == [
        {"status": "changed", "version": 2}]
    assert await filing.rows("SELECT pending_region_code FROM enterprises WHERE enterprise_id = :e",
                             e=enterprise_id) == [{"pending_region_code": "110102"}]
    assert len(await filing.rows("SELECT id FROM filing_history WHERE enterprise_id = :e AND action = 'move'",
                                 e=enterprise_id)) == 1


async def test_the_police_delivery_status_reaches_the_image(lone):
    filing = await lone("filing")
    enterprise_id = await known_enterprise(filing)
    async with filing.runtime.db.engine.begin() as conn:
        await conn.exec_driver_sql(
            "INSERT INTO filing_media (enterprise_id, kind, sha256, key, content_type, size, width, height, "
            "uploaded_at, police_attempts) VALUES (?, 'seal', ?, 'k', 'image/png', 1000, 10, 10, "
            "'2024-01-01 00:00:00', 0)", (enterprise_id, events.SHA))
    await filing.deliver_twice(events.delivery(enterprise_id))
    assert await filing.rows("SELECT police_status, police_receipt_id FROM filing_media WHERE enterprise_id = :e",
                             e=enterprise_id) == [{"police_status": "delivered", "police_receipt_id": "R-1"}]
