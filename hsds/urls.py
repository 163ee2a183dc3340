from django.urls import path

from hsds import views

app_name = "hsds"

urlpatterns = [
    path("", views.root, name="root"),
    path("services", views.service_list, name="services"),
    path("services/<str:hsds_id>", views.service_detail, name="service"),
    path("organizations", views.organization_list, name="organizations"),
    path("organizations/<str:hsds_id>", views.organization_detail, name="organization"),
    path("service_at_locations", views.service_at_location_list, name="service_at_locations"),
    path(
        "service_at_locations/<str:hsds_id>",
        views.service_at_location_detail,
        name="service_at_location",
    ),
    path("taxonomies", views.taxonomy_list, name="taxonomies"),
    path("taxonomies/<str:hsds_id>", views.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_term_list, name="taxonomy_terms"),
    path("taxonomy_terms/<str:hsds_id>", views.taxonomy_term_detail, name="taxonomy_term"),
    path("download/hsds.<str:kind>", views.download, name="download"),
]
