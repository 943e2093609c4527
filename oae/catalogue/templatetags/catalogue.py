"""Template filters for translated content."""

from django import template

from oae.catalogue import content as content_lib
from oae.catalogue import presenters
from oae.catalogue.schema import KIND_LABELS, Kind

register = template.Library()


@register.filter
def tr(value):
    """A translated value ({"ca": …, "es": …}) in the current language, falling back to Catalan."""
    return content_lib.text(value)


@register.filter
def title_of(item):
    """An item's title in the reader's language (Catalan when missing), else its code: guides
    and services are named by what they are called, not by their slug."""
    return content_lib.title(item.kind, item.content) or item.code


@register.filter
def kind_label(kind):
    """ "methodology guide" for "guide", in the reader's language."""
    try:
        return KIND_LABELS[Kind(kind)]
    except ValueError:
        return kind


@register.filter
def field_labels(names, kind):
    """`{{ item.overridden|field_labels:item.kind }}`: the fields' labels, not their keys."""
    return presenters.field_labels(kind, names)


@register.simple_tag
def field_changes(change, titles=None):
    """`{% field_changes change titles as rows %}`: each changed field of a difference row with
    its old and new text in the reader's language."""
    return presenters.field_changes(
        change.kind,
        change.fields,
        change.old_content,
        change.new_content,
        content_lib.current_language(),
        titles,
    )


@register.filter
def markdown_safe(source):
    """Plain text or Markdown from a person, as HTML with only harmless tags kept."""
    return content_lib.render_markdown(source)
