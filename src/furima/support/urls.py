from django.urls import path

from furima.support import views

app_name = "support"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("simulate/", views.simulation, name="simulation"),
]
