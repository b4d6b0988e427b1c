from django.urls import path

from furima.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("read/", views.mark_read, name="mark_read"),
    path("read/<int:notice_id>/", views.mark_one_read, name="mark_one_read"),
    path("read/step/<int:event_id>/", views.mark_step_read, name="mark_step_read"),
]
