"""The NinjaAPI object and its URL patterns."""

from ninja import NinjaAPI

from furima.api import engine, errors
from furima.api.auth import AUTH
from furima.api.parser import JsonParser
from furima.market.api import router as market_router
from furima.market.api_social import router as market_social_router
from furima.payouts.api import router as payouts_router
from furima.shipping.api import router as shipping_router
from furima.support.api import router as support_router
from furima.trades.api import router as trades_router
from furima.trades.api_purchase import router as purchase_router

api = NinjaAPI(
    title="furima API",
    version="1",
    description="Trades, deadlines and actions of the furima trade engine (CONTRACT.md).",
    urls_namespace="api-v1",
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=JsonParser(),
)
errors.install(api)
api.add_router("/", engine.router)
api.add_router("/", market_router)
api.add_router("/", market_social_router)
api.add_router("/", purchase_router)
api.add_router("/", trades_router)
api.add_router("/", support_router)
api.add_router("/", payouts_router)
api.add_router("/", shipping_router)
