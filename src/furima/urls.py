from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from furima.api import urls as api_urls
from furima.trades import views_purchase
from furima.web import media as media_views
from furima.web import mypage
from furima.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("items/", include("furima.market.urls")),
    path("items/<int:listing_id>/buy/", views_purchase.buy, name="purchase"),
    path("trades/", include("furima.trades.urls")),
    path("accounts/addresses/", include("furima.shipping.urls")),
    path("accounts/", include("furima.web.account_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("mypage/", mypage.mypage, name="mypage"),
    path("mypage/notifications/", include("furima.notify.urls")),
    path("mypage/payouts/", include("furima.payouts.urls")),
    path("support/", include("furima.support.urls")),
    path("help/", include("furima.support.help_urls")),
    path("contact/", RedirectView.as_view(pattern_name="help:contact", query_string=True)),
    path("demo/clock/", web_views.demo_clock_forward, name="demo_clock"),
    path("policies/<str:policy_id>/", web_views.policy_page, name="policy_page"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_urls.api.urls),
    path("admin/", admin.site.urls),
    path("", include("furima.operations.urls")),  # /health/, /metrics
]

if settings.FURIMA_SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_views.media, name="media")
    )
