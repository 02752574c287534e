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
