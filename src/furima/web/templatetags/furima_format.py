"""The shared formatting (`furima.formats`) as template filters and tags."""

from django import template

from furima import formats

register = template.Library()

register.filter("yen", formats.yen)
register.filter("when", formats.when)
register.filter("when_full", formats.when_full)
register.simple_tag(formats.remaining, name="remaining")
register.filter("is_past", formats.is_past)
register.filter("lang_attr", formats.lang_attr)
register.filter("linebreaks_indent", formats.linebreaks_indent)
