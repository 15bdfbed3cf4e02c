from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from accounts.hooks import (
            register_landing_page,
            register_organization_workplace,
            register_sign_in_provider_of_session,
            register_sign_in_route,
            register_two_factor_required,
            register_user_admin_action,
        )
        from accounts.signals import user_renamed
        from courses.hooks import due_dates
        from organizations import sign_in
        from organizations.receivers import record_rename
        from organizations.selectors import (
            due_dates_of,
            landing_page_for,
            two_factor_required_for,
            workplace_from_organization,
        )

        user_renamed.connect(record_rename, dispatch_uid="organizations.audit.rename")
        # The profile page (accounts) shows the workplace the organization gives a person.
        register_organization_workplace(workplace_from_organization)
        # Supervisors land on their organization's dashboard after signing in.
        register_landing_page(landing_page_for)
        # My learning and the course page (courses) show the assignments' due dates.
        due_dates.register(due_dates_of)
        # Single sign-on: the login page routes an organization's addresses to its
        # provider, and the logout page names the provider whose session may remain.
        register_sign_in_route(sign_in.route)
        register_sign_in_provider_of_session(sign_in.provider_of_session)
        sign_in.connect_signals()
        # Two-factor: who must use it, decided in one place.
        register_two_factor_required(two_factor_required_for)
        # The admin's list of users resets a lost device (audited here).
        from organizations.admin_two_factor import RESET_PERMISSION, reset_two_factor

        register_user_admin_action(reset_two_factor, permission=RESET_PERMISSION)
