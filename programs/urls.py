from django.urls import path

from programs import api, views, views_pages

app_name = "programs"

urlpatterns = [
    path("programs/", views.program_list, name="list"),
    path("programs/<int:pk>/", views_pages.program_detail, name="detail"),
    path("shortlist/", views_pages.shortlist_page, name="shortlist"),
    path("shortlist/add/", views_pages.shortlist_add, name="shortlist_add"),
    path("shortlist/remove/", views_pages.shortlist_remove, name="shortlist_remove"),
    path("compare/", views_pages.compare, name="compare"),
    path("about/data/", views.about_data, name="about_data"),
    path("api/programs/", api.program_list, name="api_list"),
    path("api/programs/<int:pk>/", api.program_detail, name="api_detail"),
    path("api/schema/", api.schema, name="api_schema"),
]
