"""Chinese is the language of the product; English only when a person chooses it."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not a choice: a bureau's
    screens are in Chinese unless the person picked English with the language switch (its cookie)."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and translation.check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AdministratorWorkspaceMiddleware:
    """三员分立: an administrator's account works in its role's workspace and nowhere else. The
    system administrator in the Django admin, the security administrator on the security screen, the
    audit administrator in the audit trail; every meeting, minutes or follow-up page answers 403 to
    them, whatever else the account may have been given. The home page sends them to their workspace."""

    WORKSPACES = {"system": "/admin/", "security": "/security/", "audit": "/audit/"}
    EVERYONE = ("/accounts/", "/i18n/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import PermissionDenied
        from django.http import HttpResponseRedirect
        from django.urls import Resolver404, resolve

        from governance.permissions import admin_role_of

        role = admin_role_of(request.user)
        if role is None:
            return self.get_response(request)
        workspace = self.WORKSPACES[role]
        path = request.path_info
        if path == "/":
            try:
                resolve(workspace)
            except Resolver404:
                raise PermissionDenied("the workspace of this role is not installed") from None
            return HttpResponseRedirect(workspace)
        if not path.startswith((workspace, *self.EVERYONE)):
            raise PermissionDenied("an administrator's account works only in its role's workspace")
        return self.get_response(request)
