from django.urls import path

from furima.market import views, views_social

app_name = "market"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("new/", views.create, name="create"),
    path("fee/", views.fee, name="fee_preview"),
    path("<int:listing_id>/", views.detail, name="detail"),
    path("<int:listing_id>/edit/", views.edit, name="edit"),
    path("<int:listing_id>/photos/<int:photo_id>/cover/", views.photo_cover, name="photo_cover"),
    path("<int:listing_id>/comments/", views_social.comment_new, name="comment_new"),
    path(
        "<int:listing_id>/comments/<int:comment_id>/delete/",
        views_social.comment_remove,
        name="comment_delete",
    ),
    path("<int:listing_id>/like/", views_social.like, name="like"),
    path("liked/", views_social.liked_list, name="liked"),
]
