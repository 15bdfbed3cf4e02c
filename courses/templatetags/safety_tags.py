"""Safety details read from the settings, so that even pages rendered without a request
(the 500 page) can show them."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def quick_exit_url() -> str:
    return settings.QUICK_EXIT_URL


@register.simple_tag
def hotline_phone() -> str:
    return settings.HOTLINE_PHONE
