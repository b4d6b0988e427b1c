"""`furima serve` runs gunicorn with the production configuration; never in debug mode."""

from __future__ import annotations

import importlib

import pytest
from django.core.management import CommandError, call_command

from furima.operations import gunicorn_conf


def test_serve_runs_gunicorn_with_the_production_configuration(capsys):
    call_command("serve", "--check-config", "--bind", "127.0.0.1:9000", "--workers", "3")

    command = capsys.readouterr().out
    assert "-m gunicorn --config python:furima.operations.gunicorn_conf" in command
    assert "--bind 127.0.0.1:9000 --workers 3 furima.wsgi:application" in command


def test_serve_refuses_debug_mode(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="unset FURIMA_DEBUG"):
        call_command("serve", "--check-config")


def test_the_gunicorn_configuration_reads_the_environment(monkeypatch):
    monkeypatch.setenv("FURIMA_WEB_PROCESSES", "6")
    monkeypatch.setenv("FURIMA_BIND", "0.0.0.0:8080")
    try:
        reloaded = importlib.reload(gunicorn_conf)
        assert (reloaded.workers, reloaded.bind) == (6, "0.0.0.0:8080")
    finally:
        monkeypatch.undo()
        importlib.reload(gunicorn_conf)
