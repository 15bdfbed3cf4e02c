"""Page titles of the admin that read well in French.

Django builds its admin titles from a model's verbose name: "Change %s", "Add %s",
"Delete selected %(verbose_name_plural)s". In French they come out as "Modification de
leçon", "Ajout de leçon", "Supprimer les leçons sélectionné(e)s": no article, no
agreement. A locale override of Django's catalogue cannot fix that (one msgid for every
model, whatever its gender), so each ModelAdmin names its own titles, whole sentences
translated with the noun's gender in their context (pgettext).
"""


class NamedTitlesMixin:
    """Set `add_title`, `change_title`, `view_title` (a page the administrator may read but
    not change) and `delete_selected_title` (lazy strings)."""

    add_title = None
    change_title = None
    view_title = None
    delete_selected_title = None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            title = self.add_title
        elif self.has_change_permission(request):
            title = self.change_title
        else:
            title = self.view_title
        if title is not None:
            extra_context = {"title": title, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.delete_selected_title is not None and "delete_selected" in actions:
            function, name, _description = actions["delete_selected"]
            actions["delete_selected"] = (function, name, self.delete_selected_title)
        return actions
