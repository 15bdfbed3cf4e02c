from django import template
from django.utils import translation

from certificates import selectors

register = template.Library()


@register.simple_tag
def current_certificate(enrollment):
    """`{% current_certificate enrollment as certificate %}`: one query, or none when the
    enrollment is not complete."""
    return selectors.certificate_current(enrollment=enrollment)


@register.filter
def issued_title(certificate):
    """`{{ certificate|issued_title }}`: the course title as the certificate was issued, in
    the page's language (else French), not the course's title today."""
    return certificate.course_title(translation.get_language())
