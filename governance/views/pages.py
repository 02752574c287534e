"""Pages of a list: `paginate(request, rows)` for every list screen, shown by `templates/_pagination.html`.

Whatever `?page=` holds (text, a negative number, a number past the end, thousands of digits), the
answer is a page: the first for what is not a number, the last for what lies past the end; never a 500.
One COUNT and one page of rows, whatever the list's length."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

WINDOW = 2  # page numbers shown on each side of the current one


def page_number(value) -> int:
    """`?page=` as a page number: 1 for anything that is not a plain positive number; a number too
    long to be a page is past the end (the paginator answers the last page)."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    return 10**9 if len(text) > 9 else max(int(text), 1)


def decorate(page: Page, query) -> Page:
    """Give `page` what the partial shows: a window of page numbers, and the rest of the query string."""
    last = page.paginator.num_pages
    page.window = range(max(1, page.number - WINDOW), min(last, page.number + WINDOW) + 1)
    params = query.copy()
    params.pop("page", None)
    page.query = params.urlencode()
    page.total = page.paginator.count  # what "共 N 条" says (search: every section's hits together)
    return page


def paginate(request, rows, per_page: int = 50) -> Page:
    """The page of `rows` asked for by `?page=` (ordered rows: a queryset with `order_by`, or a list)."""
    paginator = Paginator(rows, per_page)
    return decorate(paginator.get_page(page_number(request.GET.get("page"))), request.GET)
