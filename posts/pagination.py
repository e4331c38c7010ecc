"""
Pages of posts that stay cheap however deep a reader goes.

The count is cached per content generation, so a list costs no COUNT(*) once warm; and a page in
the back half of a list is read from the other end, so the last page of 100,000 posts skips a
handful of rows instead of the whole table.
"""

import hashlib

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from archive_site import generations

# Scheduled posts fall due without any change to content; a count is kept only this long.
COUNT_TIMEOUT = 5 * 60


class ArchivePaginator(Paginator):
    @cached_property
    def count(self):
        sql, params = self.object_list.query.sql_with_params()
        digest = hashlib.sha256(f"{sql}{params}".encode()).hexdigest()
        return generations.cached("content", "count", digest,
                                  build=lambda: super(ArchivePaginator, self).count,
                                  timeout=COUNT_TIMEOUT)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count // 2:
            # Read from the far end: skip (count - top) rows rather than `bottom`.
            rows = list(self.object_list.reverse()[self.count - top:self.count - bottom])
            rows.reverse()
            return Page(rows, number, self)
        return self._get_page(self.object_list[bottom:top], number, self)
