"""Cancellation by mutual agreement on the trade screen (issue 13, point 8): either party
asks with a reason, the other sees who asked, why and until when, and accepts (after a
confirmation) or declines; the cancelled trade then shows the reason and the refund."""

import pytest

from tests.clients import signed_in
from tests.factories import make_trade

pytestmark = pytest.mark.usefixtures("clock")


def test_the_buyer_asks_and_the_seller_agrees_with_plain_form_posts(db):
    trade = make_trade("awaiting_shipment")
    buyer, seller = signed_in(trade.buyer), signed_in(trade.seller)
    assert 'data-testid="request_cancel"' in buyer.get(f"/trades/{trade.pk}/").content.decode()
    asked = buyer.post(
        f"/trades/{trade.pk}/act/", {"action": "request_cancel", "reason": "間違えて購入しました"}
    )
    assert asked.status_code == 302
    html = seller.get(f"/trades/{trade.pk}/").content.decode()
    assert 'data-testid="cancel-request"' in html and "間違えて購入しました" in html
    assert 'data-testid="accept_cancel"' in html and 'data-testid="decline_cancel"' in html
    first = seller.post(f"/trades/{trade.pk}/act/", {"action": "accept_cancel"})
    assert 'data-testid="confirm"' in first.content.decode()
    done = seller.post(f"/trades/{trade.pk}/act/", {"action": "accept_cancel", "confirmed": "1"})
    assert done.status_code == 302
    html = buyer.get(f"/trades/{trade.pk}/").content.decode()
    assert "間違えて購入しました" in html and 'data-testid="refund"' in html
