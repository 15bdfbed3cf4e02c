from django import template
from django.utils import translation

register = template.Library()


@register.filter
def issued_title(certificate):
    """`{{ certificate|issued_title }}`: the course title as the certificate was issued, in
    the page's language (else French), not the course's title today."""
    return certificate.course_title(translation.get_language())
