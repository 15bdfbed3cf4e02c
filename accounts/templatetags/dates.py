"""The `date` filter of every template (a builtin, see settings.TEMPLATES), in place of
Django's: the same formats, with the French "1er" of accounts.dates."""

from django import template
from django.template.defaultfilters import date as django_date

from accounts.dates import date_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """`{{ day|date }}`, `{{ moment|date:"DATETIME_FORMAT" }}`: as Django's filter."""
    if value in (None, ""):
        return ""
    try:
        return date_format(value, arg)
    except AttributeError:  # not a date: what Django's filter does with it
        return django_date(value, arg)
