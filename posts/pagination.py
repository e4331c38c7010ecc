"""
Pages of posts that stay cheap however deep a reader goes.

The count is cached per content generation, so a list costs no COUNT(*) once warm; and a page in
the back half of a list is read from the other end, so the last page of 100,000 posts skips a
handful of rows instead of the whole table.
"""

from django.core.paginator import Page, Paginator
from django.utils.functional import SimpleLazyObject, cached_property

from archive_site import generations

from .models import this_minute

# Scheduled posts fall due without any change to content; a count is kept only this long.
COUNT_TIMEOUT = 5 * 60


class ArchivePaginator(Paginator):
    """`list_key` names the list (its view and arguments, as a string): counts are cached under
    it."""

    def __init__(self, object_list, per_page, *, list_key, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.list_key = list_key
        # What is cached of a list holds for the minute published() asked about.
        self.minute = this_minute().isoformat()

    @cached_property
    def count(self):
        return generations.cached("content", "count", self.list_key, self.minute,
                                  build=lambda: super(ArchivePaginator, self).count,
                                  timeout=COUNT_TIMEOUT)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count // 2:
            # Read from the far end: skip (count - top) rows rather than `bottom`. Like a slice
            # of the queryset, read only if the page's rows are looked at.
            far_end = self.object_list.reverse()[self.count - top:self.count - bottom]
            return Page(SimpleLazyObject(lambda: list(far_end)[::-1]), number, self)
        return self._get_page(self.object_list[bottom:top], number, self)
