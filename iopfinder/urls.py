from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from corrections import views as corrections_views
from iopfinder import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "admin/queue/",
        admin.site.admin_view(corrections_views.curator_queue),
        name="curator_queue",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", views.StaffLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("guides/", include("guides.urls")),
    path("", include("programs.urls")),
    path("", include("corrections.urls")),
    path("", include("corrections.update_urls")),
    path("", include("intake.urls")),
]

handler500 = "iopfinder.views.server_error"
