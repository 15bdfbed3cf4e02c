"""The translation summary above an admin change form: per language, complete or the list
of the fields empty on this page (the object and its inlines), each a link to its field.
Computed on the server from the form's values, so it needs no JavaScript."""

from django import template
from django.utils.translation import gettext as _

from courses import translation_status

register = template.Library()


def _page_forms(adminform, inline_admin_formsets):
    """(object label or None, form) for the main form and every inline row shown saved or
    filled in (an untouched extra row is not a gap)."""
    yield None, adminform.form
    for inline in inline_admin_formsets or ():
        for form in inline.formset.forms:
            if form.instance.pk is None and not form.has_changed():
                continue
            kind = str(form._meta.model._meta.verbose_name)
            name = str(form.instance) if form.instance.pk else _("new")
            yield (
                _("%(kind)s “%(name)s”") % {"kind": kind[:1].upper() + kind[1:], "name": name},
                form,
            )


def page_translation_status(adminform, inline_admin_formsets) -> list[dict]:
    """[{"code", "name", "missing": [{"label", "id"}]}] for each language."""
    missing = {code: [] for code in translation_status.LANGUAGE_CODES}
    for owner, form in _page_forms(adminform, inline_admin_formsets):
        model = form._meta.model
        for field in translation_status.translated_fields(model):
            names = {
                code: f"{field}_{code.replace('-', '_')}"
                for code in translation_status.LANGUAGE_CODES
            }
            if not all(name in form.fields for name in names.values()):
                continue
            values = {code: form[name].value() for code, name in names.items()}
            model_field = model._meta.get_field(field)
            label = str(model_field.verbose_name)
            if owner:
                label = _("%(object)s: %(field)s") % {"object": owner, "field": label}
            for code in translation_status.missing_in(values, optional=model_field.blank):
                missing[code].append({"label": label, "id": form[names[code]].auto_id})
    return [
        {"code": code, "name": translation_status.language_name(code), "missing": found}
        for code, found in missing.items()
    ]


@register.inclusion_tag("courses/admin/translation_status.html")
def translation_status_summary(adminform, inline_admin_formsets=None):
    languages = page_translation_status(adminform, inline_admin_formsets)
    has_translations = any(
        translation_status.translated_fields(form._meta.model)
        for _owner, form in _page_forms(adminform, inline_admin_formsets)
    )
    tab_labels = {language["code"]: language["name"] for language in languages}
    tab_labels["empty"] = _("empty")
    tab_labels["switch"] = _("Language shown in every field")
    return {"languages": languages if has_translations else [], "tab_labels": tab_labels}
