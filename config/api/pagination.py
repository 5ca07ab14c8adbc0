from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Stable pages over large, growing lists; a view with another order sets ``ordering``."""

    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
