"""A second, plain connection to the test database's server, beside Django's own."""

import psycopg
from django.db import connection


def server_connect(dbname: str | None = None) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=dbname or settings["NAME"],
        autocommit=True,
    )
