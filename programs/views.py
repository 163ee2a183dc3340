from django.shortcuts import render
from django.views.decorators.http import require_GET

from programs import search_ui, selectors

RESULTS_PER_PAGE = 20


@require_GET
def program_list(request):
    result = selectors.program_search(params=request.GET)
    page = result.paginate(request.GET.get("page"), RESULTS_PER_PAGE)
    groups = search_ui.filter_groups(result, request.GET)
    chips = search_ui.active_filters(result, request.GET)
    return render(
        request,
        "programs/program_list.html",
        {
            "result": result,
            "form": result.form,
            "fields": search_ui.form_fields_html(result.form),
            "page": page,
            "cards_html": search_ui.cards_html(
                search_ui.result_cards(page, near=result.params.get("near", ""))
            ),
            "groups": groups,
            "radius_html": search_ui.radius_html(
                result.form, search_ui.radius_choices(request.GET)
            ),
            "sort_options_html": search_ui.sort_options_html(result.form),
            "accepting_count_html": search_ui.accepting_count_html(result),
            "chips": chips,
            "chips_html": search_ui.chips_html(chips),
            "suggestions": search_ui.loosen_suggestions(result, request.GET)
            if result.is_valid and not result.count
            else [],
        },
    )
