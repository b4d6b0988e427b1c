from django.urls import path

from furima.trades import views

app_name = "trades"
urlpatterns = [
    path("<int:trade_id>/", views.detail, name="detail"),
    path("<int:trade_id>/act/", views.act, name="act"),
]
