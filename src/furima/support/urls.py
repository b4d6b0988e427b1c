"""The staff desk, at /support/ (staff only; 404 for everyone else)."""

from django.urls import path

from furima.support import desk, desk_payouts

app_name = "support"
urlpatterns = [
    path("", desk.desk, name="desk"),
    path("trades/<int:trade_id>/", desk.desk_trade, name="trade"),
    path("trades/<int:trade_id>/act/", desk.desk_trade_act, name="trade_act"),
    path("trades/<int:trade_id>/message/", desk.desk_trade_message, name="trade_message"),
    path("trades/<int:trade_id>/address/", desk.desk_trade_address, name="trade_address"),
    path("address-log/", desk.desk_address_log, name="address_log"),
    path("trades/<int:trade_id>/retry-timer/", desk.desk_timer_retry, name="timer_retry"),
    path("inquiries/<int:inquiry_id>/", desk.desk_inquiry, name="inquiry"),
    path("inquiries/<int:inquiry_id>/reply/", desk.desk_inquiry_reply, name="inquiry_reply"),
    path("inquiries/<int:inquiry_id>/status/", desk.desk_inquiry_status, name="inquiry_status"),
    path("simulate/", desk.simulation, name="simulation"),
    path("payouts/", desk_payouts.payouts, name="payouts"),
    path("payouts/<int:payout_id>/paid/", desk_payouts.payout_paid, name="payout_paid"),
    path("payouts/<int:payout_id>/reject/", desk_payouts.payout_rejected, name="payout_reject"),
]
