from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("screening/", views.screening, name="screening"),
    path("api/screening/questions", views.api_questions, name="api_questions"),
    path("api/screening/", views.api_screening, name="api_screening"),
]
