"""The minimal page's template, shared by the two references of bench/web.py: the minimal
site (`minimal_site.py`, no middleware) and the signed-in floor (`floor_urls.py`, behind
furima's own), so the two render exactly the same work."""

PAGE = (
    '<!doctype html>\n<html lang="ja"><head><meta charset="utf-8">'
    "<title>{{ item.title }}</title></head>\n<body><h1>"
    "{{ item.title }}</h1><p>{{ item.price }}円</p></body></html>\n"
)
