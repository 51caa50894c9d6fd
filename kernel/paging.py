"""Paging for list pages: the page asked for, and the links of the GOV.UK pagination component
(``schools/_pagination.html``)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_number(request: HttpRequest) -> int:
    """The ``page`` asked for, at least 1 (1 when it is not a number)."""
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


class CountedPaginator(Paginator):
    """A paginator told how many items there are (a count stored when they were written), so
    paging runs no ``COUNT`` over the list. A page is always a full slice of the list: should
    the stored count fall behind, the total shown is off but no item is left out of a page."""

    def __init__(self, object_list, per_page, *, count: int, **options):
        super().__init__(object_list, per_page, **options)
        self.__dict__["count"] = count  # Paginator.count is a cached_property

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def page_links(page: Page, query: Callable[..., str]) -> dict:
    """Links to the pages around this one; ``query(page=n)`` gives the query string of page n
    with the list's filters and sort kept."""

    def href(number: int) -> str:
        return "?" + query(page=number)

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    items = [
        {"ellipsis": True}
        if number == Paginator.ELLIPSIS
        else {"number": number, "href": href(number), "current": number == page.number}
        for number in numbers
    ]
    return {
        "items": items if page.paginator.num_pages > 1 else [],
        "previous": href(page.previous_page_number()) if page.has_previous() else None,
        "next": href(page.next_page_number()) if page.has_next() else None,
    }
