from django.urls import path

from corrections import update_views

app_name = "listing_updates"

urlpatterns = [
    path("programs/<int:pk>/update/", update_views.update_listing, name="form"),
    path("programs/<int:pk>/update/sent/", update_views.update_sent, name="sent"),
    path("programs/updates/confirm/<str:token>/", update_views.confirm_update, name="confirm"),
]
