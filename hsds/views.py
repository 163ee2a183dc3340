"""The HSDS 3.0 read API (hsds/schemas/openapi.json) and the bulk downloads: JSON only,
reads in hsds/selectors.py, records in hsds/mapping.py."""

from django.http import FileResponse, HttpResponse, JsonResponse
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from hsds import downloads, filters, mapping, selectors
from hsds import taxonomy as tx


def _errors(errors: dict, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def _not_found(kind: str) -> JsonResponse:
    return _errors({"id": [f"No published {kind} has this id."]}, status=404)


@require_GET
def root(request):
    return JsonResponse(
        {
            "version": mapping.HSDS_VERSION,
            "profile": mapping.PROFILE_URL,
            "openapi_url": mapping.OPENAPI_URL,
        }
    )


def _services(request, forms: dict, *, site: bool = False):
    """A page of services in the form asked for: `forms` maps "full", "minimal" and "list"
    to the mapping's record of each."""
    query = filters.service_query(request.GET)
    query.minimal = query.minimal and "minimal" in forms
    found = selectors.find_services(query, site=site)
    if found.errors:
        return _errors(found.errors)
    record = forms["full" if query.full else "minimal" if query.minimal else "list"]
    return JsonResponse(found.page.as_json([record(program) for program in found.page.items]))


@require_GET
def service_list(request):
    return _services(
        request,
        {
            "full": mapping.service,
            "minimal": mapping.service_minimal,
            "list": mapping.service_summary,
        },
    )


@require_GET
def service_detail(request, hsds_id):
    program = selectors.service(hsds_id)
    if program is None:
        return _not_found("service")
    return JsonResponse(mapping.service(program))


@require_GET
def service_at_location_list(request):
    return _services(
        request,
        {
            "full": mapping.service_at_location_full,
            "list": mapping.service_at_location_summary,
        },
        site=True,
    )


@require_GET
def service_at_location_detail(request, hsds_id):
    program = selectors.service_at_location(hsds_id)
    if program is None:
        return _not_found("service_at_location")
    # The OpenAPI gives this endpoint the compiled service schema: the service, whole.
    return JsonResponse(mapping.service(program))


@require_GET
def organization_list(request):
    query = filters.paging(request.GET, filters.HsdsQuery())
    if not query.is_valid:
        return _errors(query.errors)
    page = selectors.find_organizations(
        search=request.GET.get("search", ""), page=query.page, per_page=query.per_page
    )
    return JsonResponse(page.as_json([mapping.organization(p) for p in page.items]))


@require_GET
def organization_detail(request, hsds_id):
    full_service = filters.true(request.GET.get("full_service"))
    found = selectors.organization(hsds_id, full_service=full_service)
    if found is None:
        return _not_found("organization")
    record = mapping.service if full_service else mapping.service_summary
    return JsonResponse(
        mapping.organization_full(
            found.provider,
            sites=found.sites,
            services=[record(program) for program in found.programs],
        )
    )


def _paged(request, items: list, record):
    query = filters.paging(request.GET, filters.HsdsQuery())
    if not query.is_valid:
        return _errors(query.errors)
    offset = (query.page - 1) * query.per_page
    page = selectors.Page(
        items[offset : offset + query.per_page], len(items), query.page, query.per_page
    )
    return JsonResponse(page.as_json([record(item) for item in page.items]))


def _matches(words: str, *texts: str) -> bool:
    return not words or any(words.lower() in text.lower() for text in texts)


@require_GET
def taxonomy_list(request):
    words = request.GET.get("search", "")
    taxonomies = [t for t in tx.TAXONOMIES.values() if _matches(words, t.name, t.description)]
    return _paged(request, taxonomies, tx.taxonomy_json)


@require_GET
def taxonomy_detail(request, hsds_id):
    for taxonomy in tx.TAXONOMIES.values():
        if taxonomy.id == hsds_id:
            return JsonResponse(tx.taxonomy_json(taxonomy))
    return _not_found("taxonomy")


@require_GET
def taxonomy_term_list(request):
    words = request.GET.get("search", "")
    taxonomy_id = request.GET.get("taxonomy_id")
    # The vocabularies are flat: every term is a top term, none has a parent.
    if request.GET.get("parent_id"):
        terms = []
    else:
        terms = [
            (taxonomy, slug)
            for (taxonomy, slug) in tx.term_by_id().values()
            if (not taxonomy_id or taxonomy.id == taxonomy_id)
            and _matches(words, slug, taxonomy.terms[slug])
        ]
    return _paged(request, terms, lambda term: tx.term_json(*term))


@require_GET
def taxonomy_term_detail(request, hsds_id):
    term = tx.term_by_id().get(hsds_id)
    if term is None:
        return _not_found("taxonomy_term")
    return JsonResponse(tx.term_json(*term))


@require_GET
def download(request, kind):
    """The whole published catalogue (hsds/downloads.py: the last file built, with how
    current it is), or with `modified_after` only the services that changed since."""
    if kind not in downloads.KINDS:
        return _errors({"format": ["json or zip."]}, status=404)
    if request.GET.get("modified_after"):
        moment = filters.moment(request.GET["modified_after"])
        if moment is None:
            return _errors({"modified_after": ["A date-time, like 2026-11-20T00:00:00Z."]})
        content = downloads.build(kind, modified_after=moment)
        response = HttpResponse(content, content_type=downloads.CONTENT_TYPES[kind])
    else:
        found = downloads.download(kind)
        if found is None:
            response = _errors(
                {"download": ["The catalogue's file is being prepared; try again shortly."]},
                status=503,
            )
            response["Retry-After"] = str(downloads.RETRY_AFTER_SECONDS)
            return response
        response = FileResponse(found.path.open("rb"), content_type=downloads.CONTENT_TYPES[kind])
        response["Last-Modified"] = http_date(found.built_at)
        # Whether the file holds the catalogue as it is now, or an older state while the
        # newer file is built.
        response["X-Catalogue-Current"] = "true" if found.current else "false"
    response["Content-Disposition"] = f'attachment; filename="{downloads.KINDS[kind]}"'
    return response
