"""
{% fragment "name" value ... %}…{% endfragment %}: Django's {% cache %}, keyed by the content
generation instead of a timeout. The enclosed output is rendered once for each set of values
and generation, and kept in the shared cache and in each process (archive_site.fragments), so
any change to content shows at once. The values must name everything the output depends on.
"""

import hashlib

from django import template
from django.utils.safestring import mark_safe

from archive_site import generations

register = template.Library()
TIMEOUT = 60 * 60


class FragmentNode(template.Node):
    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on

    def render(self, context):
        values = repr([value.resolve(context) for value in self.vary_on])
        digest = hashlib.sha256(values.encode()).hexdigest()
        html = generations.cached("content", "fragment", digest, timeout=TIMEOUT,
                                  build=lambda: str(self.nodelist.render(context)))
        # Our own template's output, escaped as it was rendered.
        return mark_safe(html)


@register.tag
def fragment(parser, token):
    vary_on = token.split_contents()[1:]
    if not vary_on:
        raise template.TemplateSyntaxError("{% fragment %} needs a name and the values it depends on.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(value) for value in vary_on])
