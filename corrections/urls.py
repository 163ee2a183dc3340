from django.urls import path

from corrections import views

app_name = "corrections"

urlpatterns = [
    # Under the program's own address, where the report form has always posted.
    path("programs/<int:pk>/report/", views.report_correction, name="report"),
]
