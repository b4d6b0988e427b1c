from django.urls import path

from furima.market import views

app_name = "market"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("new/", views.create, name="create"),
    path("fee/", views.fee, name="fee_preview"),
    path("<int:listing_id>/", views.detail, name="detail"),
    path("<int:listing_id>/edit/", views.edit, name="edit"),
    path("<int:listing_id>/buy/", views.buy, name="buy"),
]
