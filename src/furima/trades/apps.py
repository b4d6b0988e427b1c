from django.apps import AppConfig


class TradesConfig(AppConfig):
    name = "furima.trades"
    label = "trades"
    verbose_name = "Trades"

    def ready(self) -> None:
        from furima import clock
        from furima.trades.selectors import clock_shift_stored

        clock.read_demo_shift_with(clock_shift_stored)
