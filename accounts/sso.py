"""allauth's account adapter: no account is made through allauth's own pages.

Accounts come from an invitation or from an organization's sign-in provider (the
organizations app's SocialAccountAdapter); allauth's password login and signup pages are
not mounted, and this says "closed" to any code path that would still ask.
"""

from allauth.account.adapter import DefaultAccountAdapter

from accounts import hooks


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """Where a password sign-in lands too: a supervisor's organization, else My learning."""
        return hooks.landing_page(request.user) or super().get_login_redirect_url(request)
