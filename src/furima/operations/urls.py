from django.urls import path

from furima.operations.health import health_view
from furima.operations.metrics import metrics_view

urlpatterns = [
    path("health/", health_view, name="health"),
    path("metrics", metrics_view, name="metrics"),
]
