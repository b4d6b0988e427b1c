"""furima: trade engine and web app for C2C flea-market services."""

from furima import _compiled

# Before anything imports the engine: serve its compiled build if there is a fresh one.
_compiled.install()
