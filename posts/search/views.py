from django.conf import settings
from django.core.paginator import Paginator
from django.views import generic

from . import search
from .forms import SearchForm


class SearchView(generic.TemplateView):
    """/search/?q=…: a page of ranked results. A bad query gets the form back with a 400."""

    template_name = "posts/search.html"

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET)
        context = {"form": form}
        if not form.is_valid():
            return self.render_to_response(context, status=400)
        query = form.cleaned_data["q"]
        if query:
            results = search(query, category=form.cleaned_data["category"],
                             year=form.cleaned_data["year"], kind=form.cleaned_data["kind"])
            number, per_page = form.cleaned_data["page"] or 1, settings.POSTS_PER_PAGE
            # Reading the asked-for page first counts the matches in the same query.
            results[(number - 1) * per_page:number * per_page]
            page = Paginator(results, per_page).get_page(number)
            context.update(query=query, page_obj=page, hits=page.object_list,
                           capped=results.capped)
        return self.render_to_response(context)
