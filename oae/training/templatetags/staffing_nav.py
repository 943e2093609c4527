"""What the training sub-navigation links to beyond the curriculum and a person's own record:
the staffing plan and the network's training needs, for those who may read them."""

from django import template

from oae.training import access

register = template.Library()


@register.simple_tag(takes_context=True)
def staffing_links(context) -> dict[str, bool]:
    user = context["request"].user
    return {
        "staffing": access.may_read_staffing(user),
        "needs": access.may_read_training_needs(user),
    }
