"""Demo data: three people, items on sale, and a trade in every state — including the seed's
silent buyer, under the 2016 Rakuma rules and under furima's own.

Past steps are taken through the same services as real ones, with the clock set back, so
every trade's events, ledger postings and timers are exactly what the engine would have
written at the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from furima import clock
from furima.accounts.models import User
from furima.accounts.services import user_create
from furima.market.photos import listing_create_with_photos
from furima.market.services import listing_create
from furima.market.services_social import comment_post, like_set
from furima.payouts.services import bank_account_save, payout_request
from furima.shipping.services import address_create
from furima.trades.purchase import listing_purchase
from furima.trades.services import trade_act, trade_act_as_platform
from furima.web.demo_photos import demo_photo


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    display_name: str
    role: str
    is_staff: bool = False


DEMO_USERS = (
    DemoUser("hanako", "hanako-sells-2016", "はなこ", "seller / 出品者"),
    DemoUser("taro", "taro-buys-2016", "たろう", "buyer / 購入者"),
    DemoUser("support", "support-desk-2016", "furima サポート", "support staff / 事務局", True),
    DemoUser("jiro", "jiro-buys-2016", "じろう", "another buyer / 別の購入者"),
)

ON_SALE = (
    ("文庫本 まとめ売り 10冊", 1200, "ミステリー中心です。", "2-3"),
    ("ワイヤレスイヤホン 未使用", 4800, "箱あり。", "1-2"),
    ("子ども用 長靴 18cm", 900, "2回使用。", "4-7"),
    ("北欧風 マグカップ 2個セット", 1500, "", "2-3"),
    ("ボードゲーム カタン", 3300, "欠品なし。", "1-2"),
    ("レトロ 腕時計 (動作品)", 7800, "電池交換済み。", "4-7"),
)


def already_seeded() -> bool:
    return User.objects.filter(username=DEMO_USERS[0].username).exists()


def _at(moment):
    """Run the following steps as if it were `moment`."""
    return clock.use(clock.FixedClock(moment))


DEMO_ADDRESSES = {
    "taro": {
        "name": "山田 太郎",
        "postal_code": "150-0001",
        "prefecture": "13",
        "city": "渋谷区",
        "address_line1": "神宮前1-2-3",
        "address_line2": "フリマハイツ101",
        "phone": "090-1234-5678",
    },
    "jiro": {
        "name": "鈴木 次郎",
        "postal_code": "530-0001",
        "prefecture": "27",
        "city": "大阪市北区",
        "address_line1": "梅田1-1-1",
        "address_line2": "",
        "phone": "06-1234-5678",
    },
}
"""The demo buyers' address books (made-up addresses): each demo trade ships to the first."""


def _sold(seller, buyer, title, price, *, at, policy_id="furima", ship_within="2-3", **details):
    with _at(at):
        listing = listing_create(
            seller=seller, title=title, price=price, ship_within=ship_within, **details
        )
        address = buyer.addresses.order_by("id").first()
        return listing_purchase(
            listing_id=listing.pk,
            buyer=buyer,
            policy_id=policy_id,
            address_id=address.pk if address else None,
        )


def _act(trade, user, action, at, **fields):
    with _at(at):
        return trade_act(trade_id=trade.pk, user=user, action=action, **fields)


@transaction.atomic
def seed_demo() -> list[DemoUser]:
    """Create the demo data (once). Returns the users, to print their passwords."""
    if already_seeded():
        return list(DEMO_USERS)
    users = {
        u.username: user_create(
            username=u.username,
            password=u.password,
            display_name=u.display_name,
            email=f"{u.username}@example.test",
            is_staff=u.is_staff,
        )
        for u in DEMO_USERS
    }
    seller, buyer, other = users["hanako"], users["taro"], users["jiro"]
    for username, address in DEMO_ADDRESSES.items():
        address_create(user=users[username], **address)
    now = clock.now()
    day = timedelta(days=1)

    on_sale = [
        listing_create_with_photos(
            photos=[demo_photo(number), demo_photo(number + len(ON_SALE))],
            seller=seller,
            title=title,
            price=price,
            description=description,
            ship_within=ship_within,
        )
        for number, (title, price, description, ship_within) in enumerate(ON_SALE)
    ]
    # A question before buying, the seller's answer, and likes on the first item on sale.
    asked = on_sale[0].pk
    with _at(now - timedelta(hours=5)):
        comment_post(listing_id=asked, user=buyer, body="お値下げは可能でしょうか？")
    with _at(now - timedelta(hours=4)):
        comment_post(listing_id=asked, user=seller, body="100円までなら可能です。")
        for fan in (buyer, other):
            like_set(listing_id=asked, user=fan)

    # 1. Just bought: waiting for the seller to ship.
    _sold(seller, buyer, "ニット帽 グレー", 1800, at=now - timedelta(hours=2))

    # 2. Shipped two days ago by 宅急便, delivered yesterday: the buyer should rate.
    trade = _sold(
        seller, buyer, "キャンプ用 ランタン", 2600, at=now - 3 * day, shipping_method="takkyubin"
    )
    _act(trade, seller, "ship", now - 2 * day, tracking_number="1234-5678-9012")
    with _at(now - day):
        trade_act_as_platform(trade_id=trade.pk, actor="carrier", action="deliver")
    _act(
        trade,
        buyer,
        "message",
        now - day + timedelta(hours=1),
        text="届きました！これから確認します。",
    )

    # 3. The buyer rated: waiting for the seller's rating.
    trade = _sold(seller, other, "デジタルカメラ ストラップ", 700, at=now - 4 * day)
    _act(trade, seller, "ship", now - 3 * day)
    _act(trade, other, "rate", now - 2 * day, rating="good", comment="きれいな品物でした。")

    # 4. Completed.
    trade = _sold(seller, buyer, "ハンドメイド ピアス", 1100, at=now - 10 * day)
    _act(trade, seller, "ship", now - 9 * day)
    _act(trade, buyer, "rate", now - 8 * day, rating="good", comment="ありがとうございました")
    _act(trade, seller, "rate", now - 8 * day + timedelta(hours=3), rating="good")

    # 5. Cancelled by the seller before shipping (refunded).
    trade = _sold(seller, other, "古いゲーム機", 5200, at=now - 6 * day)
    _act(trade, seller, "cancel", now - 6 * day + timedelta(hours=5), reason="在庫切れのため")

    # 6. The seed's silent buyer, under the 2016 Rakuma rules: shipped 13 days ago, so the
    #    seller may ask the operator tomorrow ("+1 day"), and support rates 3 days later.
    trade = _sold(
        seller,
        buyer,
        "冬物コート (ラクマ2016ルール)",
        3000,
        at=now - 14 * day,
        policy_id="rakuma-2016",
        ship_within="1-2",
    )
    _act(trade, seller, "ship", now - 13 * day)
    _act(trade, seller, "message", now - 13 * day + timedelta(hours=23), text="本日発送しました。")

    # 7. The same silent buyer under furima: the engine rates receipt by itself.
    trade = _sold(seller, buyer, "冬物コート (furimaルール)", 3000, at=now - 7 * day)
    _act(trade, seller, "ship", now - 6 * day)

    # 8. 振込申請: hanako's bank account and a payout request waiting on the staff desk.
    bank_account_save(
        user=seller,
        bank_name="みずほ銀行",
        branch_name="渋谷支店",
        account_type="ordinary",
        number="1234567",
        holder_kana="ヤマダ ハナコ",
    )
    payout_request(user=seller, amount=1000)
    return list(DEMO_USERS)
