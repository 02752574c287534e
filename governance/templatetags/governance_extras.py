from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` for a dict in a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def who(user) -> str:
    """A person's shown name (their Person name, else the user name); "" for nobody."""
    from governance.selectors.org import display_name

    return display_name(user)


@register.simple_tag
def session_idle_seconds() -> int:
    """The idle timeout (SESSION_COOKIE_AGE) for the page's warning script."""
    from django.conf import settings

    return int(settings.SESSION_COOKIE_AGE)


@register.simple_tag
def session_warning_seconds() -> int:
    from django.conf import settings

    return int(getattr(settings, "SESSION_WARNING_SECONDS", 120))
