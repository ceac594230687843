from __future__ import annotations

from datetime import datetime

import pytest

from acme_support.tickets import Message, Ticket


@pytest.fixture
def ticket() -> Ticket:
    return Ticket(
        id=4211,
        tenant_id="hsinchu-optics-17",
        subject="發票匯出逾時 / invoice export times out",
        messages=[
            Message("陳小姐", "每月發票匯出在 30 秒後失敗，影響月結。", datetime(2026, 3, 2, 9, 14)),
            Message("Kevin (Acme)", "Could you send the export ID from the error page?", datetime(2026, 3, 2, 9, 40),
                    from_customer=False),
            Message("陳小姐", "匯出編號 EXP-99812，今天又失敗了三次。", datetime(2026, 3, 2, 10, 5)),
        ],
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("-m") != "live":
        skip = pytest.mark.skip(reason="live API test: run with -m live and real keys")
        for item in items:
            if "live" in item.keywords:
                item.add_marker(skip)
