from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from programs import about, search_page, selectors

RESULTS_PER_PAGE = 20


@require_GET
def program_list(request):
    near = search_page.near_instead_of_words(request.GET)
    if near:
        return redirect(near)
    result = selectors.program_search(params=request.GET)
    page = result.paginate(request.GET.get("page"), RESULTS_PER_PAGE)
    return render(
        request,
        "programs/program_list.html",
        {"form": result.form, **search_page.drawn(result, page, request)},
    )


@require_GET
def about_data(request):
    """About our data: where the listings come from and how recently they were checked."""
    return render(request, "about/data.html", {"figures": about.data_figures()})
