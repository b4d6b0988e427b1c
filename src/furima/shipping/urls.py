from django.urls import path

from furima.shipping import views

app_name = "shipping"
urlpatterns = [
    path("", views.address_list, name="addresses"),
    path("new/", views.address_new, name="address_new"),
    path("<int:address_id>/edit/", views.address_edit, name="address_edit"),
    path("<int:address_id>/delete/", views.address_delete_view, name="address_delete"),
]
