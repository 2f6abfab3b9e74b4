"""WSGI entry point of the installed package: ``flask --app exchange.wsgi`` and gunicorn."""

from . import create_app

app = create_app()
