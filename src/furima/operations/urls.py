from django.urls import path

from furima.operations.health import HealthView
from furima.operations.metrics import metrics_view

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("metrics", metrics_view, name="metrics"),
]
