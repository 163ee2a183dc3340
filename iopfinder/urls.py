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
    path("api/hsds/", include("hsds.urls")),
    path("", include("programs.urls")),
    path("", include("corrections.urls")),
    path("", include("corrections.update_urls")),
    path("", include("intake.urls")),
]

# JSON under /api/, the pages' own error pages elsewhere.
handler400 = "iopfinder.api_errors.bad_request"
handler404 = "iopfinder.api_errors.not_found"
handler500 = "iopfinder.api_errors.server_error"
