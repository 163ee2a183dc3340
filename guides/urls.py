from django.urls import path

from guides import views

app_name = "guides"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("callers/", views.caller_list, name="callers"),
    path("callers/new/", views.caller_new, name="caller_new"),
    path("callers/<int:pk>/", views.call, name="call"),
    path("callers/<int:pk>/needs/", views.caller_update, name="caller_update"),
    path("callers/<int:pk>/screening/", views.caller_screen, name="caller_screen"),
    path("callers/<int:pk>/danger/", views.caller_danger, name="caller_danger"),
    path("callers/<int:pk>/shortlist/", views.shortlist_add, name="shortlist_add"),
    path("callers/<int:pk>/report-back/", views.report_back, name="report_back"),
    path("callers/<int:pk>/send-list/", views.send_list, name="send_list"),
    path(
        "callers/<int:pk>/referrals/<int:referral_pk>/",
        views.referral_update,
        name="referral_update",
    ),
    path("callers/<int:pk>/export/", views.caller_export, name="caller_export"),
    path("callers/<int:pk>/erase/", views.caller_erase, name="caller_erase"),
]
