"""The help centre and inquiries, at /help/ (public; /contact/ leads to the form)."""

from django.urls import path

from furima.support import views

app_name = "help"
urlpatterns = [
    path("", views.help_index, name="index"),
    path("articles/<slug:slug>/", views.help_article, name="article"),
    path("contact/", views.inquiry_new, name="contact"),
    path("verify/<str:token>/", views.inquiry_verify_view, name="verify"),
    path("inquiries/", views.inquiry_list, name="inquiries"),
    path("inquiries/<int:inquiry_id>/", views.inquiry_detail, name="inquiry"),
    path("inquiries/<int:inquiry_id>/reply/", views.inquiry_reply_view, name="reply"),
]
