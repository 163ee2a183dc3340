from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from iopfinder import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("guides/", include("guides.urls")),
    path("", include("programs.urls")),
    path("", include("intake.urls")),
]

handler500 = "iopfinder.views.server_error"
