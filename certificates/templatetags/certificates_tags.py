from django import template

from certificates import selectors

register = template.Library()


@register.simple_tag
def current_certificate(enrollment):
    """`{% current_certificate enrollment as certificate %}`: one query, or none when the
    enrollment is not complete."""
    return selectors.certificate_current(enrollment=enrollment)
