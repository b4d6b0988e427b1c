from django.urls import path

from furima.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("users/<str:username>/", views.profile, name="profile"),
]
