"""How fast the search answers over 100,000 listings on PostgreSQL (target: p99 ≤ 50 ms).

    .venv/bin/python bench/search.py                       # 100,000 listings
    .venv/bin/python bench/search.py --listings 20000      # a quick run

Uses its own PostgreSQL database (default `furima_search_bench` on 127.0.0.1, dropped and
created afresh; override with --database-url). Steps:

1. Migrate (which creates pg_trgm and the trigram index) and seed N listings with Japanese
   titles and descriptions drawn from a fixed vocabulary (seeded random: the same data every
   run), 10% sold and 3% withdrawn, then ANALYZE.
2. Run a mix of searches the way the search page does — `ListingSearch` → `listings_search`
   → one keyset page of 24 (`furima.pagination.keyset_page`), photos prefetched — through
   the ORM, each kind `--runs` times: common and rare words, a word inside a longer one, two
   words, a 1-character word (the icontains fallback), a word that matches nothing, filters,
   and the price sorts. Prints p50/p99 per kind and over all.
3. References measured in the same run: a primary-key lookup through the same ORM (the
   cheapest query there is), and the same keyword search with index scans switched off (what
   every search would cost without the trigram index); prints the ratios.
4. EXPLAIN ANALYZE of a keyword search: the plan must use `listing_text_trgm_idx`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sweeper import recreate_database, setup_django  # the benchmarks' shared database set-up

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/furima_search_bench"
SEED = 20261201
PAGE = 24

NOUNS = [
    "ワイヤレスイヤホン", "イヤホン", "ヘッドホン", "スピーカー", "スマートフォン", "タブレット",
    "ノートパソコン", "ミラーレスカメラ", "レンズ", "腕時計", "スマートウォッチ", "ゲーム機",
    "コントローラー", "ソフト", "文庫本", "単行本", "漫画", "絵本", "参考書", "雑誌", "CD",
    "レコード", "ワンピース", "スカート", "ブラウス", "ニット", "カーディガン", "コート",
    "ジャケット", "デニム", "スニーカー", "パンプス", "ブーツ", "サンダル", "ショルダーバッグ",
    "トートバッグ", "リュック", "財布", "ネックレス", "ピアス", "指輪", "ベビーカー",
    "抱っこ紐", "子ども服", "おもちゃ", "ぬいぐるみ", "ブロック", "マグカップ", "食器",
    "フライパン", "炊飯器", "電子レンジ", "掃除機", "加湿器", "照明", "カーテン", "ラグ",
    "テント", "寝袋", "ランタン", "釣り竿", "ゴルフクラブ", "ヨガマット", "自転車",
]  # fmt: skip
MODIFIERS = [
    "新品", "未使用", "美品", "中古", "ジャンク", "限定", "人気", "レア", "ヴィンテージ",
    "ノイズキャンセリング", "Bluetooth", "防水", "軽量", "大容量", "北欧風", "花柄", "ボーダー",
    "白", "黒", "ネイビー", "ベージュ", "Sサイズ", "Mサイズ", "Lサイズ", "24cm", "セット",
    "まとめ売り", "箱付き", "送料込み", "即購入OK",
]  # fmt: skip
BRANDS = [
    "Sony", "Apple", "Nintendo", "Canon", "Nikon", "Panasonic", "UNIQLO", "無印良品", "ユニクロ",
    "ナイキ", "アディダス", "シャネル", "コーチ", "ニトリ", "スノーピーク", "ダイソン", "",
    "", "", "",
]  # fmt: skip
PHRASES = [
    "数回使用しました。", "目立った傷や汚れはありません。", "箱と説明書が付属します。",
    "ペットや喫煙者はいません。", "素人保管のためご理解のある方にお願いします。",
    "動作確認済みです。", "付属品は写真に写っているものが全てです。", "即購入歓迎です。",
    "値下げ交渉はご遠慮ください。", "丁寧に梱包して発送します。", "小さな擦れがあります。",
    "引っ越しのため出品します。", "サイズが合わなくなりました。", "プレゼントにもどうぞ。",
    "定価より大幅にお安くしています。", "写真の色味は実物と多少異なります。",
]  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=150, help="timed runs per search kind")
    parser.add_argument("--database-url", default=os.environ.get("FURIMA_BENCH_URL", DEFAULT_URL))
    return parser.parse_args()


def seed(count: int) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection

    from furima import clock
    from furima.accounts.models import User
    from furima.market.catalog import Condition, catalog
    from furima.market.models import Listing

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    sellers = User.objects.bulk_create(User(username=f"seller{n}") for n in range(500))
    leaves = list(catalog().categories)
    conditions = list(Condition.values)
    start = clock.now() - timedelta(days=365)
    batch = []
    for n in range(count):
        words = [rng.choice(BRANDS), rng.choice(MODIFIERS), rng.choice(NOUNS)]
        if rng.random() < 0.4:
            words.append(rng.choice(MODIFIERS))
        title = " ".join(w for w in words if w)[:80]
        at = start + timedelta(seconds=n * 300 + rng.randrange(300))
        status = rng.choices(["on_sale", "sold", "withdrawn"], [87, 10, 3])[0]
        batch.append(
            Listing(
                seller=rng.choice(sellers),
                title=title,
                description="".join(rng.sample(PHRASES, rng.randint(2, 5))),
                price=rng.choice([300, 500, 800, 1000, 1500, 2000, 3000, 5000, 8000, 12000])
                + rng.randrange(0, 100) * 10,
                category=rng.choice(leaves),
                condition=rng.choice(conditions),
                status=status,
                created_at=at,
                updated_at=at,
            )
        )
        if len(batch) == 5000:
            Listing.objects.bulk_create(batch)
            batch.clear()
    Listing.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would: every table's statistics


SEARCHES = {
    "common word (イヤホン, also inside ワイヤレスイヤホン)": {"query": "イヤホン"},
    "rare word (ヴィンテージ ブーツ)": {"query": "ヴィンテージ ブーツ"},
    "two words (Sony ヘッドホン)": {"query": "Sony ヘッドホン"},
    "word in descriptions (動作確認済み)": {"query": "動作確認済み"},
    "1-character word (本: icontains fallback)": {"query": "本"},
    "no match (存在しない商品)": {"query": "存在しない商品"},
    "word + category + price range": {
        "query": "イヤホン",
        "category": "electronics",
        "price_min": 1000,
        "price_max": 6000,
    },
    "word, sold only, cheapest first": {
        "query": "スニーカー",
        "status": "sold",
        "sort": "price_asc",
    },
    "no word, on sale, dearest first": {"status": "on_sale", "sort": "price_desc"},
    "no word, condition, newest first": {"condition": "new"},
}


def timed(fn, runs: int) -> list[float]:
    fn()  # warm: plans cached, pages in memory
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def search_sql(params: dict):
    """The same page's SQL alone, run on the raw cursor: the database's share of the time."""
    from django.db import connection

    from furima.market.search import ListingSearch, listings_search

    search = ListingSearch(**params)
    queryset = listings_search(search).order_by(*search.ordering)[: PAGE + 1]
    sql, sql_params = queryset.query.sql_with_params()

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, sql_params)
            return cursor.fetchall()

    return run


def search_page(params: dict):
    from furima.market.search import ListingSearch, listings_search
    from furima.pagination import keyset_page

    search = ListingSearch(**params)

    def run():
        return keyset_page(listings_search(search), ordering=search.ordering, limit=PAGE).items

    return run


def main() -> int:
    args = parse_args()
    recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.db import connection, transaction

    from furima.market.models import Listing
    from furima.market.search import ListingSearch, listings_search

    started = time.perf_counter()
    seed(args.listings)
    print(f"seeded {Listing.objects.count():,} listings in {time.perf_counter() - started:.0f} s")

    print(f"load average before the searches: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    everything: list[float] = []
    sql_only: list[float] = []
    header = (
        f"{'search':54} {'hits':>7} {'page p50':>9} {'page p99':>9} {'SQL p50':>8} {'SQL p99':>8}"
    )
    print(
        f"\n{header}\n(page: a page of 24 through the ORM, photos prefetched; SQL: its query; ms)"
    )
    for name, params in SEARCHES.items():
        times = timed(search_page(params), args.runs)
        raw = timed(search_sql(params), args.runs)
        everything += times
        sql_only += raw
        hits = listings_search(ListingSearch(**params)).count()
        print(
            f"{name:54} {hits:>7,} {statistics.median(times):>9.2f} {p99(times):>9.2f}"
            f" {statistics.median(raw):>8.2f} {p99(raw):>8.2f}"
        )
    overall = p99(everything)
    print(
        f"{'all searches':54} {'':>7} {statistics.median(everything):>9.2f} {overall:>9.2f}"
        f" {statistics.median(sql_only):>8.2f} {p99(sql_only):>8.2f}"
    )

    ids = list(Listing.objects.values_list("pk", flat=True))
    rng = random.Random(SEED)
    pk = timed(lambda: Listing.objects.get(pk=rng.choice(ids)), args.runs * 3)
    keyword = search_page({"query": "ヴィンテージ ブーツ"})

    def without_index():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            keyword()

    scan = timed(without_index, max(10, args.runs // 10))
    with_index = timed(keyword, args.runs)
    print("\nreferences, same run (ms):")
    rows = [
        ("primary-key lookup (ORM)", pk),
        ("rare-word search page, trigram index", with_index),
        ("rare-word search page, index scans off", scan),
    ]
    for label, values in rows:
        print(f"  {label:40} p50 {statistics.median(values):8.2f}  p99 {p99(values):8.2f}")
    print(f"  all searches' page p99 / primary-key p99: {overall / p99(pk):.1f} x")
    slow, fast = statistics.median(scan), statistics.median(with_index)
    print(f"  index scans off / trigram index (p50): {slow / fast:.1f} x")

    query = ListingSearch(query="ヴィンテージ ブーツ")
    sql, params = listings_search(query).order_by(*query.ordering)[:PAGE].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print("\nEXPLAIN ANALYZE, rare-word search:\n" + plan)
    used = "listing_text_trgm_idx" in plan
    print(f"\ntrigram index used: {'yes' if used else 'NO'}")
    target = overall <= 50
    verdict = "met" if target else "MISSED"
    print(f"target p99 <= 50 ms over {args.listings:,} listings: {verdict} ({overall:.1f} ms)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0 if used and target else 1


if __name__ == "__main__":
    sys.exit(main())
