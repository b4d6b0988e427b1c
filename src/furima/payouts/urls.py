from django.urls import path

from furima.payouts import views

app_name = "payouts"
urlpatterns = [
    path("bank/", views.bank_account, name="bank_account"),
    path("request/", views.payout_request_view, name="request"),
]
