from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import Category, Post
from .query import is_searchable


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=settings.SEARCH_MAX_QUERY_LENGTH,
                        required=False)
    category = forms.ModelChoiceField(
        Category.objects.all(), to_field_name="slug", required=False, empty_label=_("Any category")
    )
    year = forms.IntegerField(min_value=1, max_value=9999, required=False)
    kind = forms.ChoiceField(
        choices=[("", _("Posts and pages")), *Post.Kind.choices], required=False
    )
    page = forms.IntegerField(min_value=1, required=False)

    def clean_q(self):
        text = self.cleaned_data["q"]
        if text and not is_searchable(text):
            raise forms.ValidationError(
                _("Add at least one word to look for; a search cannot be only exclusions.")
            )
        return text
